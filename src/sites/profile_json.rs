//! A site profile as JSON (issue #8, #19): what Export writes, and what Import, the stored book
//! and an organisation's policy read. One row rule and plain selectors keep the flat form earlier versions wrote;
//! alternatives and reasons travel as lists. Switches turned off travel as `"switched_off":
//! ["cancel", "force_delete"]`; absent, everything is on (so every older export reads unchanged).

use crate::api::json::{self, FromJson, Json};
use crate::sites::alternatives::{Choice, RowId, RowRule};
use crate::sites::conventions;
use crate::sites::csrf::Csrf;
use crate::sites::path_pattern::PathPattern;
use crate::sites::profile::{AuthMode, SiteProfile, Switches};
use crate::sites::validation;

impl SiteProfile {
    /// The profile as JSON, for export (a team shares one file). A profile of one row rule and
    /// plain selectors keeps the flat form earlier versions wrote; alternatives are lists.
    pub fn to_json(&self) -> String {
        let origins =
            json::write_array(&self.origins, |out, origin| json::write_string(out, origin));
        let mut raw = vec![("origins", origins)];
        let mut strings = vec![
            ("name", Some(self.name.as_str())),
            ("list_page", Some(self.list_page.as_str())),
            ("detail_page", Some(self.detail_page.as_str())),
        ];
        match self.rows.as_slice() {
            [only] if only.reason.is_empty() => strings.extend(row_rule_members(only)),
            rules => raw.push((
                "rows",
                json::write_array(rules, |out, rule| out.push_str(&row_rule_json(rule, true))),
            )),
        }
        // The row's own places came later: absent, they read as the conventions', so an empty
        // one is written as `[]`.
        for (key, choices, empty_is_written) in [
            ("row_title", &self.row_title, true),
            ("row_phase", &self.row_phase, true),
            ("row_menu_anchor", &self.row_menu_anchor, true),
            ("detail_anchor", &self.detail_anchor, false),
            ("phase_element", &self.phase_element, false),
        ] {
            match choices_json(choices) {
                Written::Text(text) => strings.push((key, Some(text))),
                Written::Json(list) => raw.push((key, list)),
                Written::Nothing if empty_is_written => raw.push((key, "[]".into())),
                Written::Nothing => {}
            }
        }
        strings.push(("api_base", self.api_base.as_deref()));
        strings.push((
            "auth",
            Some(match self.auth {
                AuthMode::Cookies => "cookies",
                AuthMode::BearerToken => "bearer_token",
            }),
        ));
        match &self.csrf {
            Csrf::Conventional => {}
            Csrf::Off => strings.push(("csrf", Some("off"))),
            Csrf::Meta { name, header } => raw.push((
                "csrf",
                json::write_string_object(&[("meta", Some(name)), ("header", Some(header))]),
            )),
            Csrf::Cookie { name, header } => raw.push((
                "csrf",
                json::write_string_object(&[("cookie", Some(name)), ("header", Some(header))]),
            )),
        }
        let off: Vec<&str> = Switches::NAMES
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| !self.features.is_on(name))
            .collect();
        if !off.is_empty() {
            let names = json::write_array(off, json::write_string);
            raw.push(("switched_off", names));
        }
        let raw: Vec<(&str, &str)> = raw
            .iter()
            .map(|(key, value)| (*key, value.as_str()))
            .collect();
        json::write_object(&strings, &raw)
    }

    /// Reads an exported profile and validates it: every problem, or the profile.
    pub fn import(text: &str) -> Result<SiteProfile, Vec<String>> {
        let value = json::parse(text).map_err(|e| vec![format!("The file is not JSON: {e}.")])?;
        let profile = SiteProfile::from_json(&value).map_err(|why| vec![why])?;
        let problems = profile.problems();
        if problems.is_empty() {
            Ok(profile)
        } else {
            Err(problems)
        }
    }
}

enum Written<'a> {
    Nothing,
    Text(&'a str),
    Json(String),
}

