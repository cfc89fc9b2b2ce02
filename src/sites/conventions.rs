//! The built-in profile (issue #19): how job apps in general are shaped — not one app's markup.
//! Each place the overlay looks is a list of alternatives tried in order, each with the reason it
//! exists; the emulator's pages, a React app's `<h1>` in a `<header>` and a table keyed by
//! `data-id` are all found through the same rows of these tables. A new convention is a new row.

use crate::sites::profile::{
    AuthMode, Choice, Csrf, PathPattern, RowId, RowRule, SiteProfile, Switches,
};

/// The built-in profile's name (the site-profiles page shows it first).
pub const NAME: &str = "Job app conventions";

/// The origins the built-in profile covers: the manifest's own host permission. Elsewhere a user
/// enables a site, which saves a profile of its own.
pub const ORIGINS: &[&str] = &["http://127.0.0.1"];

/// The job list: `/jobs`, also under a prefix (`/ops/jobs`, `/t/acme/jobs`).
pub const LIST_PAGE: &str = "/**/jobs";
/// A job's page: `/jobs/{id}`, also under a prefix.
pub const DETAIL_PAGE: &str = "/**/jobs/:id";

/// Where the buttons go on a job's page (after the first match's parent's other content).
pub const DETAIL_ANCHOR: &[(&str, &str)] = &[
    ("[data-job-title]", "an attribute apps put on a job's title"),
    (
        ".job-title",
        "a title classed as the job's, like the emulator's",
    ),
    (
        "header h1",
        "the page header's heading, as routed apps draw it",
    ),
    ("main h1", "the main content's heading"),
    ("h1", "the page's top heading"),
    ("header h2", "a page header whose heading is an h2"),
];

/// The app's own phase on a job's page, read until the API answers.
pub const PHASE_ELEMENT: &[(&str, &str)] = &[
    ("[data-phase]", "an attribute apps put on the phase"),
    (
        ".job-phase",
        "a phase classed as the job's, like the emulator's",
    ),
    (".phase", "an element classed as the phase"),
    (".status", "an element classed as the status"),
    ("header .pill", "a pill in the page header"),
    ("header .badge", "a badge in the page header"),
];

/// Inside a list row: its title (the badge goes after it; a cancelled job's is struck through).
pub const ROW_TITLE: &[(&str, &str)] = &[
    (".job-title", "the emulator's title cell"),
    ("td:first-child", "tables whose first cell is the title"),
    ("h1, h2, h3, h4, h5, h6", "cards whose title is a heading"),
];

/// Inside a list row: the app's own phase text, read until the API answers.
pub const ROW_PHASE: &[(&str, &str)] = &[
    (".job-phase", "the emulator's phase cell"),
    (
        "[class~=status], [class~=phase]",
        "a cell or line classed as the status",
    ),
];

/// Inside a list row: where the three-dot menu button goes (appended; the row itself when none
/// matches).
pub const ROW_MENU_ANCHOR: &[(&str, &str)] = &[("td:last-child", "the last cell of a table row")];

/// Rows of the list. The last rule is the catch-all: any table row, list item, card or ARIA row
/// with a link to a job's page.
const ROWS: &[(&str, RowSource, &str)] = &[
    (
        "[data-job-id]",
        RowSource::Attribute("data-job-id"),
        "rows that carry their job id, like the emulator's",
    ),
    (
        "tr[data-id], li[data-id], article[data-id], [role=row][data-id]",
        RowSource::Attribute("data-id"),
        "table rows, list items and cards keyed by a generic data-id",
    ),
    (
        "tr, li, article, [role=row]",
        RowSource::DetailLink,
        "rows and cards whose link goes to a job's page",
    ),
];

enum RowSource {
    Attribute(&'static str),
    /// A link in the row whose path matches the detail page pattern.
    DetailLink,
}

/// A table's alternatives with their reasons (also what a profile saved before a field existed
/// reads back as).
pub fn choices(table: &[(&str, &str)]) -> Vec<Choice> {
    table
        .iter()
        .map(|(selector, reason)| Choice::new(selector, reason))
        .collect()
}

/// The built-in profile.
pub fn profile() -> SiteProfile {
    let detail_page = PathPattern::parse(DETAIL_PAGE).expect("a valid pattern");
    let rows = ROWS
        .iter()
        .map(|(row, source, reason)| {
            let id = match source {
                RowSource::Attribute(name) => RowId::Attribute((*name).into()),
                RowSource::DetailLink => RowId::Link {
                    selector: "a[href]".into(),
                    pattern: detail_page.clone(),
                },
            };
            RowRule::new(row, id, reason)
        })
        .collect();
    SiteProfile {
        name: NAME.into(),
        origins: ORIGINS.iter().map(|origin| origin.to_string()).collect(),
        list_page: PathPattern::parse(LIST_PAGE).expect("a valid pattern"),
        detail_page,
        rows,
        row_title: choices(ROW_TITLE),
        row_phase: choices(ROW_PHASE),
        row_menu_anchor: choices(ROW_MENU_ANCHOR),
        detail_anchor: choices(DETAIL_ANCHOR),
        phase_element: choices(PHASE_ELEMENT),
        api_base: None,
        auth: AuthMode::Cookies,
        csrf: Csrf::Conventional,
        // The built-in profile turns nothing off.
        features: Switches::ALL_ON,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conventions_are_a_valid_profile_with_a_reason_for_each_alternative() {
        let profile = profile();
        assert_eq!(profile.problems(), Vec::<String>::new());
        assert_eq!(profile.features, Switches::ALL_ON);
        let reasons = [
            &profile.row_title,
            &profile.row_phase,
            &profile.row_menu_anchor,
            &profile.detail_anchor,
            &profile.phase_element,
        ]
        .into_iter()
        .flatten()
        .map(|choice| &choice.reason)
        .chain(profile.rows.iter().map(|rule| &rule.reason));
        for reason in reasons {
            assert!(!reason.is_empty());
        }
    }

    #[test]
    fn job_pages_are_found_at_any_depth() {
        let profile = profile();
        for (path, id) in [
            ("/jobs/7", "7"),
            ("/ops/jobs/a%2Fb", "a/b"),
            ("/t/acme/jobs/x/", "x"),
        ] {
            assert_eq!(profile.detail_page.capture(path), Some(Some(id.into())));
        }
        for list in ["/jobs", "/ops/jobs/", "/t/acme/jobs"] {
            assert!(profile.list_page.matches(list), "{list}");
        }
        for neither in ["/", "/jobs/7/logs", "/spa/runs/7/overview", "/jobsx"] {
            assert!(!profile.list_page.matches(neither), "{neither}");
            assert_eq!(profile.detail_page.capture(neither), None, "{neither}");
        }
    }
}
