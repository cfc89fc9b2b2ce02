//! `phase-badge`: a badge with the job's phase next to its title, on the job's page and in every
//! row of the list, with the grey variant for cancelled jobs (PRD §6.3). The phase comes from the
//! API once it answered, and from the host's own phase text until then. A site profile with its
//! `badges` switch off gets none (issue #23).

use super::Feature;
use crate::dom::{self, Check, Drawn, Placement};
use crate::overlay::Overlay;
use crate::route::Route;
use crate::selectors;
use job_actions::Phase;
use wasm_bindgen::JsValue;
use web_sys::Element;

pub const FEATURE: Feature = Feature {
    id: "phase-badge",
    decorate,
};

const STYLE: &str = "\
:host { display: inline-block; margin-inline-start: 8px; vertical-align: middle; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; border: 1px solid transparent;
  font: 600 12px/18px system-ui, -apple-system, 'Segoe UI', sans-serif; white-space: nowrap; }
.badge[data-variant=active] { color: #0550ae; background: #ddf4ff; border-color: #54aeff66; }
.badge[data-variant=completed] { color: #116329; background: #dafbe1; border-color: #4ac26b66; }
.badge[data-variant=failed] { color: #a40e26; background: #ffebe9; border-color: #ff818266; }
.badge[data-variant=cancelled] { color: #424a53; background: #eaeef2; border-color: #afb8c1; }
.badge[data-variant=unknown] { color: #424a53; background: #ffffff; border: 1px dashed #8c959f; }
";

fn decorate(overlay: &Overlay) -> Result<(), JsValue> {
    if !crate::route::active().profile.features.badges {
        return Ok(());
    }
    let root = dom::root_element()?;
    match &overlay.route {
        Route::List => {
            // Every pass visits every row: a row already showing what it should costs a store
            // lookup and its record's check, and the row's cells are read only when the row has
            // no API data yet (its phase) or its badge must be created (its title).
            for (row, job_id) in overlay.rows()?.iter() {
                if overlay.skips(row, FEATURE.id) {
                    continue;
                }
                let phase = phase_for(overlay, job_id, || selectors::row_phase(row))?;
                let pending = overlay.unconfirmed_deletions.borrow().contains(job_id);
                let phase = if pending {
                    phase.map(|(_, source)| (deletion_pending(), source))
                } else {
                    phase
                };
                let signature = match &phase {
                    Some((phase, source)) => dom::signature(&[source.name(), phase.as_wire()]),
                    None => dom::signature(&[]),
                };
                // When the list's data arrives, where a badge's phase came from is often all that
                // changed: the check writes it.
                let aspects = phase
                    .as_ref()
                    .map(|(phase, source)| aspects_of(phase, *source));
                let one = match (&phase, &aspects) {
                    (Some((_, source)), Some(aspects)) => Some(dom::OneAttribute {
                        parts: 1,
                        aspects,
                        aspect: 1,
                        part: None,
                        name: "data-source",
                        value: Some(source.name()),
                    }),
                    _ => None,
                };
                let drawn = match dom::check_with(row, FEATURE.id, signature, one.as_ref()) {
                    Check::Done => continue,
                    Check::Draw(drawn) => drawn,
                };
                let title = || selectors::row_title(row);
                if let Some((host, badge, aspects)) =
                    render(drawn.as_ref(), &title, Placement::Append, phase)?
                {
                    dom::mark_drawn(row, FEATURE.id, signature, &host, &[Some(&badge)], &aspects);
                }
            }
        }
        Route::Detail { job_id } => {
            if let Some(title) = selectors::detail_title(&root)? {
                let phase = phase_for(overlay, job_id, || selectors::detail_phase(&root))?;
                render(None, &|| Ok(Some(title.clone())), Placement::After, phase)?;
            }
        }
        Route::Other => {}
    }
    Ok(())
}

/// The marker of a row whose deletion the server did not confirm in time (PRD §7.4).
fn deletion_pending() -> Phase {
    Phase::Unknown("deletion_pending".into())
}

/// Where a badge's phase came from; shown as the host's `data-source` (for debugging and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// What the API said.
    Api,
    /// The host page's own phase text, until the API answers.
    Page,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Api => "api",
            Source::Page => "page",
        }
    }
}

/// The API's phase when known, else the host's own phase text (`host_phase` finds its element,
/// read only then), else none (no badge yet).
fn phase_for(
    overlay: &Overlay,
    job_id: &str,
    host_phase: impl FnOnce() -> Result<Option<Element>, JsValue>,
) -> Result<Option<(Phase, Source)>, JsValue> {
    if let Some(job) = overlay.store.borrow().get(job_id) {
        return Ok(Some((job.phase.clone(), Source::Api)));
    }
    Ok(host_phase()?
        .and_then(|element| element.text_content())
        .map(|text| (Phase::parse(text.trim()), Source::Page)))
}

/// What a badge's two aspects are drawn for: its phase, and where that came from.
fn aspects_of(phase: &Phase, source: Source) -> [f64; 2] {
    [
        dom::signature(&[phase.as_wire()]),
        dom::signature(&[source.name()]),
    ]
}

/// Shows the badge next to the anchor `anchor` finds, over what `drawn` recorded when the pass
/// has it. Returns the host and badge drawn, with what their two aspects (the phase, where it came
/// from) were written for; none when there is no phase to show yet, no anchor, or the pass's
/// creation budget is spent.
fn render(
    drawn: Option<&Drawn>,
    anchor: &dyn Fn() -> Result<Option<Element>, JsValue>,
    placement: Placement,
    phase: Option<(Phase, Source)>,
) -> Result<Option<(Element, Element, [f64; 2])>, JsValue> {
    let Some((phase, source)) = phase else {
        return Ok(None);
    };
    let Some((host, shadow, created)) =
        dom::host_over(drawn, anchor, placement, FEATURE.id, &[STYLE])?
    else {
        return Ok(None);
    };
    let (badge, fresh) = match dom::part_of(drawn, &shadow, created, 0, ".badge")? {
        Some(badge) => (badge, created),
        None => {
            let badge = dom::cloned("phase-badge .badge", || {
                dom::element_with("span", "badge", &[("data-testid", "phase-badge")])
            })?;
            shadow.append_child(&badge)?;
            (badge, true)
        }
    };
    let wire = phase.as_wire();
    let aspects = aspects_of(&phase, source);
    let write = dom::write_mode(drawn, fresh, 1, aspects[0]);
    dom::write_attribute(&host, "data-phase", wire, write)?;
    dom::write_fixed_attribute(
        &badge,
        "data-variant",
        phase.badge_variant().as_str(),
        write,
    )?;
    dom::write_attribute(&badge, "data-phase", wire, write)?;
    let label = if phase == deletion_pending() {
        "Deletion pending"
    } else {
        phase.label()
    };
    dom::write_text(&badge, label, write);
    let write = dom::write_mode(drawn, created, 2, aspects[1]);
    dom::write_fixed_attribute(&host, "data-source", source.name(), write)?;
    Ok(Some((host, badge, aspects)))
}
