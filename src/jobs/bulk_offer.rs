//! What a bulk selection offers and the one confirmation's words (issue #24): each action's
//! count covers only the selected jobs it applies to, or it is disabled with why; the title; five
//! titles and "and N more".

use crate::jobs::bulk::BulkKind;
use crate::jobs::phase::Phase;

/// How many titles the confirmation names before "and N more".
pub const NAMED: usize = 5;

/// What the bulk bar offers for a selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Offer {
    pub selected: usize,
    /// Running: Cancel applies; Delete only by force.
    pub running: usize,
    /// Finished: Delete applies.
    pub finished: usize,
}

impl Offer {
    pub fn of<'a>(phases: impl IntoIterator<Item = &'a Phase>) -> Offer {
        let mut offer = Offer::default();
        for phase in phases {
            offer.selected += 1;
            if phase.is_active() {
                offer.running += 1;
            } else if phase.is_terminal() {
                offer.finished += 1;
            }
        }
        offer
    }

    /// The bar's button for `kind`: its label ("Cancel 12") and, when it applies to none of the
    /// selected jobs, why it is disabled.
    pub fn button(&self, kind: BulkKind) -> (String, Option<&'static str>) {
        let count = match kind {
            BulkKind::Cancel => self.running,
            BulkKind::Delete { .. } => self.running + self.finished,
        };
        let why = match kind {
            BulkKind::Cancel => "None of the selected jobs is running.",
            BulkKind::Delete { .. } => "None of the selected jobs can be deleted.",
        };
        (
            format!("{} {count}", kind.verb()),
            (count == 0).then_some(why),
        )
    }

    /// "12 selected".
    pub fn selected_text(&self) -> String {
        format!("{} selected", self.selected)
    }
}

/// The confirmation's title: "Cancel 12 jobs?", "Delete 1 job?".
pub fn confirm_title(kind: BulkKind, count: usize) -> String {
    format!("{} {}?", kind.verb(), jobs(count))
}

/// "1 job", "12 jobs".
pub fn jobs(count: usize) -> String {
    if count == 1 {
        "1 job".into()
    } else {
        format!("{count} jobs")
    }
}

/// The titles the confirmation names (the first `NAMED`), and "and N more" for the rest.
pub fn named(titles: &[String]) -> (&[String], Option<String>) {
    let shown = &titles[..titles.len().min(NAMED)];
    let more = titles.len() - shown.len();
    (shown, (more > 0).then(|| format!("and {more} more")))
}
