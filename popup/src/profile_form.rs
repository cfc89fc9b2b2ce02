//! The site-profile editor's form (issue #8): every field as typed, turned into a profile with
//! every problem named, or filled from a stored one. Pure, so it is tested natively; the view is
//! `components/sites_view.rs`.

use job_actions::api::json::{self, Json};
use job_actions::sites::profile::{
    AuthMode, Choice, Csrf, PathPattern, RowId, RowRule, SiteProfile, Switches,
};
use job_actions::sites::profiles::{ProbeFacts, RuleFacts, StoredProfile};

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
    RowTitle,
    RowPhase,
    RowMenuAnchor,
    DetailAnchor,
    PhaseElement,
    ApiBase,
    Token,
    CsrfName,
    CsrfHeader,
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
            ProfileField::RowTitle => "profile-row-title",
            ProfileField::RowPhase => "profile-row-phase",
            ProfileField::RowMenuAnchor => "profile-row-menu-anchor",
            ProfileField::DetailAnchor => "profile-detail-anchor",
            ProfileField::PhaseElement => "profile-phase-element",
            ProfileField::ApiBase => "profile-api-base",
            ProfileField::Token => "profile-token",
            ProfileField::CsrfName => "profile-csrf-name",
            ProfileField::CsrfHeader => "profile-csrf-header",
        }
    }

    /// Whether the field takes one entry per line (origins, alternatives).
    pub fn is_list(self) -> bool {
        matches!(
            self,
            ProfileField::Origins
                | ProfileField::RowTitle
                | ProfileField::RowPhase
                | ProfileField::RowMenuAnchor
                | ProfileField::DetailAnchor
                | ProfileField::PhaseElement
        )
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
    /// The row rules after the first, kept as they are (the built-in profile's, when this is a
    /// copy of it); the form edits the first.
    pub more_rows: Vec<RowRule>,
    /// Inside a row: its title, alternatives one per line, tried in order.
    pub row_title: String,
    /// Inside a row: the app's own phase text, alternatives one per line; may be empty.
    pub row_phase: String,
    /// Inside a row: where the menu button goes, alternatives one per line; may be empty.
    pub row_menu_anchor: String,
    /// Alternatives, one per line, tried in order.
    pub detail_anchor: String,
    /// Alternatives, one per line, tried in order; may be empty.
    pub phase_element: String,
    /// The profile's choices as they were, each with its field, so a selector kept in its field
    /// keeps its reason (one selector may stand in two fields for two reasons: `.job-title`).
    pub reasons: Vec<(ProfileField, Choice)>,
    pub api_base: String,
    /// `cookies` or `bearer_token`.
    pub auth: String,
    pub token: String,
    /// `conventional`, `off`, `meta` or `cookie`.
    pub csrf: String,
    pub csrf_name: String,
    pub csrf_header: String,
    pub switches: Switches,
}

impl ProfileForm {
    /// A new profile's form: the usual choices preselected (a row's title, phase and menu anchor:
    /// the conventions', with their reasons), everything else empty.
    pub fn blank() -> ProfileForm {
        let conventions = job_actions::sites::conventions::profile();
        ProfileForm {
            row_title: lines(&conventions.row_title),
            row_phase: lines(&conventions.row_phase),
            row_menu_anchor: lines(&conventions.row_menu_anchor),
            reasons: with_fields(&[
                (ProfileField::RowTitle, &conventions.row_title),
                (ProfileField::RowPhase, &conventions.row_phase),
                (ProfileField::RowMenuAnchor, &conventions.row_menu_anchor),
            ]),
            row_id_kind: "attribute".into(),
            auth: "cookies".into(),
            csrf: "conventional".into(),
            ..ProfileForm::default()
        }
    }

