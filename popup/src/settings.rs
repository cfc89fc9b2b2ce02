//! Where the popup finds the API: stored under `settings` in extension storage, with the
//! emulator's address as the default.

use job_actions::ClientConfig;
use serde::{Deserialize, Serialize};

pub const STORAGE_KEY: &str = "settings";
pub const DEFAULT_API_BASE: &str = "http://127.0.0.1:8700/api";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub api_base: String,
    #[serde(default)]
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

impl Settings {
    pub fn client_config(&self) -> Result<ClientConfig, String> {
        Ok(ClientConfig::new(&self.api_base)?.with_token(self.token.clone()))
    }

    /// The stored settings, or the defaults when nothing (or something unreadable) is stored.
    pub async fn load() -> Settings {
        match crate::storage::get(STORAGE_KEY).await {
            Ok(Some(json)) => serde_json::from_str(&json).unwrap_or_default(),
            _ => Settings::default(),
        }
    }
}
