//! What `cargo xtask demo --browser …` needs whichever browser it opens: which browser and where
//! its binary is, whether this machine has a display to show a window on, the throwaway profile
//! folder, and waiting until the person closes the browser or presses Ctrl-C. Each browser's own
//! launch is in chromium.rs and firefox.rs.

use crate::process::Cmd;
use crate::workspace::root;
use crate::Result;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    Chromium,
    Firefox,
}

impl Browser {
    pub fn parse(name: &str) -> Result<Browser> {
        match name {
            "chromium" => Ok(Browser::Chromium),
            "firefox" => Ok(Browser::Firefox),
            other => Err(format!(
                "--browser takes `chromium` or `firefox`, got `{other}`"
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "chromium",
            Browser::Firefox => "firefox",
        }
    }

    /// The browser binary: `$CHROMIUM_BIN` / `$FIREFOX_BIN` when set (the end-to-end tests read
    /// the same variables), else the Debian package's binary that `cargo xtask setup` installs.
    /// `env` reads an environment variable.
    pub fn binary(self, env: impl Fn(&str) -> Option<String>) -> PathBuf {
        let (variable, default) = match self {
            Browser::Chromium => ("CHROMIUM_BIN", "/usr/bin/chromium"),
            Browser::Firefox => ("FIREFOX_BIN", "/usr/bin/firefox-esr"),
        };
        env(variable)
            .filter(|value| !value.is_empty())
            .map_or_else(|| PathBuf::from(default), PathBuf::from)
    }

    /// Fails with what to do when `binary` is not there.
    pub fn require(self, binary: &Path) -> Result {
        if binary.is_file() {
            Ok(())
        } else {
            Err(format!(
                "{} not found at {}: run `cargo xtask setup`",
                self.name(),
                binary.display()
            ))
        }
    }
}

/// Whether a browser window can be shown here. `os` is `std::env::consts::OS`; `env` reads an
/// environment variable. macOS and Windows always have one; elsewhere (Linux, the BSDs) a window
/// needs an X server (`DISPLAY`) or a Wayland compositor (`WAYLAND_DISPLAY`).
pub fn has_display(os: &str, env: impl Fn(&str) -> Option<String>) -> bool {
    match os {
        "macos" | "windows" => true,
        _ => ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|name| env(name).is_some_and(|value| !value.is_empty())),
    }
}

/// `$ (cd DIR) PROGRAM ARGS…`, the way every command is announced before it runs.
pub fn command_line(program: &str, args: &[String]) -> String {
    let mut line = format!("$ (cd {}) {program}", root().display());
    for arg in args {
        line.push(' ');
        line.push_str(arg);
    }
    line
}

/// A profile folder of the browser's own, removed (with everything in it) when dropped.
pub struct TempProfile {
    path: PathBuf,
}

impl TempProfile {
    /// Where this run's profile goes: the system's temporary folder, named after the browser
    /// and this process, so two demos never share one.
    pub fn path_for(browser: Browser) -> PathBuf {
        std::env::temp_dir().join(format!(
            "job-actions-demo-{}-{}",
            browser.name(),
            std::process::id()
        ))
    }