    pub fn from_stored(stored: &StoredProfile) -> ProfileForm {
        let profile = &stored.profile;
        let (first, more_rows) = match profile.rows.split_first() {
            Some((first, more)) => (Some(first), more.to_vec()),
            None => (None, Vec::new()),
        };
        let (kind, value, pattern) = match first.map(|rule| &rule.id) {
            Some(RowId::Attribute(name)) => ("attribute", name.clone(), String::new()),
            Some(RowId::Link { selector, pattern }) => {
                ("link", selector.clone(), pattern.as_str().to_string())
            }
            Some(RowId::Text(selector)) => ("text", selector.clone(), String::new()),
            None => ("attribute", String::new(), String::new()),
        };
        let first_row = Vec::from_iter(first.map(|rule| Choice::new(&rule.row, &rule.reason)));
        let (csrf, csrf_name, csrf_header) = match &profile.csrf {
            Csrf::Conventional => ("conventional", String::new(), String::new()),
            Csrf::Off => ("off", String::new(), String::new()),
            Csrf::Meta { name, header } => ("meta", name.clone(), header.clone()),
            Csrf::Cookie { name, header } => ("cookie", name.clone(), header.clone()),
        };
        ProfileForm {
            name: profile.name.clone(),
            origins: profile.origins.join("\n"),
            list_page: profile.list_page.as_str().into(),
            detail_page: profile.detail_page.as_str().into(),
            row: first.map(|rule| rule.row.clone()).unwrap_or_default(),
            row_id_kind: kind.into(),
            row_id_value: value,
            row_id_pattern: pattern,
            more_rows,
            row_title: lines(&profile.row_title),
            row_phase: lines(&profile.row_phase),
            row_menu_anchor: lines(&profile.row_menu_anchor),
            detail_anchor: lines(&profile.detail_anchor),
            phase_element: lines(&profile.phase_element),
            reasons: with_fields(&[
                (ProfileField::Row, &first_row),
                (ProfileField::RowTitle, &profile.row_title),
                (ProfileField::RowPhase, &profile.row_phase),
                (ProfileField::RowMenuAnchor, &profile.row_menu_anchor),
                (ProfileField::DetailAnchor, &profile.detail_anchor),
                (ProfileField::PhaseElement, &profile.phase_element),
            ]),
            api_base: profile.api_base.clone().unwrap_or_default(),
            auth: match profile.auth {
                AuthMode::Cookies => "cookies".into(),
                AuthMode::BearerToken => "bearer_token".into(),
            },
            token: stored.token.clone().unwrap_or_default(),
            csrf: csrf.into(),
            csrf_name,
            csrf_header,
            switches: profile.features,
        }
    }

    /// The selectors typed in `field`, one per line, each with the reason it had there when it
    /// was loaded.
    fn choices(&self, field: ProfileField, text: &str) -> Vec<Choice> {
        text.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|selector| {
                let reason = self
                    .reasons
                    .iter()
                    .find(|(of, choice)| *of == field && choice.selector == selector)
                    .map_or("", |(_, choice)| choice.reason.as_str());
                Choice::new(selector, reason)
            })
            .collect()
    }

    /// The profile the form describes, or every problem with it (each a sentence naming the
    /// field and what is wrong).
    pub fn to_stored(&self) -> Result<StoredProfile, Vec<String>> {
        let mut problems = Vec::new();
        let list_page = path_pattern("list pattern", &self.list_page, &mut problems);
        let detail_page = path_pattern("detail pattern", &self.detail_page, &mut problems);
        let row_id = self.row_id(&mut problems);
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
            rows: std::iter::once(RowRule::new(
                self.row.trim(),
                row_id,
                &self
                    .choices(ProfileField::Row, &self.row)
                    .first()
                    .map_or(String::new(), |choice| choice.reason.clone()),
            ))
            .chain(self.more_rows.iter().cloned())
            .collect(),
            row_title: self.choices(ProfileField::RowTitle, &self.row_title),
            row_phase: self.choices(ProfileField::RowPhase, &self.row_phase),
            row_menu_anchor: self.choices(ProfileField::RowMenuAnchor, &self.row_menu_anchor),
            detail_anchor: self.choices(ProfileField::DetailAnchor, &self.detail_anchor),
            phase_element: self.choices(ProfileField::PhaseElement, &self.phase_element),
            // Only plain spaces at the ends are forgiven, as the URL rule does: a tab or line break
            // anywhere in it is refused by name (`origin::check_api_base`).
            api_base: Some(self.api_base.trim_matches(' '))
                .filter(|base| !base.is_empty())
                .map(|base| base.trim_end_matches('/').into()),
            auth,
            csrf: self.csrf(),
            features: self.switches,
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

    /// Where a row's job id is, as chosen and typed; `None` (with the problem) when it cannot be.
    fn row_id(&self, problems: &mut Vec<String>) -> Option<RowId> {
        let value = self.row_id_value.trim().to_string();
        match self.row_id_kind.as_str() {
            "attribute" => Some(RowId::Attribute(value)),
            "text" => Some(RowId::Text(value)),
            "link" => {
                path_pattern("row link pattern", &self.row_id_pattern, problems).map(|pattern| {
                    RowId::Link {
                        selector: value,
                        pattern,
                    }
                })
            }
            other => {
                problems.push(format!(
                    "The row id kind `{other}` is unknown; use attribute, link or text."
                ));
                None
            }
        }
    }

    fn csrf(&self) -> Csrf {
        let (name, header) = (self.csrf_name.trim().into(), self.csrf_header.trim().into());
        match self.csrf.as_str() {
            "off" => Csrf::Off,
            "meta" => Csrf::Meta { name, header },
            "cookie" => Csrf::Cookie { name, header },
            _ => Csrf::Conventional,
        }
    }
}

