//! The job page's button group as data (PRD §5.1, §5.2, §5.6, §6.1; issue #21): which controls it
//! shows for a job right now, each with its label, look and state, worked out from the action table
//! (`rules::switched_on`: the table less what the site profile's switches turn off), the job's
//! flow and a cancel still waiting for the workers. The content script only draws what this
//! returns, so a new action kind in the table is a new button with no change there. [`permits`]
//! is the switches' guard every surface puts before a job's flow.

use crate::jobs::copy;
use crate::jobs::dialog::{self, Dialog};
use crate::jobs::flow::{Event, Flow, State, Step};
use crate::jobs::pending::CancelPending;
use crate::jobs::phase::Phase;
use crate::jobs::rules::{switched_on, Action, ActionKind, Intent, Surface, Switches, CANCEL};

/// One part of the group, in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Button(Control),
    /// Why Force Delete is offered (`pending::still_running`, counting).
    Note(CancelPending),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    /// The action it opens; none for Force Delete, which opens its own dialog.
    pub action: Option<ActionKind>,
    /// `cancel`, `delete`, `force-delete`, …: the test id is `{name}-job`, the control name
    /// (`data-job-actions-control`) `open-{name}`.
    pub name: &'static str,
    /// Its class: `warning`, `destructive`, `neutral`, or `done` (a cancel this page made).
    pub look: &'static str,
    /// Its text; while `counting`, `pending::status` of it instead.
    pub label: &'static str,
    pub disabled: bool,
    /// A spinner instead of the icon: its request is in flight, or the workers are stopping.
    pub spinning: bool,
    /// The label counts the seconds of this pending cancel: it is updated in place every second,
    /// and is not part of what the group was built for (rebuilding it would take the focus away).
    pub counting: Option<CancelPending>,
}

const FORCE_DELETE: &str = "force-delete";

/// The group for a job in `phase` with this flow; `refused`: the API refused this user the actions
/// (every control disabled); `switches`: what the site profile lets the page show (Force Delete
/// has a switch of its own).
pub fn detail_controls(
    phase: &Phase,
    flow: &Flow,
    pending: Option<CancelPending>,
    refused: bool,
    switches: Switches,
) -> Vec<Item> {
    let busy = flow.is_busy() || refused;
    let offer_force = pending.filter(|pending| pending.offer_force_delete && switches.force_delete);
    let table: Vec<&Action> = switched_on(Surface::DetailPage, phase, switches).collect();
    let mut items = Vec::new();
    // A cancel this page made, or one still in flight, stays in view after the job left the
    // phases that offer Cancel.
    if switches.cancel && !table.iter().any(|action| action.kind == ActionKind::Cancel) {
        if let State::Sending {
            dialog: Dialog::Cancel,
            ..
        } = flow.state
        {
            items.push(Item::Button(Control {
                spinning: true,
                ..control(&CANCEL, Dialog::Cancel.copy().confirm_busy, true)
            }));
        } else if flow.cancelled_here && *phase == Phase::Cancelled {
            items.push(Item::Button(Control {
                look: "done",
                ..control(&CANCEL, "Cancelled", true)
            }));
        }
    }
    // Force Delete follows the counting Cancel; with Cancel switched off it stands alone.
    if !switches.cancel {
        items.extend(force_delete(offer_force, busy));
    }
    for action in table {
        let progress = progress(action.kind, phase, flow);
        if action.kind == ActionKind::Cancel && progress.is_none() {
            if let Some(pending) = pending {
                items.push(Item::Button(Control {
                    spinning: true,
                    counting: Some(pending),
                    ..control(action, copy::STEP_STOPPING, true)
                }));
                items.extend(force_delete(offer_force, busy));
                continue;
            }
        }
        if offer_force.is_some() && dialog::deletes(action.kind) {
            // Force Delete takes the plain delete's place.
            continue;
        }
        items.push(Item::Button(match progress {
            Some(label) => Control {
                spinning: true,
                ..control(action, label, true)
            },
            None => control(action, action.label, busy),
        }));
    }
    items
}

