//! Where the popup finds the app and its API, and the token it may send there. Stored under
//! `settings` in extension storage (`storage.local`) as JSON — never in a page's localStorage —
//! with the emulator's address as the default.

use job_actions::api::json::{self, FromJson, Json};
use job_actions::sites::origin::{self, Origin};
use job_actions::ClientConfig;

pub const STORAGE_KEY: &str = "settings";
pub const DEFAULT_APP_URL: &str = "http://127.0.0.1:8700";
pub const DEFAULT_API_BASE: &str = "http://127.0.0.1:8700/api";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Where the app's job pages live: "Open in app" links to `{app_url}/jobs/{id}`, or to the
    /// job page of `job_page`.
    pub app_url: String,
    /// The API root, absolute, e.g. `https://jobs.example.com/api`.
    pub api_base: String,
    /// Sent as a bearer token to URLs under `api_base` and nowhere else; only when that is https
    /// (http only to this machine).
    pub token: Option<String>,
    /// The app's job pages, when a site profile says where they are (never stored).
    pub job_page: Option<JobPage>,
}

/// A site profile's job page pattern, with the wildcards of the page the popup opened over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPage {
    pub pattern: job_actions::sites::profile::PathPattern,
    pub wildcards: Vec<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            app_url: DEFAULT_APP_URL.into(),
            api_base: DEFAULT_API_BASE.into(),
            token: None,
            job_page: None,
        }
    }
}

impl FromJson for Settings {
    fn from_json(value: &Json) -> Result<Settings, String> {
        let api_base = value.required_str(&["api_base"])?;
        // Settings saved before the app URL existed: the app is where its API is, minus `/api`.
        let app_url = match value.optional_str(&["app_url"])? {
            Some(url) => url,
            None => api_base
                .trim_end_matches('/')
                .trim_end_matches("/api")
                .into(),
        };
        Ok(Settings {
            app_url,
            api_base,
            token: value.optional_str(&["token"])?,
            job_page: None,
        })
    }
}

/// Which settings field a validation message concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    AppUrl,
    ApiBase,
    Token,
}

/// A validation failure, attached to the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: Field,
    pub message: String,
}

