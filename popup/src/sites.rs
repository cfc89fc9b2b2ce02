//! What the site-profiles view's buttons do (issue #8): load and store the user's profiles
//! (`storage.local` `profiles`), ask for a profile's origins when it is saved (from the click
//! itself: browsers require a user gesture) and give them back when no profile needs them, import
//! and export JSON, and "Test on this tab". The background registers the content script for the
//! granted origins when the stored profiles change (`background/main.js`).

use crate::browser;
use crate::profile_form::{probe_facts, probe_plan, ProfileForm};
use crate::sites_state::{Editor, SitesState, Which};
use crate::state::Outcome;
use dioxus::prelude::*;
use job_actions::sites::profile::SiteProfile;
use job_actions::sites::profiles::{self, StoredProfile};

/// Reads the stored profiles into the view (an unreadable book is shown, never overwritten).
pub async fn load(mut state: SitesState) {
    crate::storage::load_built_in().await;
    let book = match crate::storage::get(profiles::STORAGE_KEY).await {
        Ok(Some(text)) => profiles::parse_book(&text),
        Ok(None) => Ok(Vec::new()),
        Err(message) => Err(message),
    };
    let mut model = state.write();
    match book {
        Ok(book) => model.book = Some(book),
        Err(message) => {
            model.outcome = Some(Outcome::Failed(format!(
                "Your site profiles could not be read: {message}"
            )))
        }
    }
    drop(model);
    load_managed(state).await;
    // Called from a browser event, outside Dioxus: `spawn_local`, not `spawn`.
    browser::on_local_change(job_actions::sites::managed::MANAGED_KEY, move || {
        wasm_bindgen_futures::spawn_local(load_managed(state));
    });
    open_draft(state).await;
}

/// The organisation's profiles, as the background validated them (shown first, not editable).
async fn load_managed(mut state: SitesState) {
    let managed = crate::storage::managed_profiles().await;
    state.write().managed = managed;
}

/// "Enable on this site" was unsure: the editor opens on what it found (once), for the user to
/// finish and save.
async fn open_draft(mut state: SitesState) {
    let Ok(Some(draft)) = crate::storage::get(crate::enable::DRAFT_KEY).await else {
        return;
    };
    if draft.is_empty() {
        return;
    }
    let _ = crate::storage::set(crate::enable::DRAFT_KEY, "").await;
    match job_actions::api::json::decode::<SiteProfile>(&draft) {
        Ok(profile) => {
            open_new(state, profile);
            state.write().outcome = Some(Outcome::Working(
                "Enable on this site could not find everything: finish this profile and save it.",
            ));
        }
        Err(message) => browser::warn(&format!(
            "[job-actions] the detected profile could not be opened: {message}"
        )),
    }
}

/// The profile `which` names.
pub fn profile_of(state: SitesState, which: Which) -> Option<StoredProfile> {
    match which {
        Which::BuiltIn => Some(StoredProfile {
            profile: profiles::built_in(),
            token: None,
        }),
        Which::User(index) => state.peek().book.as_ref()?.get(index).cloned(),
        Which::Managed(index) => state.peek().managed.get(index).cloned(),
    }
}

/// Opens the editor on a new profile, an existing one, or a copy.
pub fn open_editor(mut state: SitesState, index: Option<usize>, form: ProfileForm) {
    let mut model = state.write();
    model.editor = Some(Editor {
        index,
        form,
        problems: Vec::new(),
    });
    model.confirm_delete = None;
    model.export = None;
    model.probe = None;
    drop(model);
    browser::focus_first("#profile-name");
}

/// Opens the editor on a profile not saved yet (an import, or what "Enable on this site" found).
fn open_new(state: SitesState, profile: SiteProfile) {
    open_editor(
        state,
        None,
        ProfileForm::from_stored(&StoredProfile {
            profile,
            token: None,
        }),
    );
}

