//! Profiles set by an organisation (issue #19): an enterprise policy puts them in the extension's
//! managed storage (`storage.managed`, key `profiles`: Chrome's `3rdparty` extension policy with
//! the package's `managed_schema.json`, Firefox's `policies.json` `3rdparty.Extensions`). The
//! background validates them and keeps the valid ones in `storage.local` under [`MANAGED_KEY`]
//! (a stored book: `profiles::write_book`);
//! every context puts them first in its book, so they win over the user's own and the built-in
//! one. They are shown as "set by your organisation" and cannot be edited or deleted here.

use crate::api::json::{self, FromJson, Json};
use crate::sites::profile::{AuthMode, SiteProfile};
use crate::sites::profiles::{parse_book, StoredProfile};

/// The managed-storage key the policy sets.
pub const POLICY_KEY: &str = "profiles";
/// The `storage.local` key of the validated managed profiles (a stored book, no tokens).
pub const MANAGED_KEY: &str = "managed_profiles";

/// The policy's profiles (the JSON text of its `profiles` value): the valid ones, as a book, and
/// a sentence for each one refused. Empty text is no policy.
pub fn from_policy(policy: &str) -> (Vec<StoredProfile>, Vec<String>) {
    if policy.trim().is_empty() {
        return (Vec::new(), Vec::new());
    }
    let items = match json::parse(policy) {
        Ok(Json::Array(items)) => items,
        Ok(_) => {
            return (
                Vec::new(),
                vec!["The policy's `profiles` must be a list of site profiles.".into()],
            )
        }
        Err(error) => {
            return (
                Vec::new(),
                vec![format!("The policy's `profiles` are not JSON: {error}.")],
            )
        }
    };
    let mut book = Vec::new();
    let mut refused = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let name = item
            .optional_str(&["name"])
            .ok()
            .flatten()
            .unwrap_or_default();
        let label = format!("Managed profile {} (\"{name}\")", index + 1);
        let profile = match SiteProfile::from_json(item) {
            Ok(profile) => profile,
            Err(why) => {
                refused.push(format!("{label}: {why}"));
                continue;
            }
        };
        let mut problems = profile.problems();
        if profile.auth == AuthMode::BearerToken {
            problems.push(
                "a policy cannot hold a bearer token: managed profiles use the page's cookies."
                    .into(),
            );
        }
        if problems.is_empty() {
            book.push(StoredProfile {
                profile,
                token: None,
            });
        } else {
            refused.push(format!("{label}: {}", problems.join(" ")));
        }
    }
    (book, refused)
}

/// The book a context works with: the managed profiles (stored text, may be absent) first, then
/// the user's (an unreadable one is left out, with why).
pub fn join(managed: Option<&str>, user: Option<&str>) -> (Vec<StoredProfile>, Option<String>) {
    let mut book = managed
        .and_then(|text| parse_book(text).ok())
        .unwrap_or_default();
    let mut why = None;
    if let Some(text) = user {
        match parse_book(text) {
            Ok(user) => book.extend(user),
            Err(error) => why = Some(error),
        }
    }
    (book, why)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::profiles::write_book;

    const OPS: &str = r#"{"name":"Ops","origins":["https://ops.example"],"list_page":"/jobs","detail_page":"/jobs/:id","row":"tr[data-id]","row_id":"attribute","row_id_value":"data-id","detail_anchor":"header h1"}"#;

    #[test]
    fn valid_policy_profiles_are_kept_and_each_refusal_is_named() {
        let policy = format!(
            "[{OPS},{{\"name\":\"Broken\",\"origins\":[]}},{}]",
            OPS.replace("\"Ops\"", "\"Token\"").replace(
                "\"header h1\"",
                "\"header h1\",\"auth\":\"bearer_token\",\"api_base\":\"https://api.example\""
            )
        );
        let (book, refused) = from_policy(&policy);
        assert_eq!(book.len(), 1);
        assert_eq!(book[0].profile.name, "Ops");
        assert_eq!(book[0].profile.detail_anchor[0].selector, "header h1");
        assert_eq!(
            refused,
            [
                "Managed profile 2 (\"Broken\"): missing `row_id_value`",
                "Managed profile 3 (\"Token\"): a policy cannot hold a bearer token: managed \
                 profiles use the page's cookies."
            ]
        );
        assert_eq!(from_policy(""), (Vec::new(), Vec::new()));
        assert_eq!(
            from_policy("{}").1,
            ["The policy's `profiles` must be a list of site profiles."]
        );
        assert_eq!(parse_book(&write_book(&book)).unwrap(), book);
    }

    #[test]
    fn managed_profiles_come_first_and_win() {
        let (managed, _) = from_policy(&format!("[{OPS}]"));
        let mut mine = managed[0].clone();
        mine.profile.name = "Mine".into();
        let managed_text = write_book(&managed);
        let user_text = write_book(&[mine]);
        let (book, why) = join(Some(&managed_text), Some(&user_text));
        assert_eq!(why, None);
        let names: Vec<&str> = book.iter().map(|s| s.profile.name.as_str()).collect();
        assert_eq!(names, ["Ops", "Mine"]);
        let active = crate::sites::profiles::active_for(&book, "https://ops.example/jobs").unwrap();
        assert_eq!(active.profile.name, "Ops");
        let (book, why) = join(Some(&managed_text), Some("nope"));
        assert_eq!(book.len(), 1);
        assert!(why.unwrap().starts_with("The stored profiles are not JSON"));
        assert!(join(None, None).0.is_empty());
    }
}
