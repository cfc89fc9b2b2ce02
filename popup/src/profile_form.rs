//! The site-profile editor's form (issue #8): every field as typed, turned into a profile with
//! every problem named, or filled from a stored one. Pure, so it is tested natively; the view is
//! `components/sites_view.rs`.

use job_actions::json::{self, Json};
use job_actions::profile::{AuthMode, PathPattern, RowId, SiteProfile};
use job_actions::profiles::{ProbeFacts, StoredProfile};

/// Which form field (for ids, labels and test ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileField {
    Name,
    Origins,
    ListPage,
    DetailPage,
    Row,
    RowIdValue,
    RowIdPattern,
    DetailAnchor,
    PhaseElement,
    ApiBase,
    Token,
}

impl ProfileField {
    /// The field's element id and `data-testid` suffix.
    pub fn id(self) -> &'static str {
        match self {
            ProfileField::Name => "profile-name",
            ProfileField::Origins => "profile-origins",
            ProfileField::ListPage => "profile-list-page",
            ProfileField::DetailPage => "profile-detail-page",
            ProfileField::Row => "profile-row",
            ProfileField::RowIdValue => "profile-row-id-value",
            ProfileField::RowIdPattern => "profile-row-id-pattern",
            ProfileField::DetailAnchor => "profile-detail-anchor",
            ProfileField::PhaseElement => "profile-phase-element",
            ProfileField::ApiBase => "profile-api-base",
            ProfileField::Token => "profile-token",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileForm {
    pub name: String,
    /// One origin per line (or separated by commas or spaces).
    pub origins: String,
    pub list_page: String,
    pub detail_page: String,
    pub row: String,
    /// `attribute`, `link` or `text`.
    pub row_id_kind: String,
    pub row_id_value: String,
    pub row_id_pattern: String,
    pub detail_anchor: String,
    pub phase_element: String,
    pub api_base: String,
    /// `cookies` or `bearer_token`.
    pub auth: String,
    pub token: String,
}

impl ProfileForm {
    /// A new profile's form: the usual choices preselected, everything else empty.
    pub fn blank() -> ProfileForm {
        ProfileForm {
            row_id_kind: "attribute".into(),
            auth: "cookies".into(),
            ..ProfileForm::default()
        }
    }

    pub fn from_stored(stored: &StoredProfile) -> ProfileForm {
        let profile = &stored.profile;
        let (kind, value, pattern) = match &profile.row_id {
            RowId::Attribute(name) => ("attribute", name.clone(), String::new()),
            RowId::Link { selector, pattern } => {
                ("link", selector.clone(), pattern.as_str().to_string())
            }
            RowId::Text(selector) => ("text", selector.clone(), String::new()),
        };
        ProfileForm {
            name: profile.name.clone(),
            origins: profile.origins.join("\n"),
            list_page: profile.list_page.as_str().into(),
            detail_page: profile.detail_page.as_str().into(),
            row: profile.row.clone(),
            row_id_kind: kind.into(),
            row_id_value: value,
            row_id_pattern: pattern,
            detail_anchor: profile.detail_anchor.clone(),
            phase_element: profile.phase_element.clone().unwrap_or_default(),
            api_base: profile.api_base.clone().unwrap_or_default(),
            auth: match profile.auth {
                AuthMode::Cookies => "cookies".into(),
                AuthMode::BearerToken => "bearer_token".into(),
            },
            token: stored.token.clone().unwrap_or_default(),
        }
    }

    /// The profile the form describes, or every problem with it (each a sentence naming the
    /// field and what is wrong).
    pub fn to_stored(&self) -> Result<StoredProfile, Vec<String>> {
        let mut problems = Vec::new();
        let mut pattern = |label: &str, text: &str| match text.trim() {
            "" => {
                problems.push(format!("The {label} is empty; e.g. /jobs or /jobs/:id."));
                None
            }
            text => PathPattern::parse(text)
                .map_err(|why| problems.push(format!("The {label}: {why}")))
                .ok(),
        };
        let list_page = pattern("list pattern", &self.list_page);
        let detail_page = pattern("detail pattern", &self.detail_page);
        let row_pattern = (self.row_id_kind == "link")
            .then(|| pattern("row link pattern", &self.row_id_pattern))
            .flatten();
        let value = self.row_id_value.trim().to_string();
        let row_id = match self.row_id_kind.as_str() {
            "attribute" => Some(RowId::Attribute(value)),
            "text" => Some(RowId::Text(value)),
            "link" => row_pattern.map(|pattern| RowId::Link {
                selector: value,
                pattern,
            }),
            other => {
                problems.push(format!(
                    "The row id kind `{other}` is unknown; use attribute, link or text."
                ));
                None
            }
        };
        let auth = match self.auth.as_str() {
            "bearer_token" => AuthMode::BearerToken,
            _ => AuthMode::Cookies,
        };
        let token = self.token.trim();
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            problems.push("The token must not contain spaces or line breaks.".into());
        }
        if auth == AuthMode::BearerToken && token.is_empty() {
            problems.push("Bearer-token auth needs a token; or choose the page's cookies.".into());
        }
        let optional = |text: &str| Some(text.trim().to_string()).filter(|text| !text.is_empty());
        let (Some(list_page), Some(detail_page), Some(row_id)) = (list_page, detail_page, row_id)
        else {
            return Err(problems);
        };
        let profile = SiteProfile {
            name: self.name.trim().into(),
            origins: self
                .origins
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|origin| !origin.is_empty())
                .map(|origin| origin.trim_end_matches('/').to_string())
                .collect(),
            list_page,
            detail_page,
            row: self.row.trim().into(),
            row_id,
            detail_anchor: self.detail_anchor.trim().into(),
            phase_element: optional(&self.phase_element),
            // Only plain spaces at the ends are forgiven, as the URL rule does: a tab or line break
            // anywhere in it is refused by name (`origin::check_api_base`).
            api_base: Some(self.api_base.trim_matches(' '))
                .filter(|base| !base.is_empty())
                .map(|base| base.trim_end_matches('/').into()),
            auth,
        };
        problems.extend(profile.problems());
        if problems.is_empty() {
            Ok(StoredProfile {
                profile,
                token: (auth == AuthMode::BearerToken).then(|| token.to_string()),
            })
        } else {
            Err(problems)
        }
    }
}

