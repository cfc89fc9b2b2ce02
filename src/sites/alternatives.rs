//! How a profile finds things on a host page: a [`Choice`] is one selector and the reason it is
//! there, a [`RowRule`] one way to find the list's rows and where each row's job id is
//! ([`RowId`]); the content script and "Test on this tab" read a row's id with the same
//! [`row_id_from`].

use crate::sites::path_pattern::{path_of, PathPattern};

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
    let Some((last, rest)) = choices.split_last() else {
        return "nothing".into();
    };
    // Written out rather than quoted and joined: `[String]::join` would be its one user in the
    // page-wide build (0.9 KB of wasm).
    let mut text = String::new();
    for (at, choice) in rest.iter().enumerate() {
        text.push_str(if at == 0 { "`" } else { ", `" });
        text.push_str(&choice.selector);
        text.push('`');
    }
    text.push_str(if rest.is_empty() { "`" } else { " or `" });
    text.push_str(&last.selector);
    text.push('`');
    text
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

/// A probe's raw id source: for links, every link's href in the row, space-separated (the first
/// that matches the pattern counts, as in the content script).
pub fn raw_row_id(row_id: &RowId, raw: &str) -> Option<String> {
    match row_id {
        RowId::Link { .. } => raw
            .split_whitespace()
            .find_map(|href| row_id_from(row_id, href)),
        _ => row_id_from(row_id, raw),
    }
}

/// A row's job id from its raw source (see [`ProbeFacts::row_ids`]); the content script applies
/// the same rule to live rows.
pub fn row_id_from(row_id: &RowId, raw: &str) -> Option<String> {
    match row_id {
        RowId::Attribute(_) | RowId::Text(_) => {
            let id = raw.trim();
            (!id.is_empty()).then(|| id.to_string())
        }
        RowId::Link { pattern, .. } => pattern.capture(&path_of(raw)).flatten(),
    }
}

/// Where a page can move a row to another job without adding or removing elements (a
/// virtualised list reuses its rows as it scrolls): the attributes `rules` read ids from (`href`
/// for links), and whether they read a cell's text. The content script watches these as well as
/// the page's elements coming and going, so a reused row never keeps another job's controls.
pub fn id_sources(rules: &[RowRule]) -> (Vec<&str>, bool) {
    let mut attributes: Vec<&str> = Vec::new();
    let mut text = false;
    for rule in rules {
        let attribute = match &rule.id {
            RowId::Attribute(name) => name.as_str(),
            RowId::Link { .. } => "href",
            RowId::Text(_) => {
                text = true;
                continue;
            }
        };
        if !attributes.contains(&attribute) {
            attributes.push(attribute);
        }
    }
    (attributes, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selectors_tried_read_as_a_list() {
        let choices = |selectors: &[&str]| -> Vec<Choice> {
            selectors
                .iter()
                .map(|selector| Choice::plain(selector))
                .collect()
        };
        assert_eq!(tried(&[]), "nothing");
        assert_eq!(tried(&choices(&["h1"])), "`h1`");
        assert_eq!(tried(&choices(&["h1", "h2"])), "`h1` or `h2`");
        assert_eq!(
            tried(&choices(&["[data-job-title]", "main h1", "h1"])),
            "`[data-job-title]`, `main h1` or `h1`"
        );
    }

    #[test]
    fn a_reused_row_is_noticed_where_its_id_is_read() {
        let link = RowId::Link {
            selector: "a".into(),
            pattern: PathPattern::parse("/runs/:id").unwrap(),
        };
        let rules = [
            RowRule::new("tr", RowId::Attribute("data-job-id".into()), ""),
            RowRule::new(".card", link.clone(), ""),
            RowRule::new("li", link, ""),
            RowRule::new("tr", RowId::Attribute("data-job-id".into()), ""),
        ];
        assert_eq!(id_sources(&rules), (vec!["data-job-id", "href"], false));
        let by_text = [RowRule::new("tr", RowId::Text("td.id".into()), "")];
        assert_eq!(id_sources(&by_text), (vec![], true));
    }

    #[test]
    fn row_ids_come_from_attributes_links_and_cells() {
        assert_eq!(
            row_id_from(&RowId::Attribute("data-id".into()), " 42 ").as_deref(),
            Some("42")
        );
        assert_eq!(row_id_from(&RowId::Text("td".into()), "  "), None);
        let link = RowId::Link {
            selector: "a".into(),
            pattern: PathPattern::parse("/runs/:id").unwrap(),
        };
        assert_eq!(row_id_from(&link, "/runs/a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(
            row_id_from(&link, "https://x.example/runs/7#top").as_deref(),
            Some("7")
        );
        assert_eq!(row_id_from(&link, "/runs/%2E%2E"), None);
        assert_eq!(row_id_from(&link, "/other/7"), None);
    }
}