impl Settings {
    /// Validates what the user typed, by the same URL rule as every API base
    /// (`origin::check_address`). An empty API base means `{app_url}/api`; a path (`/v2/api`) is
    /// on the app's origin. With a token, the API base must be https (http only to this machine).
    pub fn from_form(app_url: &str, api_base: &str, token: &str) -> Result<Settings, Invalid> {
        let invalid = |field, message: String| Invalid { field, message };
        if app_url.trim().is_empty() {
            return Err(invalid(
                Field::AppUrl,
                "Enter the app's address, e.g. https://jobs.example.com.".into(),
            ));
        }
        let app_url = origin::check_address("App URL", app_url, false)
            .map_err(|message| invalid(Field::AppUrl, message))?;
        let app_origin = Origin::parse(&app_url)
            .map_err(|message| invalid(Field::AppUrl, format!("App URL {message}")))?
            .serialize();
        let api_base = match api_base.trim_matches(' ') {
            "" => format!("{app_url}/api"),
            typed => typed.to_string(),
        };
        let api_base = origin::resolve_api_base(&api_base, &app_origin)
            .map_err(|message| invalid(Field::ApiBase, message))?;
        let token = token.trim();
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(
                Field::Token,
                "The token must not contain spaces or line breaks.".into(),
            ));
        }
        if let Some(why) = origin::token_channel_problem(&api_base).filter(|_| !token.is_empty()) {
            return Err(invalid(Field::ApiBase, why));
        }
        Ok(Settings {
            app_url,
            api_base,
            token: (!token.is_empty()).then(|| token.to_string()),
            job_page: None,
        })
    }

    pub fn to_json(&self) -> String {
        json::write_string_object(&[
            ("app_url", Some(&self.app_url)),
            ("api_base", Some(&self.api_base)),
            ("token", self.token.as_deref()),
        ])
    }

    pub fn client_config(&self) -> Result<ClientConfig, String> {
        Ok(ClientConfig::new(&self.api_base)?.with_token(self.token.clone()))
    }

    /// The host permissions the popup needs: the API's origin (to call it) — and the app's, so
    /// the content script may run there too.
    pub fn origin_patterns(&self) -> Vec<String> {
        let mut patterns = Vec::new();
        for url in [&self.api_base, &self.app_url] {
            if let Ok(origin) = Origin::parse(url) {
                let pattern = origin.match_pattern();
                if !patterns.contains(&pattern) {
                    patterns.push(pattern);
                }
            }
        }
        patterns
    }

    /// The job's page in the app (opened in a new tab).
    pub fn job_url(&self, job_id: &str) -> Option<String> {
        let id = job_actions::api::endpoint::encode_job_id(job_id).ok()?;
        let path = match &self.job_page {
            Some(page) => page.pattern.fill_with(&page.wildcards, Some(&id))?,
            None => format!("/jobs/{id}"),
        };
        Some(format!("{}{path}", self.app_url))
    }

    /// The settings the user saved, if any.
    pub async fn saved() -> Option<Settings> {
        match crate::storage::get(STORAGE_KEY).await {
            Ok(Some(text)) => json::decode(&text).ok(),
            _ => None,
        }
    }

    pub async fn save(&self) -> Result<(), String> {
        crate::storage::set(STORAGE_KEY, &self.to_json()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_settings_are_read_or_defaulted() {
        let stored: Settings = json::decode(r#"{"api_base":"http://x/api","token":"t"}"#).unwrap();
        assert_eq!(
            stored,
            Settings {
                app_url: "http://x".into(),
                api_base: "http://x/api".into(),
                token: Some("t".into()),
                job_page: None,
            }
        );
        assert!(json::decode::<Settings>(r#"{"token":"t"}"#).is_err());
        assert_eq!(
            Settings::default().client_config().unwrap().api_base,
            DEFAULT_API_BASE
        );
        let round_trip: Settings = json::decode(&stored.to_json()).unwrap();
        assert_eq!(round_trip, stored);
    }

    #[test]
    fn the_form_is_validated_with_specific_messages() {
        let ok = Settings::from_form(" https://jobs.example.com/ ", "", " abc.def ").unwrap();
        assert_eq!(ok.app_url, "https://jobs.example.com");
        assert_eq!(ok.api_base, "https://jobs.example.com/api");
        assert_eq!(ok.token.as_deref(), Some("abc.def"));
        let split = Settings::from_form(
            "https://jobs.example.com",
            "https://api.example.com:8443/v1/",
            "",
        )
        .unwrap();
        assert_eq!(split.api_base, "https://api.example.com:8443/v1");
        assert_eq!(split.token, None);
        assert_eq!(
            split.origin_patterns(),
            ["https://api.example.com/*", "https://jobs.example.com/*"]
        );
        assert_eq!(ok.origin_patterns(), ["https://jobs.example.com/*"]);
        // A path is on the app's origin, whatever path the app's address has.
        let path =
            Settings::from_form("https://Jobs.example.com:8443/app", "/v2/api/", "").unwrap();
        assert_eq!(path.api_base, "https://jobs.example.com:8443/v2/api");
        assert_eq!(
            Settings::from_form("http://x", "/api", "")
                .unwrap()
                .api_base,
            "http://x/api"
        );
        // A token over plain http goes only to this machine.
        for app in [
            "http://127.0.0.1:8700",
            "http://localhost:5173",
            "http://[::1]:8700",
        ] {
            let local = Settings::from_form(app, "", "t0k").unwrap();
            assert_eq!(local.token.as_deref(), Some("t0k"), "{app}");
        }

        let cases = [
            (
                ("", "", ""),
                Field::AppUrl,
                "Enter the app's address, e.g. https://jobs.example.com.",
            ),
            (
                ("jobs.example.com", "", ""),
                Field::AppUrl,
                "App URL `jobs.example.com` must start with http:// or https://.",
            ),
            (
                ("http://x/?a", "", ""),
                Field::AppUrl,
                "App URL `http://x/?a` must not contain `?` or `#`.",
            ),
            (
                ("http://x", "/\\y/api", ""),
                Field::ApiBase,
                "API base `/\\y/api` must not contain a backslash.",
            ),
            (
                ("http://x", "//y/api", ""),
                Field::ApiBase,
                "API base `//y/api` must not start with // (another host, on the page's scheme); \
                 write https://… in full.",
            ),
            (
                ("http://x", "https://ev\til.test/api", ""),
                Field::ApiBase,
                "API base `https://ev\\til.test/api` must not contain a tab.",
            ),
            (
                ("http://x", "https://ok.test/a\npi", ""),
                Field::ApiBase,
                "API base `https://ok.test/a\\npi` must not contain a line break.",
            ),
            (
                ("http://x", "https://u:p@y/api", ""),
                Field::ApiBase,
                "API base `https://u:p@y/api` must not contain a user name or password; use the \
                 token field.",
            ),
            (
                ("http://x/a\\b", "", ""),
                Field::AppUrl,
                "App URL `http://x/a\\b` must not contain a backslash.",
            ),
            (
                ("http://x", "http://y:70000/api", ""),
                Field::ApiBase,
                "API base `http://y:70000/api`: `70000` is not a port number (1–65535).",
            ),
            (
                ("http://x", "http://y/api?k=1", ""),
                Field::ApiBase,
                "API base `http://y/api?k=1` must not contain `?` or `#`.",
            ),
            (
                ("http://jobs.example", "", "t0k"),
                Field::ApiBase,
                "A bearer token is sent only over https: API base `http://jobs.example/api` must \
                 use https (http only for 127.0.0.1, localhost or [::1]).",
            ),
            (
                ("http://x", "", "ab cd"),
                Field::Token,
                "The token must not contain spaces or line breaks.",
            ),
        ];
        for ((app, api, token), field, message) in cases {
            assert_eq!(
                Settings::from_form(app, api, token),
                Err(Invalid {
                    field,
                    message: message.into()
                }),
                "{app} {api} {token}"
            );
        }
    }

    #[test]
    fn job_links_encode_the_id() {
        let settings = Settings::default();
        assert_eq!(
            settings.job_url("a/b?c").as_deref(),
            Some("http://127.0.0.1:8700/jobs/a%2Fb%3Fc")
        );
        assert_eq!(settings.job_url(".."), None);
    }
}