/// Whether a surface may hand `event` to a job's `flow` under the site profile's `switches` (issue
/// #23): an action switched off is never opened, whatever asked for it; nor Force Delete, which
/// choosing an action again opens while a Cancel & Delete waits for the workers.
pub fn permits(switches: Switches, flow: &Flow, event: &Event) -> bool {
    let waiting = flow.state == State::Following(Step::Stopping);
    match event {
        Event::Open { action, .. } => {
            switches.allows(*action) && (switches.force_delete || !waiting)
        }
        Event::OpenForceDelete => switches.force_delete,
        _ => true,
    }
}

/// PRD §5.6: once a pending cancel has waited long enough (`offer`), say what is going on, and
/// offer to stop waiting.
fn force_delete(offer: Option<CancelPending>, busy: bool) -> Vec<Item> {
    let Some(pending) = offer else {
        return Vec::new();
    };
    vec![
        Item::Note(pending),
        Item::Button(Control {
            action: None,
            name: FORCE_DELETE,
            look: Intent::Destructive.name(),
            label: "Force Delete",
            disabled: busy,
            spinning: false,
            counting: None,
        }),
    ]
}

/// The busy label of the control for `kind` while what it started is under way: its dialog's
/// request in flight, or a Cancel & Delete's step (`cancel_then_delete`).
fn progress(kind: ActionKind, phase: &Phase, flow: &Flow) -> Option<&'static str> {
    match flow.state {
        State::Sending { dialog, .. } => {
            let opened = Dialog::for_action(kind, phase).map(Dialog::name);
            let forced = dialog == Dialog::ForceDelete && dialog::deletes(kind);
            (forced || opened == Some(dialog.name())).then(|| dialog.copy().confirm_busy)
        }
        State::Deleted => dialog::deletes(kind).then_some(copy::STEP_DELETING),
        State::Following(step) => dialog::deletes(kind).then(|| step.label()),
        _ => None,
    }
}

/// What a group of `items` was built for: it is rebuilt only when this changes (counting labels
/// excluded), so the focus stays on a control that did not change.
pub fn signature(items: &[Item]) -> String {
    let mut signature = String::new();
    for item in items {
        match item {
            Item::Button(control) => {
                signature.push_str(control.name);
                signature.push('|');
                signature.push_str(control.label);
                signature.push(if control.disabled { 'd' } else { 'e' });
                signature.push(if control.spinning { 's' } else { '-' });
                signature.push_str(control.look);
            }
            Item::Note(_) => signature.push_str("note"),
        }
        signature.push('/');
    }
    signature
}

