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

/// Cancel Job; `controls` also draws it outside the table ("Cancelling…", "Cancelled").
pub(crate) const CANCEL: Action = Action {
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

/// What a site profile lets the overlay add (issue #23, PRD §12: a staged rollout turns parts off
/// per app). Everything is on unless the profile turns it off; the built-in profile turns nothing
/// off. Every surface asks [`Switches::allows`] (through [`switched_on`] or [`offered`]) for the
/// actions, so a switch turned off removes exactly its controls everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switches {
    /// The phase badges on the app's list and job pages.
    pub badges: bool,
    /// Cancel Job; with `delete`, Cancel & Delete.
    pub cancel: bool,
    /// Delete Job; with `cancel`, Cancel & Delete.
    pub delete: bool,
    /// Force Delete, offered when a cancelled job keeps running.
    pub force_delete: bool,
    /// The three-dot menu in the list's rows.
    pub row_menu: bool,
    /// Choosing many jobs on the list for one bulk cancel or delete (issue #24).
    pub bulk: bool,
}

impl Switches {
    pub const ALL_ON: Switches = Switches {
        badges: true,
        cancel: true,
        delete: true,
        force_delete: true,
        row_menu: true,
        bulk: true,
    };

    /// Each switch's name (in a profile's JSON, `switched_off`, and the editor's test ids) and
    /// label, in the editor's order. A new switch is a field, a row here and an arm in `by_name`.
    pub const NAMES: [(&'static str, &'static str); 6] = [
        ("badges", "Phase badges"),
        ("cancel", "Cancel"),
        ("delete", "Delete"),
        ("force_delete", "Force Delete"),
        ("row_menu", "Row menu"),
        ("bulk", "Bulk selection"),
    ];

    /// The switch called `name`, to read or turn; `None` when no switch has that name.
    pub fn by_name(&mut self, name: &str) -> Option<&mut bool> {
        match name {
            "badges" => Some(&mut self.badges),
            "cancel" => Some(&mut self.cancel),
            "delete" => Some(&mut self.delete),
            "force_delete" => Some(&mut self.force_delete),
            "row_menu" => Some(&mut self.row_menu),
            "bulk" => Some(&mut self.bulk),
            _ => None,
        }
    }

    /// Whether the switch called `name` is on.
    pub fn is_on(mut self, name: &str) -> bool {
        self.by_name(name).is_some_and(|on| *on)
    }

    /// The one rule: whether an action of `kind` may be offered or opened. Cancel & Delete is a
    /// cancel and a delete, so it needs both; View Details has no switch.
    pub fn allows(self, kind: ActionKind) -> bool {
        match kind {
            ActionKind::Cancel => self.cancel,
            ActionKind::Delete => self.delete,
            ActionKind::CancelAndDelete => self.cancel && self.delete,
            ActionKind::ViewDetails => true,
        }
    }
}

impl Default for Switches {
    fn default() -> Switches {
        Switches::ALL_ON
    }
}

/// The actions of `actions_for` that a profile's `switches` leave on, in display order.
pub fn switched_on(
    surface: Surface,
    phase: &Phase,
    switches: Switches,
) -> impl Iterator<Item = &'static Action> {
    actions_for(surface, phase)
        .iter()
        .filter(move |action| switches.allows(action.kind))
}

/// The actions a surface offers for a job right now: [`switched_on`], without Cancel while a
/// cancel the API accepted is still waiting for the workers (`pending.rs`: the control shows
/// "Cancelling… N s" instead, and a second cancel would change nothing).
pub fn offered(
    surface: Surface,
    phase: &Phase,
    cancel_pending: bool,
    switches: Switches,
) -> impl Iterator<Item = &'static Action> {
    switched_on(surface, phase, switches)
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
            offered(Surface::Popup, &Phase::Matching, pending, Switches::ALL_ON)
                .map(|action| action.kind)
                .collect()
        };
        assert_eq!(
            kinds(false),
            [ActionKind::Cancel, ActionKind::CancelAndDelete]
        );
        assert_eq!(kinds(true), [ActionKind::CancelAndDelete]);
    }

    /// Issue #23: each switch turned off removes exactly its actions, on every surface and phase;
    /// the others stay as the table has them.
    #[test]
    fn a_switch_turned_off_removes_exactly_its_actions() {
        let mut phases = Phase::KNOWN.to_vec();
        phases.push(Phase::Unknown("x".into()));
        for (name, _) in Switches::NAMES {
            let mut switches = Switches::ALL_ON;
            *switches.by_name(name).unwrap() = false;
            let removed: &[ActionKind] = match name {
                "cancel" => &[ActionKind::Cancel, ActionKind::CancelAndDelete],
                "delete" => &[ActionKind::Delete, ActionKind::CancelAndDelete],
                _ => &[],
            };
            for phase in &phases {
                for surface in [Surface::DetailPage, Surface::ListMenu, Surface::Popup] {
                    let expected: Vec<ActionKind> = actions_for(surface, phase)
                        .iter()
                        .map(|action| action.kind)
                        .filter(|kind| !removed.contains(kind))
                        .collect();
                    let kinds: Vec<ActionKind> = offered(surface, phase, false, switches)
                        .map(|action| action.kind)
                        .collect();
                    assert_eq!(kinds, expected, "{name} off: {surface:?} / {phase}");
                }
            }
        }
    }

    #[test]
    fn switches_are_found_by_name_and_all_on_by_default() {
        let mut switches = Switches::default();
        assert_eq!(switches, Switches::ALL_ON);
        for (name, _) in Switches::NAMES {
            assert!(switches.is_on(name), "{name}");
            *switches.by_name(name).unwrap() = false;
            assert!(!switches.is_on(name), "{name}");
        }
        assert_eq!(
            switches,
            Switches {
                badges: false,
                cancel: false,
                delete: false,
                force_delete: false,
                row_menu: false,
                bulk: false
            }
        );
        assert_eq!(switches.by_name("Cancel"), None);
        assert!(!switches.is_on("menu"));
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