/// One plain selector as a string (the flat form); alternatives or reasons as a list whose items
/// are strings or `{"selector", "reason"}`.
fn choices_json(choices: &[Choice]) -> Written<'_> {
    match choices {
        [] => Written::Nothing,
        [only] if only.reason.is_empty() => Written::Text(&only.selector),
        _ => Written::Json(json::write_array(choices, |out, choice| {
            if choice.reason.is_empty() {
                json::write_string(out, &choice.selector);
            } else {
                out.push_str(&json::write_string_object(&[
                    ("selector", Some(&choice.selector)),
                    ("reason", Some(&choice.reason)),
                ]));
            }
        })),
    }
}

fn row_rule_members(rule: &RowRule) -> [(&'static str, Option<&str>); 4] {
    let (kind, value, pattern) = match &rule.id {
        RowId::Attribute(name) => ("attribute", name.as_str(), None),
        RowId::Link { selector, pattern } => ("link", selector.as_str(), Some(pattern.as_str())),
        RowId::Text(selector) => ("text", selector.as_str(), None),
    };
    [
        ("row", Some(&rule.row)),
        ("row_id", Some(kind)),
        ("row_id_value", Some(value)),
        ("row_id_pattern", pattern),
    ]
}

fn row_rule_json(rule: &RowRule, with_reason: bool) -> String {
    let mut members = row_rule_members(rule).to_vec();
    if with_reason && !rule.reason.is_empty() {
        members.push(("reason", Some(&rule.reason)));
    }
    json::write_string_object(&members)
}

/// A row rule: `row`, `row_id` (attribute, link or text), `row_id_value`, `row_id_pattern` (for
/// links), `reason`.
fn row_rule_from(value: &Json) -> Result<RowRule, String> {
    let row_id_value = value.required_str(&["row_id_value"])?;
    let id = match value.required_str(&["row_id"])?.as_str() {
        "attribute" => RowId::Attribute(row_id_value),
        "text" => RowId::Text(row_id_value),
        "link" => RowId::Link {
            selector: row_id_value,
            pattern: PathPattern::parse(&value.required_str(&["row_id_pattern"])?)?,
        },
        other => {
            return Err(format!(
                "`row_id` is `{other}`; use attribute, link or text."
            ))
        }
    };
    Ok(RowRule {
        row: value.required_str(&["row"])?,
        id,
        reason: value.optional_str(&["reason"])?.unwrap_or_default(),
    })
}

/// `name`: absent, a selector, or a list of selectors or `{"selector", "reason"}`.
fn choices_from(value: &Json, name: &str) -> Result<Vec<Choice>, String> {
    let item = |item: &Json| match item {
        Json::String(selector) => Ok(Choice::plain(selector)),
        Json::Object(_) => Ok(Choice {
            selector: item.required_str(&["selector"])?,
            reason: item.optional_str(&["reason"])?.unwrap_or_default(),
        }),
        _ => Err(format!(
            "`{name}` must be a selector or a list of selectors."
        )),
    };
    match value.member(&[name]) {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Array(items)) => items.iter().map(item).collect(),
        Some(single) => Ok(vec![item(single)?]),
    }
}

/// `name` as [`choices_from`] reads it; absent (a profile saved before the field existed): the
/// conventions' alternatives, `conventional`.
fn choices_or(
    value: &Json,
    name: &str,
    conventional: &[(&str, &str)],
) -> Result<Vec<Choice>, String> {
    match value.member(&[name]) {
        None | Some(Json::Null) => Ok(conventions::choices(conventional)),
        Some(_) => choices_from(value, name),
    }
}

fn csrf_from(value: &Json) -> Result<Csrf, String> {
    let header = |value: &Json| value.required_str(&["header"]);
    Ok(match value.member(&["csrf"]) {
        None | Some(Json::Null) => Csrf::Conventional,
        Some(Json::String(kind)) if kind == "conventional" => Csrf::Conventional,
        Some(Json::String(kind)) if kind == "off" => Csrf::Off,
        Some(csrf @ Json::Object(_)) => match (csrf.optional_str(&["meta"])?, csrf.optional_str(&["cookie"])?) {
            (Some(name), None) => Csrf::Meta { name, header: header(csrf)? },
            (None, Some(name)) => Csrf::Cookie { name, header: header(csrf)? },
            _ => return Err("`csrf` names either a `meta` tag or a `cookie`, with its `header`.".into()),
        },
        Some(_) => {
            return Err(
                "`csrf` is conventional, off, {\"meta\": name, \"header\": h} or {\"cookie\": name, \"header\": h}."
                    .into(),
            )
        }
    })
}

