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

#[cfg(test)]
mod tests {
    use super::*;

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