fn control(action: &Action, label: &'static str, disabled: bool) -> Control {
    Control {
        action: Some(action.kind),
        name: action.id,
        look: action.intent.name(),
        label,
        disabled,
        spinning: false,
        counting: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::dialog::Request;
    use crate::jobs::pending;

    fn phase(wire: &str) -> Phase {
        Phase::parse(wire)
    }

    /// The group with every switch on, as the tests before the switches (issue #23) read it.
    fn detail_controls(
        phase: &Phase,
        flow: &Flow,
        pending: Option<CancelPending>,
        refused: bool,
    ) -> Vec<Item> {
        super::detail_controls(phase, flow, pending, refused, Switches::ALL_ON)
    }

    /// Issue #23: what a page or the popup asks of a flow passes only with its switch on.
    #[test]
    fn an_action_switched_off_is_never_opened() {
        let open = |action| Event::Open {
            action,
            phase: phase("matching"),
        };
        let idle = Flow::default();
        let waiting = Flow {
            state: State::Following(Step::Stopping),
            ..Flow::default()
        };
        let mut switches = Switches::ALL_ON;
        for kind in ActionKind::ALL {
            assert!(permits(switches, &idle, &open(kind)));
        }
        assert!(permits(switches, &waiting, &open(ActionKind::Delete)));
        assert!(permits(switches, &idle, &Event::OpenForceDelete));
        switches.cancel = false;
        assert!(!permits(switches, &idle, &open(ActionKind::Cancel)));
        assert!(!permits(
            switches,
            &idle,
            &open(ActionKind::CancelAndDelete)
        ));
        assert!(permits(switches, &idle, &open(ActionKind::Delete)));
        switches = Switches::ALL_ON;
        switches.force_delete = false;
        assert!(!permits(switches, &idle, &Event::OpenForceDelete));
        assert!(!permits(switches, &waiting, &open(ActionKind::Delete)));
        assert!(permits(switches, &idle, &open(ActionKind::Delete)));
        assert!(permits(switches, &waiting, &Event::Dismiss));
    }

    /// Issue #23: a switch turned off in the site profile removes exactly its controls; Force
    /// Delete has its own, and stands alone when Cancel is off.
    #[test]
    fn switches_remove_exactly_their_controls() {
        let off = |name: &str| {
            let mut switches = Switches::ALL_ON;
            *switches.by_name(name).unwrap() = false;
            switches
        };
        let idle = Flow::default();
        let stuck = Some(CancelPending {
            elapsed_s: 31,
            offer_force_delete: true,
        });
        let group = |wire: &str, pending, name: &str| {
            super::detail_controls(&phase(wire), &idle, pending, false, off(name))
        };
        for name in ["badges", "row_menu"] {
            assert_eq!(
                group("matching", stuck, name),
                detail_controls(&phase("matching"), &idle, stuck, false)
            );
        }
        // Cancel & Delete (an active job's "Delete Job") is a cancel too.
        check(group("matching", None, "cancel"), &[]);
        check(
            group("completed", None, "cancel"),
            &["delete:destructive:Delete Job[]"],
        );
        check(
            group("matching", stuck, "cancel"),
            &[
                "note:Still running",
                "force-delete:destructive:Force Delete[]",
            ],
        );
        check(
            group("matching", None, "delete"),
            &["cancel:warning:Cancel Job[]"],
        );
        check(group("failed", None, "delete"), &[]);
        check(
            group("matching", stuck, "force_delete"),
            &[
                "cancel:warning:Cancelling… 31 s[dsc]",
                "delete:destructive:Delete Job[]",
            ],
        );
        // A cancel in flight shows only while Cancel is on.
        let sending_cancel = sending(Dialog::Cancel, Request::Cancel);
        check(
            super::detail_controls(
                &phase("completed"),
                &sending_cancel,
                None,
                false,
                off("cancel"),
            ),
            &["delete:destructive:Delete Job[d]"],
        );
    }

    /// The group as `name:label[flags]`, flags `d` disabled, `s` spinning, `c` counting.
    #[track_caller]
    fn check(items: Vec<Item>, expected: &[&str]) {
        let shown: Vec<String> = items
            .iter()
            .map(|item| match item {
                Item::Button(control) => {
                    let mut flags = String::new();
                    for (on, flag) in [
                        (control.disabled, 'd'),
                        (control.spinning, 's'),
                        (control.counting.is_some(), 'c'),
                    ] {
                        if on {
                            flags.push(flag);
                        }
                    }
                    let label = control
                        .counting
                        .map_or(control.label.to_string(), pending::status);
                    format!("{}:{}:{label}[{flags}]", control.name, control.look)
                }
                Item::Note(pending) => {
                    format!("note:{}", &pending::still_running(*pending)[..13])
                }
            })
            .collect();
        assert_eq!(shown, expected);
    }

    fn sending(dialog: Dialog, request: Request) -> Flow {
        Flow {
            state: State::Sending { dialog, request },
            ..Flow::default()
        }
    }

    #[test]
    fn an_active_job_offers_cancel_and_delete_and_a_finished_one_delete() {
        let idle = Flow::default();
        check(
            detail_controls(&phase("matching"), &idle, None, false),
            &[
                "cancel:warning:Cancel Job[]",
                "delete:destructive:Delete Job[]",
            ],
        );
        check(
            detail_controls(&phase("failed"), &idle, None, false),
            &["delete:destructive:Delete Job[]"],
        );
        check(detail_controls(&phase("weird"), &idle, None, false), &[]);
    }

    #[test]
    fn the_control_whose_request_is_in_flight_spins_with_its_dialogs_busy_label() {
        check(
            detail_controls(
                &phase("matching"),
                &sending(Dialog::Cancel, Request::Cancel),
                None,
                false,
            ),
            &[
                "cancel:warning:Cancelling…[ds]",
                "delete:destructive:Delete Job[d]",
            ],
        );
        check(
            detail_controls(
                &phase("completed"),
                &sending(Dialog::ForceDelete, Request::Delete { force: true }),
                None,
                false,
            ),
            &["delete:destructive:Deleting…[ds]"],
        );
    }

    #[test]
    fn a_cancel_in_flight_stays_in_view_when_a_poll_finds_the_job_finished() {
        check(
            detail_controls(
                &phase("completed"),
                &sending(Dialog::Cancel, Request::Cancel),
                None,
                false,
            ),
            &[
                "cancel:warning:Cancelling…[ds]",
                "delete:destructive:Delete Job[d]",
            ],
        );
    }

    #[test]
    fn a_cancel_made_here_reads_cancelled_once_the_job_is() {
        let flow = Flow {
            cancelled_here: true,
            ..Flow::default()
        };
        check(
            detail_controls(&phase("cancelled"), &flow, None, false),
            &[
                "cancel:done:Cancelled[d]",
                "delete:destructive:Delete Job[]",
            ],
        );
    }

    #[test]
    fn a_pending_cancel_counts_then_offers_force_delete_in_the_deletes_place() {
        let waiting = CancelPending {
            elapsed_s: 12,
            offer_force_delete: false,
        };
        check(
            detail_controls(&phase("matching"), &Flow::default(), Some(waiting), false),
            &[
                "cancel:warning:Cancelling… 12 s[dsc]",
                "delete:destructive:Delete Job[]",
            ],
        );
        let stuck = CancelPending {
            elapsed_s: 31,
            offer_force_delete: true,
        };
        check(
            detail_controls(&phase("matching"), &Flow::default(), Some(stuck), false),
            &[
                "cancel:warning:Cancelling… 31 s[dsc]",
                "note:Still running",
                "force-delete:destructive:Force Delete[]",
            ],
        );
    }

    #[test]
    fn cancel_and_delete_shows_its_step_on_the_delete_control() {
        let confirmed = sending(Dialog::Delete { running: true }, Request::Cancel);
        check(
            detail_controls(&phase("matching"), &confirmed, None, false),
            &[
                "cancel:warning:Cancel Job[d]",
                "delete:destructive:Cancelling…[ds]",
            ],
        );
        let mut waiting = Flow {
            state: State::Following(Step::Stopping),
            cancelled_here: true,
            ..Flow::default()
        };
        let pending = CancelPending {
            elapsed_s: 4,
            offer_force_delete: false,
        };
        check(
            detail_controls(&phase("matching"), &waiting, Some(pending), false),
            &[
                "cancel:warning:Cancelling… 4 s[dsc]",
                "delete:destructive:Cancelling…[ds]",
            ],
        );
        // Waiting too long: Force Delete, enabled, in the delete's place.
        let stuck = CancelPending {
            elapsed_s: 30,
            offer_force_delete: true,
        };
        check(
            detail_controls(&phase("matching"), &waiting, Some(stuck), false),
            &[
                "cancel:warning:Cancelling… 30 s[dsc]",
                "note:Still running",
                "force-delete:destructive:Force Delete[]",
            ],
        );
        waiting.state = State::Following(Step::Deleting);
        check(
            detail_controls(&phase("cancelled"), &waiting, None, false),
            &[
                "cancel:done:Cancelled[d]",
                "delete:destructive:Deleting…[ds]",
            ],
        );
    }

    #[test]
    fn a_refusal_or_a_busy_flow_disables_every_control() {
        check(
            detail_controls(&phase("matching"), &Flow::default(), None, true),
            &[
                "cancel:warning:Cancel Job[d]",
                "delete:destructive:Delete Job[d]",
            ],
        );
    }

    #[test]
    fn the_signature_ignores_the_counting_seconds_but_not_a_change_of_state() {
        let at = |elapsed_s| {
            detail_controls(
                &phase("matching"),
                &Flow::default(),
                Some(CancelPending {
                    elapsed_s,
                    offer_force_delete: false,
                }),
                false,
            )
        };
        assert_eq!(signature(&at(3)), signature(&at(4)));
        let mut flow = Flow::default();
        let idle = signature(&detail_controls(&phase("matching"), &flow, None, false));
        flow.handle(Event::Open {
            action: ActionKind::Cancel,
            phase: phase("matching"),
        });
        flow.handle(Event::Confirm);
        let sent = signature(&detail_controls(&phase("matching"), &flow, None, false));
        assert_ne!(idle, sent);
    }
}