/// `switched_off`: absent, or a list of switch names (`Switches::NAMES`); each turns its part off.
fn switches_from(value: &Json) -> Result<Switches, String> {
    let mut switches = Switches::ALL_ON;
    let names = match value.member(&["switched_off"]) {
        None | Some(Json::Null) => return Ok(switches),
        Some(Json::Array(names)) => names,
        Some(_) => return Err(validation::switches_expected()),
    };
    for name in names {
        let name = name.as_str().ok_or_else(validation::switches_expected)?;
        let switch = switches
            .by_name(name)
            .ok_or_else(|| validation::unknown_switch(name))?;
        *switch = false;
    }
    Ok(switches)
}

impl FromJson for SiteProfile {
    fn from_json(value: &Json) -> Result<SiteProfile, String> {
        if !matches!(value, Json::Object(_)) {
            return Err("A profile must be a JSON object.".into());
        }
        let origins = match value.member(&["origins"]) {
            Some(Json::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or("`origins` must be a list of strings.")?,
            _ => return Err("`origins` must be a list of strings.".into()),
        };
        let rows = match value.member(&["rows"]) {
            Some(Json::Array(rules)) => {
                rules.iter().map(row_rule_from).collect::<Result<_, _>>()?
            }
            Some(_) => return Err("`rows` must be a list of row rules.".into()),
            None => vec![row_rule_from(value)?],
        };
        let auth = match value.optional_str(&["auth"])?.as_deref() {
            None | Some("cookies") => AuthMode::Cookies,
            Some("bearer_token") => AuthMode::BearerToken,
            Some(other) => {
                return Err(format!("`auth` is `{other}`; use cookies or bearer_token."))
            }
        };
        Ok(SiteProfile {
            name: value.required_str(&["name"])?,
            origins,
            list_page: PathPattern::parse(&value.required_str(&["list_page"])?)?,
            detail_page: PathPattern::parse(&value.required_str(&["detail_page"])?)?,
            rows,
            row_title: choices_or(value, "row_title", conventions::ROW_TITLE)?,
            row_phase: choices_or(value, "row_phase", conventions::ROW_PHASE)?,
            row_menu_anchor: choices_or(value, "row_menu_anchor", conventions::ROW_MENU_ANCHOR)?,
            detail_anchor: choices_from(value, "detail_anchor")?,
            phase_element: choices_from(value, "phase_element")?,
            api_base: value.optional_str(&["api_base"])?,
            auth,
            csrf: csrf_from(value)?,
            features: switches_from(value)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::profile::sample;

    fn pattern(text: &str) -> PathPattern {
        PathPattern::parse(text).unwrap()
    }

    #[test]
    fn a_profile_survives_export_and_import() {
        let mut card_app = sample();
        card_app.name = "Cards \"SPA\"".into();
        card_app.origins = vec![
            "http://localhost:5173".into(),
            "https://runs.example.com".into(),
        ];
        card_app.list_page = pattern("/spa/runs");
        card_app.detail_page = pattern("/spa/runs/:id/overview");
        card_app.rows = vec![RowRule::new(
            ".card",
            RowId::Link {
                selector: "a.card-link".into(),
                pattern: pattern("/spa/runs/:id/overview"),
            },
            "",
        )];
        card_app.phase_element = Vec::new();
        card_app.api_base = Some("https://api.example.com/v1".into());
        card_app.auth = AuthMode::BearerToken;
        card_app.csrf = Csrf::Meta {
            name: "_token".into(),
            header: "X-Token".into(),
        };
        let mut off = sample();
        off.csrf = Csrf::Off;
        for profile in [
            sample(),
            card_app,
            off,
            crate::sites::conventions::profile(),
        ] {
            assert_eq!(SiteProfile::import(&profile.to_json()), Ok(profile.clone()));
        }
    }

    /// Issue #19: what earlier versions exported (one row rule, plain selectors) reads as
    /// before, and the built-in profile's alternatives and reasons travel as lists.
    #[test]
    fn flat_exports_stay_flat_and_alternatives_travel_as_lists() {
        let flat = sample().to_json();
        assert!(flat.contains("\"row\":\"[data-job-id]\""), "{flat}");
        assert!(
            flat.contains("\"detail_anchor\":\".job-header .job-title\""),
            "{flat}"
        );
        assert!(flat.contains("\"row_title\":\".job-title\""), "{flat}");
        assert!(!flat.contains("csrf"), "{flat}");
        let built_in = crate::sites::conventions::profile().to_json();
        assert!(
            built_in.contains("\"rows\":[{\"row\":\"[data-job-id]\""),
            "{built_in}"
        );
        assert!(
            built_in.contains("\"detail_anchor\":[{\"selector\":\"[data-job-title]\",\"reason\":")
        );
        assert!(built_in.contains("\"row_title\":[{\"selector\":\".job-title\",\"reason\":"));
        let listed = flat.replace(
            "\"detail_anchor\":\".job-header .job-title\"",
            "\"detail_anchor\":[\"h1.title\",{\"selector\":\"h2\",\"reason\":\"r\"}]",
        );
        assert_eq!(
            SiteProfile::import(&listed).unwrap().detail_anchor,
            [Choice::plain("h1.title"), Choice::new("h2", "r")]
        );
        for (broken, why) in [
            (("\"detail_anchor\":\".job-header .job-title\"", "\"detail_anchor\":[1]"),
             "`detail_anchor` must be a selector or a list of selectors."),
            (("\"auth\":\"cookies\"", "\"auth\":\"cookies\",\"csrf\":{\"meta\":\"a\"}"),
             "missing `header`"),
            (("\"auth\":\"cookies\"", "\"auth\":\"cookies\",\"csrf\":\"maybe\""),
             "`csrf` is conventional, off, {\"meta\": name, \"header\": h} or {\"cookie\": name, \"header\": h}."),
            (("\"auth\":\"cookies\"", "\"auth\":\"cookies\",\"rows\":{}"),
             "`rows` must be a list of row rules."),
        ] {
            let text = flat.replace(broken.0, broken.1);
            assert_ne!(text, flat);
            assert_eq!(SiteProfile::import(&text).unwrap_err(), [why]);
        }
    }

    /// Issue #21: a row's title, phase and menu anchor moved from the content script into the
    /// profile. A profile exported or stored before has none of them and reads them as the
    /// conventions'; written ones (plain, listed or empty) read back as written.
    #[test]
    fn row_places_missing_from_older_exports_are_the_conventions() {
        let older = r#"{"name":"Emulator","list_page":"/jobs","detail_page":"/jobs/:id","row":"[data-job-id]","row_id":"attribute","row_id_value":"data-job-id","detail_anchor":".job-header .job-title","phase_element":".job-header .job-phase","auth":"cookies","origins":["http://127.0.0.1"]}"#;
        let conventions = crate::sites::conventions::profile();
        let expected = SiteProfile {
            row_title: conventions.row_title.clone(),
            row_phase: conventions.row_phase.clone(),
            row_menu_anchor: conventions.row_menu_anchor.clone(),
            ..sample()
        };
        assert_eq!(SiteProfile::import(older), Ok(expected.clone()));
        assert_eq!(json::decode::<SiteProfile>(older), Ok(expected));
        let written = older.replace(
            "\"auth\"",
            r#""row_title":"td.name","row_phase":["td.state",{"selector":".pill","reason":"r"}],"row_menu_anchor":[],"auth""#,
        );
        let profile = SiteProfile::import(&written).unwrap();
        assert_eq!(profile.row_title, [Choice::plain("td.name")]);
        assert_eq!(
            profile.row_phase,
            [Choice::plain("td.state"), Choice::new(".pill", "r")]
        );
        assert_eq!(profile.row_menu_anchor, []);
        let exported = profile.to_json();
        assert!(exported.contains(r#""row_title":"td.name""#), "{exported}");
        assert!(exported.contains(r#""row_menu_anchor":[]"#), "{exported}");
        assert_eq!(SiteProfile::import(&exported), Ok(profile));
    }

    /// Issue #23: switches turned off travel as names; an export without any (every older one)
    /// has everything on, and a name no switch has is refused with the names there are.
    #[test]
    fn switches_turned_off_travel_by_name() {
        let everything_on = sample().to_json();
        assert!(!everything_on.contains("switched_off"), "{everything_on}");
        let mut staged = sample();
        staged.features.cancel = false;
        staged.features.force_delete = false;
        let exported = staged.to_json();
        assert!(
            exported.contains(r#""switched_off":["cancel","force_delete"]"#),
            "{exported}"
        );
        assert_eq!(SiteProfile::import(&exported), Ok(staged));
        for (name, _) in Switches::NAMES {
            let mut profile = sample();
            *profile.features.by_name(name).unwrap() = false;
            assert_eq!(SiteProfile::import(&profile.to_json()), Ok(profile));
        }
        let with = |switched_off: &str| {
            everything_on.replace(
                "\"auth\"",
                &format!("\"switched_off\":{switched_off},\"auth\""),
            )
        };
        assert_eq!(SiteProfile::import(&with("null")), Ok(sample()));
        assert_eq!(SiteProfile::import(&with("[]")), Ok(sample()));
        assert_eq!(
            SiteProfile::import(&with(r#"["badges","menu"]"#)).unwrap_err(),
            ["`switched_off` names `menu`, which is no switch; the switches are badges, cancel, \
              delete, force_delete, row_menu and bulk."]
        );
        for broken in [r#""cancel""#, "[1]"] {
            assert_eq!(
                SiteProfile::import(&with(broken)).unwrap_err(),
                ["`switched_off` must be a list of switch names, e.g. [\"cancel\", \"force_delete\"]."]
            );
        }
    }

    #[test]
    fn imports_say_what_is_wrong() {
        assert_eq!(
            SiteProfile::import("{").unwrap_err(),
            ["The file is not JSON: expected a member name at byte 1."]
        );
        assert_eq!(
            SiteProfile::import("[]").unwrap_err(),
            ["A profile must be a JSON object."]
        );
        let mut text = sample().to_json();
        text = text.replace("\"attribute\"", "\"xpath\"");
        assert_eq!(
            SiteProfile::import(&text).unwrap_err(),
            ["`row_id` is `xpath`; use attribute, link or text."]
        );
        let broken = sample().to_json().replace("/jobs/:id", "/jobs/:job_id");
        assert_eq!(
            SiteProfile::import(&broken).unwrap_err(),
            ["Pattern `/jobs/:job_id`: `:job_id` is not a placeholder; only :id is."]
        );
    }

    /// Issue #20: three imported API bases that a URL parser sends to `evil.test` — a backslash
    /// read as `/`, a TAB dropped from the host, a newline dropped from the path — and a bearer
    /// token with no API base of its own.
    #[test]
    fn imports_refuse_api_bases_that_parse_to_another_host() {
        let with = |api_base: &str, auth: &str| {
            let mut exported = sample().to_json();
            exported.pop();
            exported.push_str(",\"api_base\":");
            json::write_string(&mut exported, api_base);
            exported.push('}');
            exported.replace("\"auth\":\"cookies\"", &format!("\"auth\":\"{auth}\""))
        };
        let cases = [
            (
                "/\\evil.test/api",
                "API base `/\\evil.test/api` must not contain a backslash.",
            ),
            (
                "https://ev\til.test/api",
                "API base `https://ev\\til.test/api` must not contain a tab.",
            ),
            (
                "https://ok.test/a\npi",
                "API base `https://ok.test/a\\npi` must not contain a line break.",
            ),
        ];
        for (api_base, message) in cases {
            assert_eq!(
                SiteProfile::import(&with(api_base, "cookies")),
                Err(vec![message.to_string()]),
                "{api_base:?}"
            );
        }
        let mut no_base = sample();
        no_base.auth = AuthMode::BearerToken;
        assert_eq!(
            SiteProfile::import(&no_base.to_json()).unwrap_err(),
            ["A bearer token needs an explicit API base (https://…): without one, the token would \
              go to /api on every origin and port the profile covers."]
        );
        assert_eq!(
            SiteProfile::import(&with("http://api.example/v1", "bearer_token")).unwrap_err(),
            ["A bearer token is sent only over https: API base `http://api.example/v1` must use \
              https (http only for 127.0.0.1, localhost or [::1])."]
        );
        assert!(SiteProfile::import(&with("https://api.example/v1", "bearer_token")).is_ok());
    }
}
