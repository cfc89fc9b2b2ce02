//! `cargo xtask demo --browser firefox`: Firefox ESR, headed, with dist/firefox installed as a
//! temporary add-on and the demo's list page as its first tab.
//!
//! Release and ESR builds of Firefox install only signed add-ons from a profile (the
//! `xpinstall.signatures.required` switch is ignored there), so the add-on is installed the way
//! tests/e2e/firefox.spec.ts installs it: geckodriver starts Firefox and installs the unpacked
//! folder as a temporary add-on (WebDriver's `moz/addon/install` with `temporary: true`), the
//! same as about:debugging's "Load Temporary Add-on". The manifest's `host_permissions` cover
//! the emulator's origin and Firefox grants them at install, so no prompt comes up on the demo's
//! pages. geckodriver makes Firefox's profile in a folder of ours (`--profile-root`), removed at
//! the end. Firefox shows its remote-control marks (a robot in the address bar) while driven.

use crate::browser::{self, Browser, TempProfile};
use crate::process::{step, Cmd};
use crate::webdriver::{self, WebDriver};
use crate::workspace::root;
use crate::Result;
use serde_json::{json, Value};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Everything the launch needs, worked out before anything runs (`--dry-run` prints it).
pub struct Launch {
    pub profile_root: PathBuf,
    pub port: u16,
    pub binary: PathBuf,
    pub geckodriver_args: Vec<String>,
    pub capabilities: Value,
    pub addon: Value,
    pub first_tab: Value,
}

impl Launch {
    /// `binary`: Firefox; `profile_root`: where geckodriver makes the profile; `port`: the one
    /// geckodriver listens on; `extension`: the unpacked add-on (dist/firefox); `origin`: the
    /// demo's, opened at `/jobs`.
    pub fn plan(
        binary: PathBuf,
        profile_root: PathBuf,
        port: u16,
        extension: &Path,
        origin: &str,
    ) -> Launch {
        Launch {
            geckodriver_args: geckodriver_args(port, &profile_root),
            capabilities: capabilities(&binary),
            addon: json!({ "path": extension.to_string_lossy(), "temporary": true }),
            first_tab: json!({ "url": format!("{origin}/jobs") }),
            binary,
            profile_root,
            port,
        }
    }

    /// What `--dry-run` shows: geckodriver's command and the WebDriver commands, none run.
    pub fn describe(&self) -> String {
        let session = "<session id>";
        format!(
            "start geckodriver (it starts Firefox with a new profile inside {}):\n{}\nthen:\n  {}\n  {}\n  {}",
            self.profile_root.display(),
            browser::command_line("geckodriver", &self.geckodriver_args),
            webdriver::describe("POST", "/session", Some(&self.capabilities)),
            webdriver::describe(
                "POST",
                &format!("/session/{session}/moz/addon/install"),
                Some(&self.addon)
            ),
            webdriver::describe("POST", &format!("/session/{session}/url"), Some(&self.first_tab)),
        )
    }

    /// Starts geckodriver, which starts Firefox; installs the add-on, opens the list page and
    /// waits until Firefox is closed or Ctrl-C; then ends the session, stops geckodriver and
    /// removes the profile folder.
    pub fn open(self) -> Result {
        Browser::Firefox.require(&self.binary)?;
        let profile_root = TempProfile::create(self.profile_root.clone())?;
        let outcome = step("Firefox (close its window or press Ctrl-C to stop)", || {
            let mut geckodriver = browser::spawn_echoing(
                Cmd::new("geckodriver", &root()).args(&self.geckodriver_args),
                "geckodriver",
            )?;
            let driven = self.drive(&WebDriver::new(SocketAddr::from((
                Ipv4Addr::LOCALHOST,
                self.port,
            ))));
            browser::stop(&mut geckodriver, Duration::from_secs(5));
            driven
        });
        drop(profile_root);
        outcome
    }

