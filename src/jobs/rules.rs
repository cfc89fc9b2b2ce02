//! Which action each phase offers, with its label and intent, for every surface — in one place,
//! so the detail page, the list menu and the popup can never disagree (PRD §5.1, §5.2, §5.3).

use crate::jobs::phase::Phase;

/// PRD §5.1: cancel only while workers are processing the job.
pub fn can_cancel(phase: &Phase) -> bool {
    phase.is_active()
}

/// PRD §5.2: delete terminal jobs; active ones too, but only through a forced delete.
/// Unknown phases get no actions at all.
pub fn can_delete(phase: &Phase) -> bool {
    phase.is_active() || phase.is_terminal()
}

/// An active job answers a plain delete with 409; deleting it means `force=true`.
pub fn delete_needs_force(phase: &Phase) -> bool {
    phase.is_active()
}

/// Where an action is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The header button group on a job's own page.
    DetailPage,
    /// The three-dot menu of a row on the job list.
    ListMenu,
    /// A row of the toolbar popup.
    Popup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    Cancel,
    /// Delete with `force=false`; an active job's 409 then offers Force Delete.
    Delete,
    /// Delete an active job: the dialog says it will be cancelled first.
    CancelAndDelete,
    ViewDetails,
}

impl ActionKind {
    pub const ALL: [ActionKind; 4] = [
        ActionKind::Cancel,
        ActionKind::Delete,
        ActionKind::CancelAndDelete,
        ActionKind::ViewDetails,
    ];

    /// Its stable name, as the controls that offer it record it (the control's own test id may
    /// differ: the job page's "Delete Job" of an active job is `CancelAndDelete`).
    pub fn name(self) -> &'static str {
        match self {
            ActionKind::Cancel => "cancel",
            ActionKind::Delete => "delete",
            ActionKind::CancelAndDelete => "cancel-and-delete",
            ActionKind::ViewDetails => "view-details",
        }
    }

    pub fn from_name(name: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// How an action is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Orange outline with a warning icon (Cancel Job, PRD §6.1).
    Warning,
    /// Solid red with a trash icon (Delete Job, PRD §6.1).
    Destructive,
    Neutral,
}

impl Intent {
    /// Its class on every surface.
    pub fn name(self) -> &'static str {
        match self {
            Intent::Warning => "warning",
            Intent::Destructive => "destructive",
            Intent::Neutral => "neutral",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    pub kind: ActionKind,
    pub label: &'static str,
    pub intent: Intent,
    /// A stable name for `data-testid` and CSS hooks.
    pub id: &'static str,
}

const CANCEL: Action = Action {
    kind: ActionKind::Cancel,
    label: "Cancel Job",
    intent: Intent::Warning,
    id: "cancel",
};
const DELETE: Action = Action {
    kind: ActionKind::Delete,
    label: "Delete Job",
    intent: Intent::Destructive,
    id: "delete",
};
/// On the detail page the PRD keeps the label "Delete Job" for active jobs too; the dialog then
/// says the job is still running (PRD §5.2, issue #4).
const DELETE_ACTIVE: Action = Action {
    kind: ActionKind::CancelAndDelete,
    label: "Delete Job",
    intent: Intent::Destructive,
    id: "delete",
};
const CANCEL_AND_DELETE: Action = Action {
    kind: ActionKind::CancelAndDelete,
    label: "Cancel & Delete",
    intent: Intent::Destructive,
    id: "cancel-and-delete",
};
const VIEW_DETAILS: Action = Action {
    kind: ActionKind::ViewDetails,
    label: "View Details",
    intent: Intent::Neutral,
    id: "view-details",
};

/// The actions a surface offers for a phase, in display order.
pub fn actions_for(surface: Surface, phase: &Phase) -> &'static [Action] {
    let active = phase.is_active();
    let terminal = phase.is_terminal();
    match surface {
        Surface::DetailPage if active => &[CANCEL, DELETE_ACTIVE],
        Surface::DetailPage if terminal => &[DELETE],
        Surface::DetailPage => &[],
        Surface::ListMenu if active => &[CANCEL, CANCEL_AND_DELETE, VIEW_DETAILS],
        Surface::ListMenu if terminal => &[DELETE, VIEW_DETAILS],
        Surface::ListMenu => &[VIEW_DETAILS],
        Surface::Popup if active => &[CANCEL, CANCEL_AND_DELETE],
        Surface::Popup if terminal => &[DELETE],
        Surface::Popup => &[],
    }
}

