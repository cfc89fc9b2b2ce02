//! Whether a site profile can be used: [`SiteProfile::problems`] names every problem in a
//! sentence (origins, patterns, selectors, CSRF, API base, where a token may go), and
//! [`check_selector`] catches the CSS a user mistypes before it reaches a page. An import whose
//! `switched_off` names no switch is told which names there are.

use crate::sites::alternatives::RowId;
use crate::sites::csrf::{self, Csrf};
use crate::sites::origin::{self, Origin};
use crate::sites::profile::{AuthMode, SiteProfile, Switches};

impl SiteProfile {
    /// Every problem with the profile, each a sentence that names the field and the value.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push("The profile needs a name.".into());
        }
        origin_problems(&self.origins, &mut problems);
        pattern_problems(self, &mut problems);
        for (what, selector) in selectors(self, &mut problems) {
            if let Err(why) = check_selector(selector) {
                problems.push(format!(
                    "The {what} selector `{selector}` is not valid CSS: {why}."
                ));
            }
        }
        csrf_problems(&self.csrf, &mut problems);
        api_problems(self, &mut problems);
        problems
    }
}

fn origin_problems(origins: &[String], problems: &mut Vec<String>) {
    if origins.is_empty() {
        problems.push("Add at least one origin, e.g. https://jobs.example.com.".into());
    }
    for origin in origins {
        match Origin::parse(origin) {
            Ok(_) if origin.trim_end_matches('/').matches('/').count() > 2 => problems.push(
                format!("Origin `{origin}` must be scheme://host[:port] only, without a path."),
            ),
            Ok(_) => {}
            Err(why) => problems.push(format!("Origin {why}")),
        }
    }
}

fn pattern_problems(profile: &SiteProfile, problems: &mut Vec<String>) {
    if profile.list_page.captures_id() {
        problems.push(format!(
            "List pattern `{}` must not capture an id.",
            profile.list_page.as_str()
        ));
    }
    if !profile.detail_page.captures_id() {
        problems.push(format!(
            "Detail pattern `{}` has no :id.",
            profile.detail_page.as_str()
        ));
    }
}

/// Every selector of the profile, named for messages ("row title"), in order; a missing row
/// rule, row title or anchor and a row id that cannot be read are problems of their own.
fn selectors<'a>(profile: &'a SiteProfile, problems: &mut Vec<String>) -> Vec<(&'a str, &'a str)> {
    let mut selectors: Vec<(&str, &str)> = Vec::new();
    if profile.rows.is_empty() {
        problems.push("The profile needs a row selector, e.g. [data-job-id].".into());
    }
    for rule in &profile.rows {
        selectors.push(("row", &rule.row));
        row_id_problems(&rule.id, problems, &mut selectors);
    }
    for (what, choices, needed) in [
        (
            "row title",
            &profile.row_title,
            Some("a row title, e.g. td:first-child"),
        ),
        ("row phase", &profile.row_phase, None),
        ("row menu anchor", &profile.row_menu_anchor, None),
        (
            "detail anchor",
            &profile.detail_anchor,
            Some("a job page anchor, e.g. main h1"),
        ),
        ("phase element", &profile.phase_element, None),
    ] {
        if let (true, Some(needed)) = (choices.is_empty(), needed) {
            problems.push(format!("The profile needs {needed}."));
        }
        selectors.extend(
            choices
                .iter()
                .map(|choice| (what, choice.selector.as_str())),
        );
    }
    selectors
}

/// Where a row's id is: an attribute must be named as one, a link's pattern must capture the id;
/// a link's or cell's selector joins `selectors`.
fn row_id_problems<'a>(
    row_id: &'a RowId,
    problems: &mut Vec<String>,
    selectors: &mut Vec<(&'a str, &'a str)>,
) {
    match row_id {
        RowId::Attribute(name) if name.trim().is_empty() => {
            problems.push("The row id attribute is empty; e.g. data-job-id.".into())
        }
        RowId::Attribute(name) if !is_attribute_name(name) => problems.push(format!(
            "Row id attribute `{name}` is not an attribute name."
        )),
        RowId::Attribute(_) => {}
        RowId::Link { selector, pattern } => {
            selectors.push(("row link", selector));
            if !pattern.captures_id() {
                problems.push(format!(
                    "Row link pattern `{}` has no :id.",
                    pattern.as_str()
                ));
            }
        }
        RowId::Text(selector) => selectors.push(("row id cell", selector)),
    }
}