/// A copy named "… (copy)" (or "(copy 2)", … while that name is taken), opened in the editor.
pub fn duplicate(state: SitesState, which: Which) {
    let Some(mut stored) = profile_of(state, which) else {
        return;
    };
    let taken = names(state);
    let base = stored.profile.name.clone();
    stored.profile.name = (1..)
        .map(|n| match n {
            1 => format!("{base} (copy)"),
            n => format!("{base} (copy {n})"),
        })
        .find(|name| !taken.contains(name))
        .unwrap_or(base);
    open_editor(state, None, ProfileForm::from_stored(&stored));
}

fn names(state: SitesState) -> Vec<String> {
    let model = state.peek();
    let mut names = vec![profiles::built_in().name];
    names.extend(
        model
            .book
            .iter()
            .flatten()
            .chain(&model.managed)
            .map(|stored| stored.profile.name.clone()),
    );
    names
}

/// Validates the editor, asks for the profile's origins (still inside the click), then stores it
/// and gives back the origins the profile no longer needs. Invalid input keeps the editor open
/// with every problem listed; a refused permission saves nothing and keeps what was typed.
pub fn save(mut state: SitesState) {
    let Some(editor) = state.peek().editor.clone() else {
        return;
    };
    let mut result = editor.form.to_stored();
    if let Ok(stored) = &result {
        let clash = state
            .peek()
            .book
            .iter()
            .flatten()
            .enumerate()
            .any(|(i, other)| Some(i) != editor.index && other.profile.name == stored.profile.name)
            || stored.profile.name == profiles::built_in().name;
        if clash {
            result = Err(vec![format!(
                "A profile named \"{}\" already exists; choose another name.",
                stored.profile.name
            )]);
        }
    }
    let stored = match result {
        Ok(stored) => stored,
        Err(problems) => {
            if let Some(editor) = state.write().editor.as_mut() {
                editor.problems = problems;
            }
            browser::focus_first("[data-testid=profile-problems]");
            return;
        }
    };
    // `to_stored` checked the API base already; should it not parse, say so rather than ask for
    // less than the profile needs.
    let patterns = match profiles::patterns_of(&stored.profile) {
        Ok(patterns) => patterns,
        Err(why) => {
            if let Some(editor) = state.write().editor.as_mut() {
                editor.problems = vec![why];
            }
            browser::focus_first("[data-testid=profile-problems]");
            return;
        }
    };
    let permission = browser::request_permission(patterns.clone());
    {
        let mut model = state.write();
        model.outcome = Some(Outcome::Working("Saving…"));
        if let Some(editor) = model.editor.as_mut() {
            editor.problems.clear();
        }
    }
    spawn(async move {
        let outcome = match permission.await {
            Ok(true) => store(state, editor.index, stored).await,
            Ok(false) => Outcome::Failed(format!(
                "Access to {} was not granted, so nothing was saved: the overlay could not run there. Save again and allow it.",
                patterns.join(" and ")
            )),
            Err(message) => Outcome::Failed(format!("Nothing was saved: {message}")),
        };
        state.write().outcome = Some(outcome);
    });
}

async fn store(mut state: SitesState, index: Option<usize>, stored: StoredProfile) -> Outcome {
    let mut book = state.peek().book.clone().unwrap_or_default();
    let replaced = match index.filter(|&i| i < book.len()) {
        Some(i) => Some(std::mem::replace(&mut book[i], stored.clone())),
        None => {
            book.push(stored.clone());
            None
        }
    };
    if let Err(message) =
        crate::storage::set(profiles::STORAGE_KEY, &profiles::write_book(&book)).await
    {
        return Outcome::Failed(format!("Could not save the profile: {message}"));
    }
    {
        let mut model = state.write();
        model.book = Some(book.clone());
        model.editor = None;
        model.probe = None;
    }
    if let Some(old) = replaced {
        let unused =
            profiles::patterns_to_release(&old.profile, &book, &browser::manifest_patterns());
        if let Err(message) = browser::release_origins(unused).await {
            browser::warn(&format!(
                "[job-actions] could not give back an origin: {message}"
            ));
        }
    }
    Outcome::Done(format!(
        "Saved \"{}\". The overlay runs on {} from the next page load.",
        stored.profile.name,
        stored.profile.origins.join(", ")
    ))
}