/// What the probe script (`browser::probe_tab`) read from the tab, from its JSON answer.
pub fn probe_facts(text: &str) -> Result<ProbeFacts, String> {
    let value = json::parse(text).map_err(|e| format!("The tab's answer is unreadable: {e}."))?;
    let rows = match (value.member(&["rows"]), value.optional_str(&["rowsError"])?) {
        (_, Some(error)) => Err(error),
        (Some(Json::Number(count)), None) => Ok(count.parse().unwrap_or(0)),
        _ => Ok(0),
    };
    let anchor = match (
        value.member(&["anchor"]),
        value.optional_str(&["anchorError"])?,
    ) {
        (_, Some(error)) => Err(error),
        (Some(Json::Bool(found)), None) => Ok(*found),
        _ => Ok(false),
    };
    let row_ids = match value.member(&["ids"]) {
        Some(Json::Array(ids)) => ids
            .iter()
            .map(|id| id.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    Ok(ProbeFacts {
        url: value.required_str(&["url"])?,
        rows,
        row_ids,
        anchor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spa_form() -> ProfileForm {
        ProfileForm {
            name: " Runs ".into(),
            origins: "http://localhost:8080/\nhttps://runs.example, http://127.0.0.1:9".into(),
            list_page: "/spa/runs".into(),
            detail_page: "/spa/runs/:id/overview".into(),
            row: "article.card".into(),
            row_id_kind: "link".into(),
            row_id_value: "a.card-link".into(),
            row_id_pattern: "/spa/runs/:id/overview".into(),
            detail_anchor: ".run-head .run-name".into(),
            phase_element: " ".into(),
            api_base: String::new(),
            auth: "cookies".into(),
            token: "left-over".into(),
        }
    }

    #[test]
    fn a_valid_form_becomes_a_profile_and_back() {
        let stored = spa_form().to_stored().unwrap();
        assert_eq!(stored.profile.name, "Runs");
        assert_eq!(
            stored.profile.origins,
            vec![
                "http://localhost:8080",
                "https://runs.example",
                "http://127.0.0.1:9"
            ]
        );
        assert_eq!(stored.profile.phase_element, None);
        // Cookie auth keeps no token, even one typed before switching.
        assert_eq!(stored.token, None);
        let again = ProfileForm::from_stored(&stored).to_stored().unwrap();
        assert_eq!(again, stored);
        let emulator = StoredProfile {
            profile: SiteProfile::emulator(),
            token: None,
        };
        assert_eq!(
            ProfileForm::from_stored(&emulator).to_stored().unwrap(),
            emulator
        );
    }

    #[test]
    fn every_problem_is_named() {
        let mut form = spa_form();
        form.name = "".into();
        form.row = "article[".into();
        form.detail_page = "/spa/runs".into();
        form.auth = "bearer_token".into();
        form.token = "".into();
        let problems = form.to_stored().unwrap_err();
        assert_eq!(
            problems,
            vec![
                "Bearer-token auth needs a token; or choose the page's cookies.".to_string(),
                "The profile needs a name.".into(),
                "Detail pattern `/spa/runs` has no :id.".into(),
                "The row selector `article[` is not valid CSS: a [ is not closed.".into(),
                "A bearer token needs an explicit API base (https://…): without one, the token \
                 would go to /api on every origin and port the profile covers."
                    .into(),
            ]
        );
        let mut form = spa_form();
        form.list_page = "".into();
        form.row_id_pattern = "spa/:id".into();
        form.token = "two words".into();
        form.auth = "bearer_token".into();
        assert_eq!(
            form.to_stored().unwrap_err(),
            vec![
                "The list pattern is empty; e.g. /jobs or /jobs/:id.".to_string(),
                "The row link pattern: Pattern `spa/:id` must start with /.".into(),
                "The token must not contain spaces or line breaks.".into(),
            ]
        );
        // Issue #20: what the editor refuses in an API base, and where a token may go.
        let mut form = spa_form();
        form.api_base = "https://ev\til.test/api".into();
        assert_eq!(
            form.to_stored().unwrap_err(),
            ["API base `https://ev\\til.test/api` must not contain a tab."]
        );
        form.api_base = "http://api.example/v1/".into();
        form.auth = "bearer_token".into();
        form.token = "t0k".into();
        assert_eq!(
            form.to_stored().unwrap_err(),
            ["A bearer token is sent only over https: API base `http://api.example/v1` must use \
              https (http only for 127.0.0.1, localhost or [::1])."]
        );
        form.api_base = " https://api.example/v1/ ".into();
        let stored = form.to_stored().unwrap();
        assert_eq!(
            (stored.profile.api_base.as_deref(), stored.token.as_deref()),
            (Some("https://api.example/v1"), Some("t0k"))
        );
    }

    #[test]
    fn probe_answers_are_read() {
        let facts = probe_facts(
            r#"{"url":"http://localhost:1/spa/runs","rows":3,"ids":["/spa/runs/a/overview",null],"anchor":false}"#,
        )
        .unwrap();
        assert_eq!(facts.rows, Ok(3));
        assert_eq!(
            facts.row_ids,
            vec![Some("/spa/runs/a/overview".into()), None]
        );
        assert_eq!(facts.anchor, Ok(false));
        let refused = probe_facts(
            r#"{"url":"http://x/","rowsError":"'a[' is not a valid selector.","ids":[],"anchorError":"bad"}"#,
        )
        .unwrap();
        assert_eq!(refused.rows, Err("'a[' is not a valid selector.".into()));
        assert_eq!(refused.anchor, Err("bad".into()));
        assert!(probe_facts("nope").is_err());
    }
}