fn csrf_problems(csrf: &Csrf, problems: &mut Vec<String>) {
    if let Csrf::Meta { name, header } | Csrf::Cookie { name, header } = csrf {
        if name.trim().is_empty() {
            problems.push("The CSRF token's meta tag or cookie name is empty.".into());
        }
        if !csrf::is_header_name(header) {
            problems.push(format!(
                "CSRF header `{header}` is not a header name; e.g. X-CSRF-Token."
            ));
        }
    }
}

/// The API base must follow the URL rule; a bearer token needs an explicit, absolute one that
/// may carry it.
fn api_problems(profile: &SiteProfile, problems: &mut Vec<String>) {
    if let Some(api_base) = &profile.api_base {
        if let Err(why) = origin::check_api_base(api_base) {
            problems.push(why);
        }
    }
    if profile.auth != AuthMode::BearerToken {
        return;
    }
    match profile.api_base.as_deref().map(origin::check_api_base) {
        None => problems.push(
            "A bearer token needs an explicit API base (https://…): without one, the token \
             would go to /api on every origin and port the profile covers."
                .into(),
        ),
        Some(Ok(path)) if path.starts_with('/') => problems.push(format!(
            "A bearer token needs an explicit API base (https://…): `{path}` is a path, so \
             the token would go to it on every origin and port the profile covers."
        )),
        Some(Ok(base)) => problems.extend(origin::token_channel_problem(&base)),
        // Already named above.
        Some(Err(_)) => {}
    }
}

/// An import's `switched_off` that names no switch: the names there are.
pub(crate) fn unknown_switch(name: &str) -> String {
    let names: Vec<&str> = Switches::NAMES.iter().map(|(name, _)| *name).collect();
    let (last, others) = names.split_last().expect("there are switches");
    format!(
        "`switched_off` names `{name}`, which is no switch; the switches are {} and {last}.",
        others.join(", ")
    )
}

/// An import's `switched_off` that is not a list of names.
pub(crate) fn switches_expected() -> String {
    "`switched_off` must be a list of switch names, e.g. [\"cancel\", \"force_delete\"].".into()
}

fn is_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|byte| {
            byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' || byte == b':'
        })
}