/// Deletes the user's `index`th profile (after the confirming click), then gives back the origins
/// no other profile needs; the background unregisters the content script there.
pub fn delete(mut state: SitesState, index: usize) {
    let Some(mut book) = state.peek().book.clone() else {
        return;
    };
    if index >= book.len() {
        return;
    }
    let removed = book.remove(index);
    {
        let mut model = state.write();
        model.confirm_delete = None;
        model.outcome = Some(Outcome::Working("Deleting…"));
    }
    spawn(async move {
        let outcome = match crate::storage::set(profiles::STORAGE_KEY, &profiles::write_book(&book))
            .await
        {
            Err(message) => Outcome::Failed(format!("Could not delete the profile: {message}")),
            Ok(()) => {
                let unused = profiles::patterns_to_release(
                    &removed.profile,
                    &book,
                    &browser::manifest_patterns(),
                );
                let released = unused.join(", ");
                state.write().book = Some(book);
                match browser::release_origins(unused).await {
                    Ok(()) if released.is_empty() => {
                        Outcome::Done(format!("Deleted \"{}\".", removed.profile.name))
                    }
                    Ok(()) => Outcome::Done(format!(
                        "Deleted \"{}\" and gave back access to {released}.",
                        removed.profile.name
                    )),
                    Err(message) => Outcome::Failed(format!(
                        "Deleted \"{}\", but access to {released} could not be given back: {message}",
                        removed.profile.name
                    )),
                }
            }
        };
        state.write().outcome = Some(outcome);
    });
}

/// Shows a profile's JSON (no token: it never leaves this browser) to copy or download.
pub fn export(mut state: SitesState, which: Which) {
    if let Some(stored) = profile_of(state, which) {
        let mut model = state.write();
        model.export = Some((stored.profile.name.clone(), stored.profile.to_json()));
        model.editor = None;
    }
}

/// Reads the pasted (or chosen) JSON; a valid profile opens in the editor to review and save.
pub fn import(mut state: SitesState) {
    let text = state.peek().import.clone().unwrap_or_default();
    if text.trim().is_empty() {
        state.write().import_problems =
            vec!["Paste a profile's JSON or choose its file first.".into()];
        return;
    }
    match SiteProfile::import(&text) {
        Ok(profile) => {
            let name = profile.name.clone();
            {
                let mut model = state.write();
                model.import = None;
                model.import_problems.clear();
            }
            open_new(state, profile);
            state.write().outcome = Some(Outcome::Done(format!(
                "Imported \"{name}\": review it, then Save to grant its origins."
            )));
        }
        Err(problems) => state.write().import_problems = problems,
    }
}

/// Reads the chosen file into the import box.
pub fn read_chosen_file(mut state: SitesState, input_id: &'static str) {
    spawn(async move {
        match browser::chosen_file(input_id).await {
            Ok(text) => {
                let mut model = state.write();
                model.import = Some(text);
                model.import_problems.clear();
            }
            Err(message) => {
                state.write().import_problems =
                    vec![format!("The file could not be read: {message}")]
            }
        }
    });
}

/// "Test on this tab" for a stored profile, or for the editor's form as typed.
pub fn probe(mut state: SitesState, profile: Result<SiteProfile, Vec<String>>) {
    let profile = match profile {
        Ok(profile) => profile,
        Err(problems) => {
            state.write().probe = Some(Outcome::Failed(format!(
                "Fix the profile first: {}",
                problems.join(" ")
            )));
            return;
        }
    };
    state.write().probe = Some(Outcome::Working("Testing on this tab…"));
    spawn(async move {
        let answer = browser::probe_tab(&probe_plan(&profile)).await;
        let outcome = match answer.and_then(|text| probe_facts(&text)) {
            Ok(facts) => {
                let verdict = profiles::report(&profile, &facts);
                if verdict.works {
                    Outcome::Done(verdict.summary)
                } else {
                    Outcome::Failed(verdict.summary)
                }
            }
            Err(message) => Outcome::Failed(format!("Could not test on this tab: {message}")),
        };
        state.write().probe = Some(outcome);
    });
}
