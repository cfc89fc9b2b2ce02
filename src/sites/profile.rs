//! Site profiles (issue #8): what the overlay needs to know about one jobs app — where its pages
//! are, how to read a job id from them, where to anchor the buttons, and where its API is — as
//! data a user writes, imports or exports as JSON, never as code. The emulator's profile is built
//! in and is the default. Pure: validation, URL patterns and id capture are tested natively; the
//! content script applies a profile through its selector module.

use crate::api::endpoint::decode_path_segment;
use crate::api::json::{self, FromJson, Json};
/// Where a cookie-session API wants its CSRF token (the type lives with the rule that reads it).
pub use crate::sites::csrf::Csrf;
use crate::sites::origin::{self, Origin};

/// How the API authenticates the overlay's requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// The page's own cookies: a same-origin API, called as the app calls it.
    Cookies,
    /// A bearer token kept in extension storage, sent only to URLs under the API base — which must
    /// then be explicit and absolute, and https (http only to this machine).
    BearerToken,
}

/// Where a list row's job id is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowId {
    /// An attribute of the row: `data-job-id`.
    Attribute(String),
    /// A link inside the row (`selector`) whose `href` path matches `pattern` (with `:id`).
    Link {
        selector: String,
        pattern: PathPattern,
    },
    /// The text of a cell inside the row.
    Text(String),
}

/// A URL path pattern: literal segments, `*` for any one segment, at most one `**` for any number
/// of segments (none included: apps mounted under a prefix, `/t/acme/jobs/:id`), and at most one
/// `:id` that captures the job id (percent-decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    source: String,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Any,
    /// `**`: zero or more segments.
    AnyDepth,
    Id,
}

