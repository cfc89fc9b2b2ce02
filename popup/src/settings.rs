//! Where the popup finds the API: stored under `settings` in extension storage as JSON, with the
//! emulator's address as the default.

use job_actions::json::{self, FromJson, Json};
use job_actions::ClientConfig;

pub const STORAGE_KEY: &str = "settings";
pub const DEFAULT_API_BASE: &str = "http://127.0.0.1:8700/api";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub api_base: String,
    pub token: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            api_base: DEFAULT_API_BASE.into(),
            token: None,
        }
    }
}

impl FromJson for Settings {
    fn from_json(value: &Json) -> Result<Settings, String> {
        Ok(Settings {
            api_base: value.required_str(&["api_base"])?,
            token: value.optional_str(&["token"])?,
        })
    }
}

impl Settings {
    pub fn client_config(&self) -> Result<ClientConfig, String> {
        Ok(ClientConfig::new(&self.api_base)?.with_token(self.token.clone()))
    }

    /// The stored settings, or the defaults when nothing (or something unreadable) is stored.
    pub async fn load() -> Settings {
        match crate::storage::get(STORAGE_KEY).await {
            Ok(Some(text)) => json::decode(&text).unwrap_or_default(),
            _ => Settings::default(),
        }
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
                api_base: "http://x/api".into(),
                token: Some("t".into())
            }
        );
        assert!(json::decode::<Settings>(r#"{"token":"t"}"#).is_err());
        assert_eq!(
            Settings::default().client_config().unwrap().api_base,
            DEFAULT_API_BASE
        );
    }
}