/// The actions a surface offers for a job right now: `actions_for`, without Cancel while a
/// cancel the API accepted is still waiting for the workers (`pending.rs`: the control shows
/// "Cancelling… N s" instead, and a second cancel would change nothing).
pub fn offered(
    surface: Surface,
    phase: &Phase,
    cancel_pending: bool,
) -> impl Iterator<Item = &'static Action> {
    actions_for(surface, phase)
        .iter()
        .filter(move |action| !(cancel_pending && action.kind == ActionKind::Cancel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(surface: Surface, wire: &str, expected: &[&str]) {
        let labels: Vec<&str> = actions_for(surface, &Phase::parse(wire))
            .iter()
            .map(|action| action.label)
            .collect();
        assert_eq!(labels, expected, "{surface:?} / {wire}");
    }

    #[test]
    fn actions_per_surface_and_phase() {
        use Surface::*;
        for active in ["collection", "feature_extraction", "matching", "evidence"] {
            check(DetailPage, active, &["Cancel Job", "Delete Job"]);
            check(
                ListMenu,
                active,
                &["Cancel Job", "Cancel & Delete", "View Details"],
            );
            check(Popup, active, &["Cancel Job", "Cancel & Delete"]);
        }
        for terminal in ["completed", "failed", "cancelled"] {
            check(DetailPage, terminal, &["Delete Job"]);
            check(ListMenu, terminal, &["Delete Job", "View Details"]);
            check(Popup, terminal, &["Delete Job"]);
        }
        check(DetailPage, "archiving", &[]);
        check(ListMenu, "archiving", &["View Details"]);
        check(Popup, "archiving", &[]);
    }

    #[test]
    fn a_pending_cancel_is_not_offered_again() {
        let kinds = |pending| -> Vec<ActionKind> {
            offered(Surface::Popup, &Phase::Matching, pending)
                .map(|action| action.kind)
                .collect()
        };
        assert_eq!(
            kinds(false),
            [ActionKind::Cancel, ActionKind::CancelAndDelete]
        );
        assert_eq!(kinds(true), [ActionKind::CancelAndDelete]);
    }

    #[test]
    fn kinds_travel_by_name() {
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(ActionKind::from_name("Cancel"), None);
    }

    #[test]
    fn the_three_rules_follow_the_prd() {
        #[track_caller]
        fn check_rules(wire: &str, cancel: bool, delete: bool, force: bool) {
            let phase = Phase::parse(wire);
            assert_eq!(
                (
                    can_cancel(&phase),
                    can_delete(&phase),
                    delete_needs_force(&phase)
                ),
                (cancel, delete, force),
                "{wire}"
            );
        }
        check_rules("collection", true, true, true);
        check_rules("evidence", true, true, true);
        check_rules("completed", false, true, false);
        check_rules("failed", false, true, false);
        check_rules("cancelled", false, true, false);
        check_rules("paused", false, false, false);
    }

    #[test]
    fn offered_actions_agree_with_the_rules() {
        let mut phases = Phase::KNOWN.to_vec();
        phases.push(Phase::Unknown("x".into()));
        for phase in &phases {
            for surface in [Surface::DetailPage, Surface::ListMenu, Surface::Popup] {
                for action in actions_for(surface, phase) {
                    let allowed = match action.kind {
                        ActionKind::Cancel => can_cancel(phase),
                        ActionKind::Delete => can_delete(phase) && !delete_needs_force(phase),
                        ActionKind::CancelAndDelete => delete_needs_force(phase),
                        ActionKind::ViewDetails => true,
                    };
                    assert!(allowed, "{surface:?} offers {} for {phase}", action.label);
                }
            }
        }
    }
}