impl PathPattern {
    /// Parses `/jobs/:id` or `/runs/:id/overview`; says what is wrong otherwise.
    pub fn parse(pattern: &str) -> Result<PathPattern, String> {
        let Some(rest) = pattern.strip_prefix('/') else {
            return Err(format!("Pattern `{pattern}` must start with /."));
        };
        let mut segments = Vec::new();
        let rest = rest.trim_end_matches('/');
        for segment in rest.split('/').filter(|_| !rest.is_empty()) {
            segments.push(match segment {
                ":id" if segments.contains(&Segment::Id) => {
                    return Err(format!("Pattern `{pattern}` has :id more than once."))
                }
                ":id" => Segment::Id,
                "*" => Segment::Any,
                "**" if segments.contains(&Segment::AnyDepth) => {
                    return Err(format!("Pattern `{pattern}` has ** more than once."))
                }
                "**" => Segment::AnyDepth,
                "" => return Err(format!("Pattern `{pattern}` has an empty segment (//).")),
                other if other.starts_with(':') => {
                    return Err(format!(
                        "Pattern `{pattern}`: `{other}` is not a placeholder; only :id is."
                    ))
                }
                other if other.contains(['?', '#']) => {
                    return Err(format!(
                        "Pattern `{pattern}` must be a path only, without ? or #."
                    ))
                }
                other => Segment::Literal(other.to_string()),
            });
        }
        Ok(PathPattern {
            source: pattern.to_string(),
            segments,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    pub fn captures_id(&self) -> bool {
        self.segments.contains(&Segment::Id)
    }

    /// Whether `path` (a URL's path, percent-encoded as `location.pathname` gives it) matches.
    pub fn matches(&self, path: &str) -> bool {
        self.capture(path).is_some()
    }

    /// Matches `path`; `Some(Some(id))` with the decoded id when the pattern captures one. An id
    /// that could never be requested (`.`, `..`, empty, malformed escapes) does not match.
    pub fn capture(&self, path: &str) -> Option<Option<String>> {
        self.walk(path, |_| {})
    }

    /// The path segments `path` gives this pattern's `*` and `**` (a `**`'s joined by `/`), in
    /// order, as written in the path; `None` when it does not match.
    pub fn wildcards(&self, path: &str) -> Option<Vec<String>> {
        let mut found = Vec::new();
        self.walk(path, |parts| found.push(parts.join("/")))?;
        Some(found)
    }

    /// Matches `path` segment by segment: the decoded id, if any, and each `*` and `**`'s parts
    /// handed to `wildcard` in order (nothing is allocated for them unless it keeps them).
    fn walk(&self, path: &str, mut wildcard: impl FnMut(&[&str])) -> Option<Option<String>> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let rest = path.strip_prefix('/')?.trim_end_matches('/');
        let parts: Vec<&str> = rest.split('/').filter(|_| !rest.is_empty()).collect();
        // A `**` takes whatever the segments around it leave; without one, lengths must agree.
        let any_depth = self.segments.contains(&Segment::AnyDepth);
        let fixed = self.segments.len() - usize::from(any_depth);
        if parts.len() < fixed || (!any_depth && parts.len() != fixed) {
            return None;
        }
        let spread = parts.len() - fixed;
        let mut at = 0;
        let mut id = None;
        for segment in &self.segments {
            if *segment == Segment::AnyDepth {
                wildcard(&parts[at..at + spread]);
                at += spread;
                continue;
            }
            let part = *parts.get(at)?;
            at += 1;
            match segment {
                Segment::Literal(literal) if literal == part => {}
                Segment::Literal(_) => return None,
                Segment::Any if !part.is_empty() => wildcard(&[part]),
                Segment::Any => return None,
                Segment::AnyDepth => {}
                Segment::Id => {
                    let decoded = decode_path_segment(part)?;
                    if decoded.is_empty() || decoded == "." || decoded == ".." {
                        return None;
                    }
                    id = Some(decoded);
                }
            }
        }
        Some(id)
    }

    /// The path this pattern names with its `*` and `**` filled by `wildcards`, in order; `None`
    /// when it captures an id or the count differs.
    pub fn fill(&self, wildcards: &[String]) -> Option<String> {
        self.fill_with(wildcards, None)
    }

    /// The path this pattern names, its `*` and `**` filled by `wildcards` in order and its `:id`
    /// by `id` (a path segment, already encoded); `None` when the counts differ or an `:id` has
    /// no value.
    pub fn fill_with(&self, wildcards: &[String], id: Option<&str>) -> Option<String> {
        let mut wildcards = wildcards.iter();
        let mut path = String::new();
        for segment in &self.segments {
            let part = match segment {
                Segment::Literal(literal) => literal.as_str(),
                Segment::Any | Segment::AnyDepth => wildcards.next()?.as_str(),
                Segment::Id => id?,
            };
            if !part.is_empty() {
                path.push('/');
                path.push_str(part);
            }
        }
        if wildcards.next().is_some() {
            return None;
        }
        Some(if path.is_empty() { "/".into() } else { path })
    }
}

/// One way to find an element on a host page, and why it is there (shown to the user when a page
/// matches none: "tried `[data-job-title]` (an attribute apps put on their title), …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub selector: String,
    /// Empty for the user's own selectors.
    pub reason: String,
}

impl Choice {
    pub fn new(selector: &str, reason: &str) -> Choice {
        Choice {
            selector: selector.into(),
            reason: reason.into(),
        }
    }