/// A structural check of a CSS selector list (the browser has the last word; this catches what
/// a user mistypes: unbalanced brackets, parentheses and quotes, empty parts, dangling
/// combinators), so a profile is refused with a reason before it reaches a page.
pub fn check_selector(selector: &str) -> Result<(), String> {
    if selector.trim().is_empty() {
        return Err("it is empty".into());
    }
    let mut brackets = 0i32;
    let mut parens = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in selector.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, '\\') => escaped = true,
            (Some(open), c) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => brackets += 1,
            (None, ']') if brackets == 0 => return Err("a ] has no [".into()),
            (None, ']') => brackets -= 1,
            (None, '(') => parens += 1,
            (None, ')') if parens == 0 => return Err("a ) has no (".into()),
            (None, ')') => parens -= 1,
            (None, '{' | '}' | ';') => return Err(format!("`{c}` has no place in a selector")),
            _ => {}
        }
    }
    if quote.is_some() {
        return Err("a quote is not closed".into());
    }
    if brackets > 0 {
        return Err("a [ is not closed".into());
    }
    if parens > 0 {
        return Err("a ( is not closed".into());
    }
    for part in selector.split(',') {
        let part = part.trim();
        if part.is_empty() {
            return Err("a comma-separated part is empty".into());
        }
        if part.ends_with(['>', '+', '~']) {
            return Err(format!("`{part}` ends with a combinator"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::profile::{sample, Choice, PathPattern, RowRule};

    fn pattern(text: &str) -> PathPattern {
        PathPattern::parse(text).unwrap()
    }

    #[test]
    fn validation_names_each_problem() {
        let mut profile = sample();
        profile.name = " ".into();
        profile.origins = vec!["jobs.example.com".into(), "https://a.test/app".into()];
        profile.list_page = pattern("/jobs/:id");
        profile.detail_page = pattern("/jobs");
        profile.rows = vec![RowRule::new(
            "tr[data-id",
            RowId::Link {
                selector: "a[href]".into(),
                pattern: pattern("/jobs"),
            },
            "",
        )];
        profile.row_title = vec![Choice::plain("td:not(.id")];
        profile.row_phase = vec![Choice::plain(".status"), Choice::plain("")];
        profile.row_menu_anchor = vec![Choice::plain("td ~")];
        profile.detail_anchor = vec![Choice::plain("h1"), Choice::plain("main >")];
        profile.phase_element = vec![Choice::plain("span)")];
        profile.csrf = Csrf::Cookie {
            name: "x".into(),
            header: "X Token".into(),
        };
        profile.api_base = Some("ftp://x".into());
        profile.auth = AuthMode::BearerToken;
        assert_eq!(
            profile.problems(),
            [
                "The profile needs a name.",
                "Origin `jobs.example.com` must start with http:// or https://.",
                "Origin `https://a.test/app` must be scheme://host[:port] only, without a path.",
                "List pattern `/jobs/:id` must not capture an id.",
                "Detail pattern `/jobs` has no :id.",
                "Row link pattern `/jobs` has no :id.",
                "The row selector `tr[data-id` is not valid CSS: a [ is not closed.",
                "The row title selector `td:not(.id` is not valid CSS: a ( is not closed.",
                "The row phase selector `` is not valid CSS: it is empty.",
                "The row menu anchor selector `td ~` is not valid CSS: `td ~` ends with a combinator.",
                "The detail anchor selector `main >` is not valid CSS: `main >` ends with a combinator.",
                "The phase element selector `span)` is not valid CSS: a ) has no (.",
                "CSRF header `X Token` is not a header name; e.g. X-CSRF-Token.",
                "API base `ftp://x` must start with http://, https:// or / (same origin).",
            ]
        );
        profile.auth = AuthMode::Cookies;
        profile.origins.clear();
        assert!(profile
            .problems()
            .contains(&"Add at least one origin, e.g. https://jobs.example.com.".to_string()));
        // A row's title is needed (the badge follows it); its phase and menu anchor may be none.
        let mut profile = sample();
        profile.row_phase.clear();
        profile.row_menu_anchor.clear();
        assert_eq!(profile.problems(), Vec::<String>::new());
        profile.row_title.clear();
        assert_eq!(
            profile.problems(),
            ["The profile needs a row title, e.g. td:first-child."]
        );
    }

    #[track_caller]
    fn check_token_base(api_base: Option<&str>, problem: Option<&str>) {
        let mut profile = sample();
        profile.api_base = api_base.map(str::to_string);
        profile.auth = AuthMode::BearerToken;
        assert_eq!(
            profile.problems(),
            problem.into_iter().map(str::to_string).collect::<Vec<_>>(),
            "{api_base:?}"
        );
        assert_eq!(
            profile.token_base().is_some(),
            problem.is_none(),
            "{api_base:?}"
        );
        profile.auth = AuthMode::Cookies;
        assert_eq!(profile.token_base().is_some(), problem.is_none());
    }

    #[test]
    fn a_bearer_token_needs_an_explicit_https_api_base() {
        check_token_base(Some("https://api.example/v1"), None);
        check_token_base(Some("http://127.0.0.1:8700/api"), None);
        check_token_base(Some("http://localhost:9000/api"), None);
        check_token_base(Some("http://[::1]:9000/api"), None);
        check_token_base(
            None,
            Some(
                "A bearer token needs an explicit API base (https://…): without one, the token \
                 would go to /api on every origin and port the profile covers.",
            ),
        );
        check_token_base(
            Some("/v2/api/"),
            Some(
                "A bearer token needs an explicit API base (https://…): `/v2/api` is a path, so \
                 the token would go to it on every origin and port the profile covers.",
            ),
        );
        check_token_base(
            Some("http://api.example/v1"),
            Some(
                "A bearer token is sent only over https: API base `http://api.example/v1` must use \
                 https (http only for 127.0.0.1, localhost or [::1]).",
            ),
        );
        // A base that breaks the URL rule is named once, for what is wrong with it.
        check_token_base(
            Some("https://ev\til.test/api"),
            Some("API base `https://ev\\til.test/api` must not contain a tab."),
        );
    }

    #[test]
    fn selectors_are_checked_for_what_users_mistype() {
        for good in [
            "[data-job-id]",
            "tr[data-id=\"a]b\"]",
            ".card a[href^='/runs/']",
            "main h1, header .title",
            "li:not(.done) > span",
            "td:nth-child(2)",
            "a\\[b",
        ] {
            assert_eq!(check_selector(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("", "it is empty"),
            ("div[", "a [ is not closed"),
            ("a]", "a ] has no ["),
            ("li:not(.x", "a ( is not closed"),
            ("[title='x]", "a quote is not closed"),
            ("a, ,b", "a comma-separated part is empty"),
            ("div + ", "`div +` ends with a combinator"),
            ("a { color: red }", "`{` has no place in a selector"),
        ] {
            assert_eq!(check_selector(bad), Err(why.to_string()), "{bad:?}");
        }
    }
}
