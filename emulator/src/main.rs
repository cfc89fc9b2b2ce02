//! `emulator [FLAGS]`: parses flags, opens and seeds the database, starts the worker and serves.
//! The first line on stdout is `emulator listening on http://ADDR` (tests read the port from it).

use emulator::config::{self, Command, Config};
use emulator::{app, auth::AuthConfig, csrf::Csrf, db::Db, pages::PageOptions, seed, worker};
use emulator::{list_shape::ListShapeSetting, AppState};
use std::io::Write;
use std::sync::Arc;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match config::parse(&args) {
        Ok(Command::Serve(config)) => config,
        Ok(Command::Help) => {
            print!("{}", config::HELP);
            return;
        }
        Err(message) => {
            eprintln!("emulator: {message}");
            std::process::exit(2);
        }
    };
    if let Err(message) = serve(config).await {
        eprintln!("emulator: {message}");
        std::process::exit(1);
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let db = match &config.db_path {
        Some(path) => Db::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?,
        None => Db::open_in_memory().map_err(|e| format!("cannot open an in-memory db: {e}"))?,
    };
    if config.seed {
        seed::seed_if_empty(&db).map_err(|e| format!("seeding failed: {e}"))?;
    }
    let mut state = AppState::new(db);
    state.auth = Arc::new(AuthConfig {
        full_token: config.token.clone(),
        read_token: config.read_token.clone(),
        session: config.session_cookie.clone(),
    });
    state.worker = Arc::new(worker::WorkerControl::new(config.tick_ms, config.paused));
    state.worker.update(&worker::WorkerUpdate {
        cancel_delay_ms: Some(config.cancel_delay_ms),
        ..Default::default()
    });
    state.pages = PageOptions {
        strict_csp: config.strict_csp,
    };
    if config.csrf {
        state.csrf = Arc::new(Csrf::generate());
    }
    state.list_shape = Arc::new(ListShapeSetting::new(config.list_shape));
    state.rate_limit = Arc::new(emulator::rate_limit::RateLimit::new(config.rate_limit));
    if let Some(path) = &config.faults_file {
        let count = state.faults.load(path)?;
        eprintln!("emulator: {count} fault rule(s) from {}", path.display());
    }

    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // Written with errors ignored: a parent that stopped reading stdout must not stop the server.
    let database = match &config.db_path {
        Some(path) => path.display().to_string(),
        None => "in memory (use --db PATH to keep it)".into(),
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(
        stdout,
        "emulator listening on http://{addr}\n  pages: http://{addr}/jobs   api: http://{addr}/api/jobs\n  database: {database}"
    );
    let _ = stdout.flush();

    tokio::spawn(worker::run(state.clone()));
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| format!("server stopped: {e}"))
}