    /// Creates it empty (a folder left at that path by an earlier run is removed first).
    pub fn create(path: PathBuf) -> Result<TempProfile> {
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("cannot create the profile folder {}: {e}", path.display()))?;
        println!("  temporary profile: {}", path.display());
        Ok(TempProfile { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempProfile {
    fn drop(&mut self) {
        // A browser that was just stopped may still be writing; one retry covers that.
        let removed = std::fs::remove_dir_all(&self.path).or_else(|_| {
            std::thread::sleep(Duration::from_millis(500));
            std::fs::remove_dir_all(&self.path)
        });
        match removed {
            Ok(()) => println!("  removed the temporary profile {}", self.path.display()),
            Err(e) => eprintln!(
                "xtask: warning: cannot remove the temporary profile {} ({e}); delete it by hand",
                self.path.display()
            ),
        }
    }
}

/// Starts `cmd` in the background (announced first), echoing its stdout as `  LABEL: …` lines
/// so the pipe never fills; its stderr goes to ours.
pub fn spawn_echoing(cmd: Cmd, label: &'static str) -> Result<Child> {
    let mut child = cmd.spawn_piped()?;
    let stdout = child.stdout.take().expect("stdout is piped");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::result::Result::ok)
        {
            println!("  {label}: {line}");
        }
    });
    Ok(child)
}

/// Stops a child: it may already be on its way out (Ctrl-C reaches the whole process group), so
/// it gets `grace` to exit before it is killed.
pub fn stop(child: &mut Child, grace: Duration) {
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if !matches!(child.try_wait(), Ok(None)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// From now on Ctrl-C (SIGINT) and SIGTERM set a flag that [`wait_until_closed`] reads, instead
/// of ending xtask at once, so it can still stop the emulator and remove the profile. The
/// browser and the emulator still get Ctrl-C from the terminal and handle it their own way: a
/// handler, unlike an ignored signal, is reset to the default in every program started later.
#[cfg(unix)]
pub fn catch_interrupt() {
    extern "C" fn on_signal(_signal: i32) {
        INTERRUPTED.store(true, Ordering::SeqCst);
    }
    extern "C" {
        // libc's `signal` (std already links libc); the previous handler it returns is unused.
        fn signal(signal: i32, handler: extern "C" fn(i32)) -> usize;
    }
    const SIGINT: i32 = 2;
    const SIGTERM: i32 = 15;
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
    }
}

/// Elsewhere Ctrl-C ends xtask as before; the profile stays in the temporary folder.
#[cfg(not(unix))]
pub fn catch_interrupt() {}

#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// The person closed the browser (or it exited by itself).
    Closed,
    /// Ctrl-C or SIGTERM.
    Interrupted,
}

/// Waits until `is_closed` says the browser is gone (asked twice a second) or Ctrl-C.
pub fn wait_until_closed(mut is_closed: impl FnMut() -> Result<bool>) -> Result<Ended> {
    loop {
        if INTERRUPTED.load(Ordering::SeqCst) {
            println!("\n  interrupted: closing the browser and stopping the demo");
            return Ok(Ended::Interrupted);
        }
        if is_closed()? {
            println!("\n  the browser was closed: stopping the demo");
            return Ok(Ended::Closed);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn env_of<'a>(pairs: &'a [(&str, &str)]) -> impl Fn(&str) -> Option<String> + 'a {
        let map: BTreeMap<&str, &str> = pairs.iter().copied().collect();
        move |name| map.get(name).map(|value| value.to_string())
    }

    #[track_caller]
    fn check_display(os: &str, env: &[(&str, &str)], expected: bool) {
        assert_eq!(has_display(os, env_of(env)), expected, "{os} {env:?}");
    }

    #[test]
    fn a_display_is_an_x_server_or_a_wayland_compositor_on_linux() {
        check_display("linux", &[], false);
        check_display("linux", &[("HOME", "/root")], false);
        check_display("linux", &[("DISPLAY", "")], false);
        check_display("linux", &[("DISPLAY", ""), ("WAYLAND_DISPLAY", "")], false);
        check_display("linux", &[("DISPLAY", ":0")], true);
        check_display("linux", &[("WAYLAND_DISPLAY", "wayland-0")], true);
        check_display("freebsd", &[], false);
        check_display("freebsd", &[("DISPLAY", ":1")], true);
        check_display("macos", &[], true);
        check_display("windows", &[], true);
    }

    #[test]
    fn browsers_by_name_and_their_binaries() {
        assert_eq!(Browser::parse("chromium"), Ok(Browser::Chromium));
        assert_eq!(Browser::parse("firefox"), Ok(Browser::Firefox));
        assert_eq!(
            Browser::parse("chrome"),
            Err("--browser takes `chromium` or `firefox`, got `chrome`".into())
        );
        let none = env_of(&[]);
        assert_eq!(
            Browser::Chromium.binary(&none),
            PathBuf::from("/usr/bin/chromium")
        );
        assert_eq!(
            Browser::Firefox.binary(&none),
            PathBuf::from("/usr/bin/firefox-esr")
        );
        let set = env_of(&[
            ("CHROMIUM_BIN", "/opt/chromium/chrome"),
            ("FIREFOX_BIN", ""),
        ]);
        assert_eq!(
            Browser::Chromium.binary(&set),
            PathBuf::from("/opt/chromium/chrome")
        );
        assert_eq!(
            Browser::Firefox.binary(&set),
            PathBuf::from("/usr/bin/firefox-esr")
        );
    }

    #[test]
    fn a_missing_browser_says_to_run_setup() {
        assert_eq!(
            Browser::Chromium.require(Path::new("/nonexistent/chromium")),
            Err("chromium not found at /nonexistent/chromium: run `cargo xtask setup`".into())
        );
    }

    #[test]
    fn the_profile_folder_is_created_empty_and_removed_when_dropped() {
        let path = std::env::temp_dir().join(format!(
            "job-actions-xtask-test-profile-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(path.join("left-over")).unwrap();
        let profile = TempProfile::create(path.clone()).unwrap();
        assert_eq!(std::fs::read_dir(profile.path()).unwrap().count(), 0);
        std::fs::write(path.join("Preferences"), "{}").unwrap();
        drop(profile);
        assert!(!path.exists());
    }
}
