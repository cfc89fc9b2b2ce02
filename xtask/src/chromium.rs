//! `cargo xtask demo --browser chromium`: Chromium, headed, in a fresh profile with dist/chrome
//! loaded (and no other extension), the demo's origin already recorded as granted in the
//! profile's Preferences, and the demo's list page as its first tab. It is launched the way
//! tests/e2e/fixtures.ts (`launchChromiumWithExtension`) launches it, with a window instead of
//! `--headless`.

use crate::browser::{self, Browser, Ended, TempProfile};
use crate::process::{step, Cmd};
use crate::workspace::root;
use crate::Result;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Everything the launch needs, worked out before anything runs (`--dry-run` prints it).
pub struct Launch {
    pub binary: PathBuf,
    pub profile: PathBuf,
    pub args: Vec<String>,
    pub preferences: Value,
}

impl Launch {
    /// `extension`: the unpacked extension (dist/chrome); `extension_id`: its id (from the
    /// manifest key); `origin`: the demo's, granted and opened at `/jobs`; `as_root`: whether
    /// xtask runs as root (Chromium then needs `--no-sandbox`).
    pub fn plan(
        binary: PathBuf,
        profile: PathBuf,
        extension: &Path,
        extension_id: &str,
        origin: &str,
        as_root: bool,
    ) -> Launch {
        let first_tab = format!("{origin}/jobs");
        Launch {
            args: args(&profile, extension, &first_tab, as_root),
            preferences: preferences(extension_id, &[format!("{origin}/*")]),
            binary,
            profile,
        }
    }

    fn preferences_file(&self) -> PathBuf {
        self.profile.join("Default/Preferences")
    }

    /// What `--dry-run` shows: the Preferences file and the command, nothing written or run.
    pub fn describe(&self) -> String {
        format!(
            "write {}:\n{}\nopen Chromium:\n{}",
            self.preferences_file().display(),
            serde_json::to_string_pretty(&self.preferences).expect("a Value always serializes"),
            browser::command_line(&self.binary.to_string_lossy(), &self.args)
        )
    }

    /// Creates the profile, writes its Preferences, starts Chromium and waits until it is closed
    /// or Ctrl-C; the profile is removed either way.
    pub fn open(self) -> Result {
        Browser::Chromium.require(&self.binary)?;
        let profile = TempProfile::create(self.profile.clone())?;
        let preferences_file = self.preferences_file();
        std::fs::create_dir_all(profile.path().join("Default"))
            .and_then(|()| std::fs::write(&preferences_file, self.preferences.to_string()))
            .map_err(|e| format!("cannot write {}: {e}", preferences_file.display()))?;
        println!(
            "  wrote {} (the demo's origin, granted)",
            preferences_file.display()
        );
        step(
            "Chromium (close its window or press Ctrl-C to stop)",
            || {
                let mut chromium = browser::spawn_echoing(
                    Cmd::new(&self.binary.to_string_lossy(), &root()).args(&self.args),
                    "chromium",
                )?;
                let ended = browser::wait_until_closed(|| {
                    chromium
                        .try_wait()
                        .map(|status| status.is_some())
                        .map_err(|e| format!("cannot tell whether Chromium still runs: {e}"))
                });
                browser::stop(&mut chromium, Duration::from_secs(5));
                match (ended?, chromium.wait()) {
                    (Ended::Closed, Ok(status)) if !status.success() => Err(format!(
                        "Chromium exited with {status}; its messages are above"
                    )),
                    _ => Ok(()),
                }
            },
        )
    }
}

/// Chromium's command line: a window (no `--headless`), its own profile, dist/chrome loaded and
/// every other extension off, none of the first-run pages, and the demo's list page.
pub fn args(profile: &Path, extension: &Path, first_tab: &str, as_root: bool) -> Vec<String> {
    let mut args = vec![
        format!("--user-data-dir={}", profile.display()),
        format!("--disable-extensions-except={}", extension.display()),
        format!("--load-extension={}", extension.display()),
        "--no-first-run".to_string(),
        "--no-default-browser-check".to_string(),
    ];
    if as_root {
        // Chromium refuses to start as root with its sandbox on (containers, CI images).
        args.push("--no-sandbox".to_string());
    }
    args.push(first_tab.to_string());
    args
}

/// A new profile's `Default/Preferences` recording `granted_origins` as host permissions the
/// user granted the extension earlier (`extensions.settings.<id>.runtime_granted_permissions`,
/// where Chromium keeps a grant), the same record tests/e2e/fixtures.ts writes. The manifest's
/// `host_permissions` already cover the emulator's origin; the record makes the demo independent
/// of that, as a grant the user gave, so no permission prompt ever comes up for it.
pub fn preferences(extension_id: &str, granted_origins: &[String]) -> Value {
    json!({
        "extensions": {
            "settings": {
                extension_id: {
                    "runtime_granted_permissions": {
                        "api": [],
                        "explicit_host": granted_origins,
                        "manifest_permissions": [],
                        "scriptable_host": [],
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_args(as_root: bool, expected: &[&str]) {
        let args = args(
            Path::new("/tmp/job-actions-demo-chromium-7"),
            Path::new("/work/dist/chrome"),
            "http://127.0.0.1:8700/jobs",
            as_root,
        );
        assert_eq!(args, expected);
    }

    #[test]
    fn chromium_is_headed_with_only_the_extension_and_opens_the_list() {
        let common = [
            "--user-data-dir=/tmp/job-actions-demo-chromium-7",
            "--disable-extensions-except=/work/dist/chrome",
            "--load-extension=/work/dist/chrome",
            "--no-first-run",
            "--no-default-browser-check",
        ];
        let mut as_user = common.to_vec();
        as_user.push("http://127.0.0.1:8700/jobs");
        check_args(false, &as_user);
        let mut as_root = common.to_vec();
        as_root.extend(["--no-sandbox", "http://127.0.0.1:8700/jobs"]);
        check_args(true, &as_root);
    }

    #[test]
    fn preferences_record_the_demo_origin_as_granted_as_the_fixtures_do() {
        let launch = Launch::plan(
            PathBuf::from("/usr/bin/chromium"),
            PathBuf::from("/tmp/p"),
            Path::new("/work/dist/chrome"),
            "lmfecbighjgnhlcodmakoicgpfmfdkfb",
            "http://127.0.0.1:8700",
            false,
        );
        assert_eq!(
            launch.preferences,
            json!({"extensions": {"settings": {"lmfecbighjgnhlcodmakoicgpfmfdkfb": {
                "runtime_granted_permissions": {
                    "api": [],
                    "explicit_host": ["http://127.0.0.1:8700/*"],
                    "manifest_permissions": [],
                    "scriptable_host": []
                }
            }}}})
        );
        assert_eq!(
            launch.preferences_file(),
            PathBuf::from("/tmp/p/Default/Preferences")
        );
        assert_eq!(
            launch.args.last().map(String::as_str),
            Some("http://127.0.0.1:8700/jobs")
        );
        assert!(launch
            .describe()
            .ends_with("--no-default-browser-check http://127.0.0.1:8700/jobs"));
    }
}
