//! Command-line flags, parsed by hand into a `Config` with a specific message for every mistake.

use crate::list_shape::ListShape;
use crate::worker::DEFAULT_TICK_MS;
use std::net::SocketAddr;
use std::path::PathBuf;

pub const HELP: &str = "\
emulator — a stand-in for main-api plus the app's plain job pages

USAGE: emulator [FLAGS]

Pages: /jobs (the app's own, server-rendered), /spa/runs (a card-based single-page app) and
/ops/jobs (an ops console routed on the client, built on other conventions); all share /api.

  --addr HOST:PORT   where to listen (default 127.0.0.1:8700; port 0 picks a free one)
  --db PATH          SQLite file, created if missing (default: in memory, gone on exit)
  --tick-ms N        worker tick: every N ms each active job moves one phase (default 15000)
  --paused           start with the worker paused (POST /_emulator/worker to resume)
  --token T          require `Authorization: Bearer T` on /api (read and write)
  --read-token T     also accept T, for reads only (403 on cancel, delete, create)
  --session-cookie V like an app with cookie sessions: pages set `session=V` (HttpOnly,
                     SameSite=Lax) and /api also accepts a request carrying that cookie
  --csrf             like an app whose cookie session wants a CSRF token on writes: a random
                     token is made at start, every page carries <meta name=\"csrf-token\"> and
                     sets the cookie XSRF-TOKEN (not HttpOnly), and every POST, PUT, PATCH or
                     DELETE under /api gets 403 unless it sends the token in X-CSRF-Token,
                     X-XSRF-TOKEN or X-CSRFToken (GET /_emulator/csrf shows it)
  --list-shape SHAPE how GET /api/jobs answers: jobs (default: {\"jobs\": [...]}), array (a bare
                     [...]), or items, data or results ({\"SHAPE\": [...], \"total\": N,
                     \"next\": null}); also POST /_emulator/list-shape {\"shape\": SHAPE}
  --strict-csp       pages send `Content-Security-Policy: default-src 'self'`
  --no-seed          do not write the demo jobs into an empty database
  --faults FILE      start with these fault rules (a JSON array; see POST /_emulator/faults)
  --cancel-delay-ms N  an accepted cancel stops the job N ms later (default 0: at once); until
                     then the job stays active with `cancelled_at` set, like a backend whose
                     workers are slow to stop (also POST /_emulator/worker {\"cancel_delay_ms\": N})
  --rate-limit N/s   like an API behind a rate limiter: at most N requests under /api a second;
                     the rest get 429 with Retry-After (also POST /_emulator/rate-limit
                     {\"per_second\": N}, null: off)
  --help             this text

Admin endpoints for tests: GET/DELETE /_emulator/requests, POST/DELETE /_emulator/faults,
GET/POST /_emulator/worker, POST /_emulator/worker/tick, GET /_emulator/audit,
GET /_emulator/jobs/{id}/data, POST /_emulator/rate-limit, GET/POST /_emulator/list-shape ({\"shape\", \"page_max\"?: a cap on
the jobs per list answer, like a paginated API), GET /_emulator/csrf.
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub addr: SocketAddr,
    pub db_path: Option<PathBuf>,
    pub tick_ms: u64,
    pub paused: bool,
    pub token: Option<String>,
    pub read_token: Option<String>,
    pub session_cookie: Option<String>,
    pub strict_csp: bool,
    pub csrf: bool,
    pub list_shape: ListShape,
    pub seed: bool,
    pub faults_file: Option<PathBuf>,
    pub cancel_delay_ms: u64,
    pub rate_limit: Option<u32>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8700)),
            db_path: None,
            tick_ms: DEFAULT_TICK_MS,
            paused: false,
            token: None,
            read_token: None,
            session_cookie: None,
            strict_csp: false,
            csrf: false,
            list_shape: ListShape::Jobs,
            seed: true,
            faults_file: None,
            cancel_delay_ms: 0,
            rate_limit: None,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve(Config),
    Help,
}

pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut config = Config::default();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .filter(|value| !value.starts_with("--"))
                .cloned()
                .ok_or_else(|| format!("{name} needs a value; see --help"))
        };
        match flag.as_str() {
            "--help" | "-h" => return Ok(Command::Help),
            "--addr" => {
                let text = value("--addr")?;
                config.addr = text.parse().map_err(|_| {
                    format!("--addr `{text}` is not HOST:PORT (e.g. 127.0.0.1:8700)")
                })?;
            }
            "--db" => {
                let text = value("--db")?;
                config.db_path = (text != ":memory:").then(|| PathBuf::from(text));
            }
            "--tick-ms" => {
                let text = value("--tick-ms")?;
                config.tick_ms = match text.parse::<u64>() {
                    Ok(ms) if ms >= 10 => ms,
                    _ => return Err(format!("--tick-ms `{text}` must be a whole number ≥ 10")),
                };
            }
            "--paused" => config.paused = true,
            "--token" => config.token = Some(value("--token")?),
            "--read-token" => config.read_token = Some(value("--read-token")?),
            "--session-cookie" => {
                let text = value("--session-cookie")?;
                if text.is_empty() || !text.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(format!(
                        "--session-cookie `{text}` must be letters and digits only"
                    ));
                }
                config.session_cookie = Some(text);
            }
            "--strict-csp" => config.strict_csp = true,
            "--csrf" => config.csrf = true,
            "--list-shape" => {
                let text = value("--list-shape")?;
                config.list_shape =
                    ListShape::parse(&text).map_err(|message| format!("--list-shape {message}"))?;
            }
            "--no-seed" => config.seed = false,
            "--faults" => config.faults_file = Some(PathBuf::from(value("--faults")?)),
            "--cancel-delay-ms" => {
                let text = value("--cancel-delay-ms")?;
                config.cancel_delay_ms = text.parse().map_err(|_| {
                    format!("--cancel-delay-ms `{text}` must be a whole number of milliseconds")
                })?;
            }
            "--rate-limit" => {
                config.rate_limit = Some(crate::rate_limit::parse(&value("--rate-limit")?)?);
            }
            other => return Err(format!("unknown flag `{other}`; see --help")),
        }
    }
    if config.token.is_some() && config.token == config.read_token {
        return Err("--token and --read-token must differ".into());
    }
    Ok(Command::Serve(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[track_caller]
    fn check_error(line: &str, expected: &str) {
        assert_eq!(parse(&args(line)).unwrap_err(), expected, "{line}");
    }

    #[test]
    fn flags_parse() {
        let Command::Serve(config) = parse(&args(
            "--addr 127.0.0.1:0 --db /tmp/x.db --tick-ms 50 --paused --token a --read-token b --strict-csp --no-seed",
        ))
        .unwrap() else {
            panic!("expected serve")
        };
        assert_eq!(config.addr.port(), 0);
        assert_eq!(config.db_path, Some(PathBuf::from("/tmp/x.db")));
        assert_eq!(
            (
                config.tick_ms,
                config.paused,
                config.strict_csp,
                config.seed
            ),
            (50, true, true, false)
        );
        assert_eq!(
            (config.token.as_deref(), config.read_token.as_deref()),
            (Some("a"), Some("b"))
        );
        assert_eq!(parse(&args("")).unwrap(), Command::Serve(Config::default()));
        assert_eq!(
            parse(&args("--db :memory:")).unwrap(),
            Command::Serve(Config::default())
        );
        assert_eq!(parse(&args("--help")).unwrap(), Command::Help);
        let Command::Serve(config) = parse(&args("--csrf --list-shape results")).unwrap() else {
            panic!("expected serve")
        };
        assert_eq!((config.csrf, config.list_shape), (true, ListShape::Results));
        let defaults = Config::default();
        assert_eq!(
            (defaults.csrf, defaults.list_shape),
            (false, ListShape::Jobs)
        );
    }

    #[test]
    fn mistakes_get_specific_messages() {
        check_error("--addr", "--addr needs a value; see --help");
        check_error(
            "--addr localhost",
            "--addr `localhost` is not HOST:PORT (e.g. 127.0.0.1:8700)",
        );
        check_error("--tick-ms 5", "--tick-ms `5` must be a whole number ≥ 10");
        check_error("--token --paused", "--token needs a value; see --help");
        check_error("--port 1", "unknown flag `--port`; see --help");
        check_error(
            "--token x --read-token x",
            "--token and --read-token must differ",
        );
        check_error(
            "--list-shape rows",
            "--list-shape `rows` is not one of jobs, array, items, data, results",
        );
        check_error("--list-shape", "--list-shape needs a value; see --help");
        check_error("--csrf yes", "unknown flag `yes`; see --help");
    }
}
