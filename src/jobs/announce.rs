//! What a page's polite live region says when jobs it shows change without the user acting on
//! this page (PRD §5.7 "screen reader announcements for status changes", issue #23): a poll found
//! a job finished, another tab cancelled or deleted one, a cancel's "Cancelling…" ended. Toasts
//! already speak for the user's own actions; this is for everything else.

use crate::jobs::phase::Phase;

/// How many changes one announcement names; the rest are counted.
const NAMED: usize = 3;

/// One shown job whose state changed: its title (or id) and its new phase, or `None` when it was
/// deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub title: String,
    pub phase: Option<Phase>,
}

/// The sentence for `changes`, or none when there is nothing to say.
pub fn sentence(changes: &[Change]) -> Option<String> {
    let mut text = match changes {
        [] => return None,
        [_] => String::from("Job "),
        many => format!("{} jobs changed: ", many.len()),
    };
    for (index, change) in changes.iter().take(NAMED).enumerate() {
        if index > 0 {
            text.push_str(", ");
        }
        text.push('“');
        text.push_str(&change.title);
        text.push('”');
        match &change.phase {
            Some(phase) => {
                text.push_str(" is now ");
                text.push_str(phase.label());
            }
            None => text.push_str(" was deleted"),
        }
    }
    if changes.len() > NAMED {
        text.push_str(&format!(" and {} more", changes.len() - NAMED));
    }
    text.push('.');
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(title: &str, phase: Option<&str>) -> Change {
        Change {
            title: title.into(),
            phase: phase.map(Phase::parse),
        }
    }

    #[test]
    fn one_change_is_one_short_sentence() {
        assert_eq!(
            sentence(&[change("Nightly import", Some("cancelled"))]).as_deref(),
            Some("Job “Nightly import” is now Cancelled.")
        );
        assert_eq!(
            sentence(&[change("Old run", None)]).as_deref(),
            Some("Job “Old run” was deleted.")
        );
        assert_eq!(sentence(&[]), None);
    }

    #[test]
    fn many_changes_name_three_and_count_the_rest() {
        let changes = [
            change("A", Some("completed")),
            change("B", Some("failed")),
            change("C", None),
            change("D", Some("evidence")),
            change("E", Some("completed")),
        ];
        assert_eq!(
            sentence(&changes).as_deref(),
            Some("5 jobs changed: “A” is now Completed, “B” is now Failed, “C” was deleted and 2 more.")
        );
        assert_eq!(
            sentence(&changes[..2]).as_deref(),
            Some("2 jobs changed: “A” is now Completed, “B” is now Failed.")
        );
    }
}