    fn drive(&self, driver: &WebDriver) -> Result {
        driver.wait_ready(Duration::from_secs(15))?;
        // Starting Firefox with a new profile can take a while on a cold machine.
        let session = driver.command(
            "POST",
            "/session",
            Some(&self.capabilities),
            Duration::from_secs(120),
        )?;
        let id = session["sessionId"]
            .as_str()
            .ok_or("geckodriver started no session (its answer has no sessionId)")?
            .to_string();
        let outcome = self.use_session(driver, &id);
        // Closes Firefox if it is still open; an error only means it is gone already.
        let _ = driver.command(
            "DELETE",
            &format!("/session/{id}"),
            None,
            Duration::from_secs(10),
        );
        outcome
    }

    fn use_session(&self, driver: &WebDriver, id: &str) -> Result {
        let minute = Duration::from_secs(60);
        let install = format!("/session/{id}/moz/addon/install");
        driver.command("POST", &install, Some(&self.addon), minute)?;
        let url = format!("/session/{id}/url");
        driver.command("POST", &url, Some(&self.first_tab), minute)?;
        let handles = format!("/session/{id}/window/handles");
        // Two failed polls in a row, or no window left, mean Firefox is gone: one failure
        // could be a moment when it was too busy to answer.
        let mut failures = 0;
        browser::wait_until_closed(
            || match driver.ask("GET", &handles, Duration::from_secs(10)) {
                Ok(windows) => {
                    failures = 0;
                    Ok(windows.as_array().is_none_or(Vec::is_empty))
                }
                Err(_) => {
                    failures += 1;
                    Ok(failures >= 2)
                }
            },
        )
        .map(|_| ())
    }
}

/// A port nobody listens on now, for geckodriver.
pub fn free_port() -> Result<u16> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("cannot find a free port for geckodriver: {e}"))
}

fn geckodriver_args(port: u16, profile_root: &Path) -> Vec<String> {
    vec![
        "--port".into(),
        port.to_string(),
        "--profile-root".into(),
        profile_root.display().to_string(),
    ]
}

/// The new session's capabilities: Firefox at `binary`, headed (no `-headless`).
fn capabilities(binary: &Path) -> Value {
    json!({
        "capabilities": {
            "alwaysMatch": {
                "browserName": "firefox",
                "moz:firefoxOptions": { "binary": binary.to_string_lossy() }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firefox_is_driven_by_geckodriver_with_the_add_on_installed_temporarily() {
        let launch = Launch::plan(
            PathBuf::from("/usr/bin/firefox-esr"),
            PathBuf::from("/tmp/job-actions-demo-firefox-7"),
            4444,
            Path::new("/work/dist/firefox"),
            "http://127.0.0.1:8700",
        );
        assert_eq!(
            launch.geckodriver_args,
            [
                "--port",
                "4444",
                "--profile-root",
                "/tmp/job-actions-demo-firefox-7"
            ]
        );
        assert_eq!(
            launch.capabilities,
            json!({"capabilities": {"alwaysMatch": {
                "browserName": "firefox",
                "moz:firefoxOptions": {"binary": "/usr/bin/firefox-esr"}
            }}})
        );
        assert_eq!(
            launch.addon,
            json!({"path": "/work/dist/firefox", "temporary": true})
        );
        assert_eq!(
            launch.first_tab,
            json!({"url": "http://127.0.0.1:8700/jobs"})
        );
        let described = launch.describe();
        assert!(described.contains(
            "webdriver: POST /session/<session id>/moz/addon/install {\"path\":\"/work/dist/firefox\",\"temporary\":true}"
        ));
        assert!(described.ends_with(
            "webdriver: POST /session/<session id>/url {\"url\":\"http://127.0.0.1:8700/jobs\"}"
        ));
    }

    #[test]
    fn a_free_port_is_a_real_one() {
        assert_ne!(free_port().unwrap(), 0);
    }
}