    /// A selector without a stated reason (what a user types).
    pub fn plain(selector: &str) -> Choice {
        Choice::new(selector, "")
    }
}

/// The selectors of `choices`, for messages: `` `a`, `b` or `c` ``.
pub fn tried(choices: &[Choice]) -> String {
    let quoted: Vec<String> = choices
        .iter()
        .map(|choice| format!("`{}`", choice.selector))
        .collect();
    match quoted.split_last() {
        None => "nothing".into(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// One way to find the list's rows and their ids. A profile's rules are tried in order on each
/// pass over the page; the first that finds a row with an id is the page's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRule {
    /// The rows (or cards).
    pub row: String,
    /// Where a row's job id is.
    pub id: RowId,
    /// Why the rule exists; empty for the user's own.
    pub reason: String,
}

impl RowRule {
    pub fn new(row: &str, id: RowId, reason: &str) -> RowRule {
        RowRule {
            row: row.into(),
            id,
            reason: reason.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteProfile {
    pub name: String,
    /// The app's origins. One written without a port matches every port of its host, as
    /// browser match patterns do.
    pub origins: Vec<String>,
    pub list_page: PathPattern,
    pub detail_page: PathPattern,
    /// How to find the list's rows and their ids, tried in order; at least one.
    pub rows: Vec<RowRule>,
    /// On a job's page: the element the buttons follow (e.g. the title), alternatives tried in
    /// order. When none matches, the actions show in a fixed action bar instead.
    pub detail_anchor: Vec<Choice>,
    /// The app's own phase element on a job's page, to badge; alternatives in order, may be none.
    pub phase_element: Vec<Choice>,
    /// `None`: the pages' own origin + `/api`. A path (`/v2/api`) is on the pages' own origin
    /// too; an absolute base names another. Checked by `origin::check_api_base`.
    pub api_base: Option<String>,
    pub auth: AuthMode,
    pub csrf: Csrf,
}

impl SiteProfile {
    /// Where the job list is, seen from the page at `path` (a job's page, after a delete): the
    /// list pattern with the wildcards the page's path gave the detail pattern (`/ops/jobs/7` →
    /// `/ops/jobs`), or the list pattern itself when it is a plain path.
    pub fn list_path_from(&self, path: &str) -> Option<String> {
        self.list_page
            .fill(&self.wildcards_of(path))
            .or_else(|| self.list_page.fill(&[]))
    }

    /// The wildcards a page at `path` (a job page or the list) gives this profile's patterns, so
    /// links to other job pages keep the page's prefix (`/t/acme/jobs/…`); none when it is
    /// neither.
    pub fn wildcards_of(&self, path: &str) -> Vec<String> {
        self.detail_page
            .wildcards(path)
            .or_else(|| self.list_page.wildcards(path))
            .unwrap_or_default()
    }

    /// Every problem with the profile, each a sentence that names the field and the value.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push("The profile needs a name.".into());
        }
        if self.origins.is_empty() {
            problems.push("Add at least one origin, e.g. https://jobs.example.com.".into());
        }
        for origin in &self.origins {
            match Origin::parse(origin) {
                Ok(_) if origin.trim_end_matches('/').matches('/').count() > 2 => problems.push(
                    format!("Origin `{origin}` must be scheme://host[:port] only, without a path."),
                ),
                Ok(_) => {}
                Err(why) => problems.push(format!("Origin {why}")),
            }
        }
        if self.list_page.captures_id() {
            problems.push(format!(
                "List pattern `{}` must not capture an id.",
                self.list_page.as_str()
            ));
        }
        if !self.detail_page.captures_id() {
            problems.push(format!(
                "Detail pattern `{}` has no :id.",
                self.detail_page.as_str()
            ));
        }
        let mut selectors: Vec<(&str, &str)> = Vec::new();
        if self.rows.is_empty() {
            problems.push("The profile needs a row selector, e.g. [data-job-id].".into());
        }
        for rule in &self.rows {
            selectors.push(("row", &rule.row));
            match &rule.id {
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
        if self.detail_anchor.is_empty() {
            problems.push("The profile needs a job page anchor, e.g. main h1.".into());
        }
        for choice in &self.detail_anchor {
            selectors.push(("detail anchor", &choice.selector));
        }
        for choice in &self.phase_element {
            selectors.push(("phase element", &choice.selector));
        }
        for (what, selector) in selectors {
            if let Err(why) = check_selector(selector) {
                problems.push(format!(
                    "The {what} selector `{selector}` is not valid CSS: {why}."
                ));
            }
        }
        match &self.csrf {
            Csrf::Meta { name, header } | Csrf::Cookie { name, header } => {
                if name.trim().is_empty() {
                    problems.push("The CSRF token's meta tag or cookie name is empty.".into());
                }
                if !crate::sites::csrf::is_header_name(header) {
                    problems.push(format!(
                        "CSRF header `{header}` is not a header name; e.g. X-CSRF-Token."
                    ));
                }
            }
            Csrf::Conventional | Csrf::Off => {}
        }
        if let Some(api_base) = &self.api_base {
            if let Err(why) = origin::check_api_base(api_base) {
                problems.push(why);
            }
        }
        if self.auth == AuthMode::BearerToken {
            match self.api_base.as_deref().map(origin::check_api_base) {
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
        problems
    }

    /// Whether a page at `url` belongs to this profile's app.
    pub fn covers(&self, url: &str) -> bool {
        let Ok(page) = Origin::parse(url) else {
            return false;
        };
        self.origins.iter().any(|origin| {
            Origin::parse(origin).is_ok_and(|origin| {
                origin.scheme == page.scheme
                    && origin.host == page.host
                    && (origin.port.is_none() || origin.port == page.port)
            })
        })
    }

    /// The API base for pages of `page_origin` (`https://host[:port]`, `location.origin`): the
    /// profile's absolute base, or its path (`/api` when it names none) resolved against that
    /// origin — never against the document's `<base href>`, which the page sets. A base that
    /// breaks the URL rule comes back as written, and the client refuses it with the rule's
    /// message.
    pub fn api_base_for(&self, page_origin: &str) -> String {
        let base = self.api_base.as_deref().unwrap_or("/api");
        origin::resolve_api_base(base, page_origin).unwrap_or_else(|_| base.to_string())
    }

    /// The one API base a bearer token of this profile may go to: its explicit, absolute API
    /// base, when that may carry a token (https, or http to this machine). `None` otherwise —
    /// without an explicit base the token would go to `/api` on every origin and port the
    /// profile covers.
    pub fn token_base(&self) -> Option<String> {
        let base = origin::absolute_api_base(self.api_base.as_deref()?).ok()?;
        origin::may_carry_token(&base).then_some(base)
    }

    /// The profile as JSON, for export (a team shares one file). A profile of one row rule and
    /// plain selectors keeps the flat form earlier versions wrote; alternatives are lists.
    pub fn to_json(&self) -> String {
        let origins =
            json::write_array(&self.origins, |out, origin| json::write_string(out, origin));
        let mut raw = vec![("origins", origins)];
        let flat_row = match self.rows.as_slice() {
            [only] if only.reason.is_empty() => Some(only),
            _ => {
                raw.push((
                    "rows",
                    json::write_array(&self.rows, |out, rule| {
                        out.push_str(&row_rule_json(rule, true))
                    }),
                ));
                None
            }
        };
        let anchor = choices_json(&self.detail_anchor);
        let phase = choices_json(&self.phase_element);
        let mut strings = vec![
            ("name", Some(self.name.as_str())),
            ("list_page", Some(self.list_page.as_str())),
            ("detail_page", Some(self.detail_page.as_str())),
        ];
        let flat = flat_row.map(|rule| row_rule_members(rule));
        if let Some(members) = &flat {
            strings.extend(members.iter().map(|(key, value)| (*key, *value)));
        }
        match &anchor {
            Written::Text(text) => strings.push(("detail_anchor", Some(text))),
            Written::Json(list) => raw.push(("detail_anchor", list.clone())),
            Written::Nothing => {}
        }
        match &phase {
            Written::Text(text) => strings.push(("phase_element", Some(text))),
            Written::Json(list) => raw.push(("phase_element", list.clone())),
            Written::Nothing => {}
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

enum Written {
    Nothing,
    Text(String),
    Json(String),
}

/// One plain selector as a string (the flat form); alternatives or reasons as a list whose items
/// are strings or `{"selector", "reason"}`.
fn choices_json(choices: &[Choice]) -> Written {
    match choices {
        [] => Written::Nothing,
        [only] if only.reason.is_empty() => Written::Text(only.selector.clone()),
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
            detail_anchor: choices_from(value, "detail_anchor")?,
            phase_element: choices_from(value, "phase_element")?,
            api_base: value.optional_str(&["api_base"])?,
            auth,
            csrf: csrf_from(value)?,
        })
    }
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

/// A profile of one app's own markup: one row rule and plain selectors (tests of the flat form).
#[cfg(test)]
pub(crate) fn sample() -> SiteProfile {
    SiteProfile {
        name: "Emulator".into(),
        origins: vec!["http://127.0.0.1".into()],
        list_page: PathPattern::parse("/jobs").expect("a valid pattern"),
        detail_page: PathPattern::parse("/jobs/:id").expect("a valid pattern"),
        rows: vec![RowRule::new(
            "[data-job-id]",
            RowId::Attribute("data-job-id".into()),
            "",
        )],
        detail_anchor: vec![Choice::plain(".job-header .job-title")],
        phase_element: vec![Choice::plain(".job-header .job-phase")],
        api_base: None,
        auth: AuthMode::Cookies,
        csrf: Csrf::Conventional,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> PathPattern {
        PathPattern::parse(text).unwrap()
    }

    #[test]
    fn patterns_parse_or_say_why_not() {
        let table = [
            ("jobs/:id", "Pattern `jobs/:id` must start with /."),
            (
                "/jobs/:id/:id",
                "Pattern `/jobs/:id/:id` has :id more than once.",
            ),
            (
                "/jobs//:id",
                "Pattern `/jobs//:id` has an empty segment (//).",
            ),
            (
                "/jobs/:job",
                "Pattern `/jobs/:job`: `:job` is not a placeholder; only :id is.",
            ),
            (
                "/jobs?x=1",
                "Pattern `/jobs?x=1` must be a path only, without ? or #.",
            ),
        ];
        for (text, message) in table {
            assert_eq!(PathPattern::parse(text).unwrap_err(), message, "{text}");
        }
        assert!(pattern("/runs/:id/overview").captures_id());
        assert!(!pattern("/jobs").captures_id());
        assert!(!pattern("/").captures_id());
        assert_eq!(pattern("/").capture("/"), Some(None));
        assert_eq!(pattern("/").capture("/jobs"), None);
    }

    #[test]
    fn detail_patterns_capture_decoded_ids() {
        let detail = pattern("/jobs/:id");
        let table: [(&str, Option<Option<&str>>); 12] = [
            ("/jobs/abc-123", Some(Some("abc-123"))),
            ("/jobs/abc-123/", Some(Some("abc-123"))),
            ("/jobs/abc?tab=logs#top", Some(Some("abc"))),
            ("/jobs/a%2Fb", Some(Some("a/b"))),
            ("/jobs/%E2%98%83", Some(Some("☃"))),
            ("/jobs/caf%C3%A9", Some(Some("café"))),
            ("/jobs/%2E%2E", None),
            ("/jobs/..", None),
            ("/jobs/%ZZ", None),
            ("/jobs", None),
            ("/jobs/a/b", None),
            ("/other/abc", None),
        ];
        for (path, expected) in table {
            assert_eq!(
                detail.capture(path),
                expected.map(|id| id.map(str::to_string)),
                "{path}"
            );
        }
        let nested = pattern("/runs/:id/overview");
        assert_eq!(
            nested.capture("/runs/r%201/overview"),
            Some(Some("r 1".into()))
        );
        assert_eq!(nested.capture("/runs/r1/logs"), None);
        let any = pattern("/t/*/jobs/:id");
        assert_eq!(any.capture("/t/acme/jobs/7"), Some(Some("7".into())));
        assert_eq!(any.capture("/t//jobs/7"), None);
        assert!(pattern("/jobs").matches("/jobs/"));
        let built_in = crate::sites::conventions::profile();
        for (page, list) in [
            ("/jobs/7", Some("/jobs")),
            ("/ops/jobs/7", Some("/ops/jobs")),
            ("/t/acme/jobs/x%2Fy/", Some("/t/acme/jobs")),
            ("/elsewhere", None),
        ] {
            assert_eq!(built_in.list_path_from(page).as_deref(), list, "{page}");
        }
        let mut tenant = sample();
        tenant.list_page = pattern("/t/*/runs");
        tenant.detail_page = pattern("/t/*/runs/:id/overview");
        assert_eq!(
            tenant.list_path_from("/t/acme/runs/1/overview").as_deref(),
            Some("/t/acme/runs")
        );
        assert_eq!(
            sample().list_path_from("/anything").as_deref(),
            Some("/jobs")
        );
        let deep = pattern("/**/jobs/:id");
        assert_eq!(deep.capture("/jobs/7"), Some(Some("7".into())));
        assert_eq!(deep.capture("/a/b/jobs/7"), Some(Some("7".into())));
        assert_eq!(deep.capture("/a/jobs"), None);
        assert_eq!(deep.capture("/jobs/7/x"), None);
        assert_eq!(
            PathPattern::parse("/**/a/**").unwrap_err(),
            "Pattern `/**/a/**` has ** more than once."
        );
        assert_eq!(pattern("/jobs").capture("/jobs"), Some(None));
    }

    #[test]
    fn the_emulator_profile_is_valid_and_covers_every_port_of_its_host() {
        let profile = sample();
        assert_eq!(profile.problems(), Vec::<String>::new());
        assert!(profile.covers("http://127.0.0.1:8700/jobs"));
        assert!(profile.covers("http://127.0.0.1:41234/jobs/x"));
        assert!(!profile.covers("http://localhost:8700/jobs"));
        assert!(!profile.covers("https://127.0.0.1/jobs"));
        assert_eq!(
            profile.api_base_for("http://127.0.0.1:8700"),
            "http://127.0.0.1:8700/api"
        );
    }

    #[test]
    fn an_origin_with_a_port_covers_that_port_only() {
        let mut profile = sample();
        profile.origins = vec!["https://jobs.example.com:8443".into()];
        assert!(profile.covers("https://jobs.example.com:8443/runs/1"));
        assert!(!profile.covers("https://jobs.example.com/runs/1"));
        assert!(!profile.covers("https://jobs.example.com.evil.test:8443/"));
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
    fn api_bases_resolve_against_the_pages_origin_never_the_document() {
        let mut profile = sample();
        let page = "http://127.0.0.1:8700";
        assert_eq!(profile.api_base_for(page), "http://127.0.0.1:8700/api");
        profile.api_base = Some("/v2/api/".into());
        assert_eq!(profile.api_base_for(page), "http://127.0.0.1:8700/v2/api");
        profile.api_base = Some("https://api.example/v1/".into());
        assert_eq!(profile.api_base_for(page), "https://api.example/v1");
        // A base that breaks the rule comes back as written: the client refuses it.
        for broken in [
            "/\\evil.test/api",
            "https://ev\til.test/api",
            "//evil.test/api",
        ] {
            profile.api_base = Some(broken.into());
            assert_eq!(profile.api_base_for(page), broken);
            assert!(crate::ClientConfig::new(&profile.api_base_for(page)).is_err());
        }
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
        assert!(!flat.contains("csrf"), "{flat}");
        let built_in = crate::sites::conventions::profile().to_json();
        assert!(
            built_in.contains("\"rows\":[{\"row\":\"[data-job-id]\""),
            "{built_in}"
        );
        assert!(
            built_in.contains("\"detail_anchor\":[{\"selector\":\"[data-job-title]\",\"reason\":")
        );
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