/// The path pattern typed in the field `label` names, or `None` with why not.
fn path_pattern(label: &str, text: &str, problems: &mut Vec<String>) -> Option<PathPattern> {
    match text.trim() {
        "" => {
            problems.push(format!("The {label} is empty; e.g. /jobs or /jobs/:id."));
            None
        }
        text => PathPattern::parse(text)
            .map_err(|why| problems.push(format!("The {label}: {why}")))
            .ok(),
    }
}

/// Each field's choices, with the field.
fn with_fields(fields: &[(ProfileField, &Vec<Choice>)]) -> Vec<(ProfileField, Choice)> {
    fields
        .iter()
        .flat_map(|(field, choices)| choices.iter().map(|choice| (*field, choice.clone())))
        .collect()
}

/// Alternatives as the form shows them: one selector per line.
fn lines(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|choice| choice.selector.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the probe script (`browser::probe_tab`) is to read: each row rule and each anchor
/// alternative of `profile`, in order.
pub fn probe_plan(profile: &SiteProfile) -> String {
    plan_for(&profile.rows, &profile.detail_anchor)
}

/// The probe's plan for these row rules and anchor alternatives, in order ("Enable on this site"
/// reads `detect::row_candidates` and no anchors).
pub fn plan_for(rows: &[RowRule], anchors: &[Choice]) -> String {
    let rules = json::write_array(rows, |out, rule| {
        let (kind, value) = match &rule.id {
            RowId::Attribute(name) => ("attribute", name.as_str()),
            RowId::Link { selector, .. } => ("link", selector.as_str()),
            RowId::Text(selector) => ("text", selector.as_str()),
        };
        out.push_str(&json::write_string_object(&[
            ("row", Some(&rule.row)),
            ("kind", Some(kind)),
            ("value", Some(value)),
        ]));
    });
    let anchors = json::write_array(anchors, |out, choice| {
        json::write_string(out, &choice.selector)
    });
    json::write_object(&[], &[("rules", &rules), ("anchors", &anchors)])
}

/// What the probe script (`browser::probe_tab`) read from the tab, from its JSON answer.
pub fn probe_facts(text: &str) -> Result<ProbeFacts, String> {
    let value = json::parse(text).map_err(|e| format!("The tab's answer is unreadable: {e}."))?;
    let list = |name: &str| match value.member(&[name]) {
        Some(Json::Array(items)) => items.as_slice(),
        _ => &[],
    };
    let refusal = |item: &Json| item.optional_str(&["error"]).ok().flatten();
    let rows = list("rules")
        .iter()
        .map(|rule| RuleFacts {
            rows: match (refusal(rule), rule.member(&["rows"])) {
                (Some(error), _) => Err(error),
                (None, Some(Json::Number(count))) => Ok(count.parse().unwrap_or(0)),
                _ => Ok(0),
            },
            row_ids: match rule.member(&["ids"]) {
                Some(Json::Array(ids)) => ids
                    .iter()
                    .map(|id| id.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            },
        })
        .collect();
    let anchors = list("anchors")
        .iter()
        .map(|anchor| match (anchor, refusal(anchor)) {
            (_, Some(error)) => Err(error),
            (Json::Bool(found), None) => Ok(*found),
            _ => Ok(false),
        })
        .collect();
    Ok(ProbeFacts {
        url: value.required_str(&["url"])?,
        rows,
        anchors,
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
            row_title: "a.card-link h3".into(),
            row_phase: "".into(),
            row_menu_anchor: "\n".into(),
            detail_anchor: ".run-head .run-name".into(),
            phase_element: " ".into(),
            api_base: String::new(),
            auth: "cookies".into(),
            token: "left-over".into(),
            csrf: "conventional".into(),
            ..ProfileForm::default()
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
        assert_eq!(stored.profile.phase_element, Vec::new());
        assert_eq!(stored.profile.row_title, [Choice::plain("a.card-link h3")]);
        assert_eq!(stored.profile.row_menu_anchor, Vec::new());
        // Cookie auth keeps no token, even one typed before switching.
        assert_eq!(stored.token, None);
        let again = ProfileForm::from_stored(&stored).to_stored().unwrap();
        assert_eq!(again, stored);
        // A copy of the built-in profile keeps every alternative and its reason.
        let built_in = StoredProfile {
            profile: job_actions::sites::conventions::profile(),
            token: None,
        };
        let form = ProfileForm::from_stored(&built_in);
        assert_eq!(form.detail_anchor.lines().count(), 6);
        assert_eq!(form.row_title.lines().count(), 3);
        assert_eq!(form.more_rows.len(), 2);
        assert_eq!(form.to_stored().unwrap(), built_in);
        let mut edited = form.clone();
        edited.detail_anchor = "h2.name\n  \n[data-job-title]\n".into();
        edited.csrf = "cookie".into();
        edited.csrf_name = "my_csrf".into();
        edited.csrf_header = "X-My".into();
        let profile = edited.to_stored().unwrap().profile;
        assert_eq!(
            profile.detail_anchor,
            [
                Choice::plain("h2.name"),
                Choice::new("[data-job-title]", "an attribute apps put on a job's title")
            ]
        );
        assert_eq!(
            profile.csrf,
            Csrf::Cookie {
                name: "my_csrf".into(),
                header: "X-My".into()
            }
        );
        edited.csrf_header = "X My".into();
        assert_eq!(
            edited.to_stored().unwrap_err(),
            ["CSRF header `X My` is not a header name; e.g. X-CSRF-Token."]
        );
    }

    /// Issue #21: a new profile starts with the conventions' row title, phase and menu anchor (the
    /// content script's constants before), each keeping its reason; a row title is needed.
    #[test]
    fn a_new_profile_starts_with_the_conventional_row_places() {
        let conventions = job_actions::sites::conventions::profile();
        let mut form = ProfileForm::blank();
        assert_eq!(form.row_menu_anchor, "td:last-child");
        form.name = "Ops".into();
        form.origins = "https://ops.example".into();
        form.list_page = "/ops/jobs".into();
        form.detail_page = "/ops/jobs/:id".into();
        form.row = "tr[data-id]".into();
        form.row_id_value = "data-id".into();
        form.detail_anchor = "header h1".into();
        let profile = form.to_stored().unwrap().profile;
        assert_eq!(profile.row_title, conventions.row_title);
        assert_eq!(profile.row_phase, conventions.row_phase);
        assert_eq!(profile.row_menu_anchor, conventions.row_menu_anchor);
        form.row_title = " \n".into();
        form.row_phase = "td.state\n.job-phase".into();
        assert_eq!(
            form.to_stored().unwrap_err(),
            ["The profile needs a row title, e.g. td:first-child."]
        );
        form.row_title = "td.name".into();
        let profile = form.to_stored().unwrap().profile;
        assert_eq!(
            profile.row_phase,
            [
                Choice::plain("td.state"),
                Choice::new(".job-phase", "the emulator's phase cell")
            ]
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

    /// Issue #23: the switches unticked in the editor are saved with the profile, survive export
    /// and import, and fill the editor again; a new profile has them all on.
    #[test]
    fn switches_are_saved_exported_and_read_back() {
        assert_eq!(ProfileForm::blank().switches, Switches::ALL_ON);
        assert_eq!(
            spa_form().to_stored().unwrap().profile.features,
            Switches::ALL_ON
        );
        let mut form = spa_form();
        form.switches.badges = false;
        form.switches.row_menu = false;
        let stored = form.to_stored().unwrap();
        assert_eq!(
            stored.profile.features,
            Switches {
                badges: false,
                row_menu: false,
                ..Switches::ALL_ON
            }
        );
        let exported = stored.profile.to_json();
        assert!(
            exported.contains(r#""switched_off":["badges","row_menu"]"#),
            "{exported}"
        );
        let imported = StoredProfile {
            profile: SiteProfile::import(&exported).unwrap(),
            token: None,
        };
        assert_eq!(imported, stored);
        let again = ProfileForm::from_stored(&imported);
        assert_eq!(again.switches, form.switches);
        assert_eq!(again.to_stored().unwrap(), stored);
    }

    #[test]
    fn probe_answers_are_read() {
        let facts = probe_facts(
            r#"{"url":"http://localhost:1/spa/runs","rules":[{"rows":3,"ids":["/spa/runs/a/overview",null]},{"error":"bad row"}],"anchors":[false,{"error":"bad anchor"},true]}"#,
        )
        .unwrap();
        assert_eq!(facts.rows[0].rows, Ok(3));
        assert_eq!(
            facts.rows[0].row_ids,
            vec![Some("/spa/runs/a/overview".into()), None]
        );
        assert_eq!(facts.rows[1].rows, Err("bad row".into()));
        assert_eq!(
            facts.anchors,
            [Ok(false), Err("bad anchor".into()), Ok(true)]
        );
        assert!(probe_facts("nope").is_err());
    }

    #[test]
    fn the_probe_plan_names_every_rule_and_anchor_in_order() {
        let plan = probe_plan(&job_actions::sites::conventions::profile());
        assert!(plan.starts_with(
            r#"{"rules":[{"row":"[data-job-id]","kind":"attribute","value":"data-job-id"},"#
        ));
        assert!(plan.ends_with(
            r#""anchors":["[data-job-title]",".job-title","header h1","main h1","h1","header h2"]}"#
        ));
    }
}
