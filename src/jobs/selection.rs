//! The jobs chosen for a bulk action (issue #24), the same on the list page and in the popup: a
//! click chooses or unchooses one; Shift+click gives every shown job between the last one chosen
//! and this one this one's new state; "Select all" chooses every shown job, or none when all
//! already are. A job that leaves the view (deleted) leaves the selection.

/// The selected jobs, in the order chosen, and the last one chosen (a range's start).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    chosen: Vec<String>,
    last: Option<String>,
}

/// What "Select all" shows for the jobs shown: none, some (mixed) or all of them chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllState {
    None,
    Some,
    All,
}

impl AllState {
    /// `aria-checked`'s value.
    pub fn aria(self) -> &'static str {
        match self {
            AllState::None => "false",
            AllState::Some => "mixed",
            AllState::All => "true",
        }
    }
}

impl Selection {
    pub fn contains(&self, job_id: &str) -> bool {
        self.chosen.iter().any(|id| id == job_id)
    }

    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty()
    }

    pub fn len(&self) -> usize {
        self.chosen.len()
    }

    /// The chosen jobs, in the order chosen.
    pub fn ids(&self) -> &[String] {
        &self.chosen
    }

    /// Chooses or unchooses `job_id`; with `range`, every job of `shown` between the last one
    /// chosen and this one takes this one's new state (no last one shown: just this one).
    pub fn toggle(&mut self, job_id: &str, shown: &[String], range: bool) {
        let selecting = !self.contains(job_id);
        let from = self
            .last
            .as_deref()
            .filter(|_| range)
            .and_then(|last| shown.iter().position(|id| id == last));
        let to = shown.iter().position(|id| id == job_id);
        let ids: Vec<String> = match (from, to) {
            (Some(from), Some(to)) => shown[from.min(to)..=from.max(to)].to_vec(),
            _ => vec![job_id.to_string()],
        };
        for id in ids {
            self.set(id, selecting);
        }
        self.last = Some(job_id.to_string());
    }

    /// "Select all": chooses every job of `shown`, or, when all are chosen, none of them.
    pub fn toggle_all(&mut self, shown: &[String]) {
        let selecting = self.all_state(shown) != AllState::All;
        for id in shown {
            self.set(id.clone(), selecting);
        }
    }

    /// How many of `shown` are chosen: none, some or all (none shown: none).
    pub fn all_state(&self, shown: &[String]) -> AllState {
        let chosen = shown.iter().filter(|id| self.contains(id)).count();
        match chosen {
            0 => AllState::None,
            n if n == shown.len() => AllState::All,
            _ => AllState::Some,
        }
    }

    /// Keeps only the jobs `known` still has (a deleted job leaves with its row).
    pub fn retain(&mut self, known: impl Fn(&str) -> bool) {
        self.chosen.retain(|id| known(id));
        if self.last.as_deref().is_some_and(|last| !known(last)) {
            self.last = None;
        }
    }

    pub fn remove(&mut self, job_id: &str) {
        self.retain(|id| id != job_id);
    }

    pub fn clear(&mut self) {
        *self = Selection::default();
    }

    fn set(&mut self, id: String, chosen: bool) {
        let at = self.chosen.iter().position(|kept| *kept == id);
        match (chosen, at) {
            (true, None) => self.chosen.push(id),
            (false, Some(at)) => {
                self.chosen.remove(at);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn a_click_toggles_one_and_shift_gives_the_range_its_new_state() {
        let shown = ids(&["a", "b", "c", "d", "e"]);
        let mut selection = Selection::default();
        selection.toggle("b", &shown, false);
        selection.toggle("d", &shown, true);
        assert_eq!(selection.ids(), ids(&["b", "c", "d"]));
        // Shift on a chosen one unchooses the range back to the last one chosen.
        selection.toggle("c", &shown, true);
        assert_eq!(selection.ids(), ids(&["b"]));
        // Without Shift, one job only; a range from a job no longer shown is just the job.
        selection.toggle("e", &shown, false);
        selection.toggle("a", &ids(&["a", "b"]), true);
        assert_eq!(selection.ids(), ids(&["b", "e", "a"]));
    }

    #[test]
    fn select_all_chooses_every_shown_job_then_none_and_says_mixed_between() {
        let shown = ids(&["a", "b", "c"]);
        let mut selection = Selection::default();
        assert_eq!(selection.all_state(&shown), AllState::None);
        selection.toggle("x", &ids(&["x"]), false);
        selection.toggle("b", &shown, false);
        assert_eq!(selection.all_state(&shown).aria(), "mixed");
        selection.toggle_all(&shown);
        assert_eq!(selection.all_state(&shown), AllState::All);
        assert_eq!(selection.len(), 4);
        // All chosen: "Select all" unchooses the shown ones only.
        selection.toggle_all(&shown);
        assert_eq!(selection.ids(), ids(&["x"]));
        assert_eq!(selection.all_state(&[]), AllState::None);
    }

    #[test]
    fn a_job_the_view_no_longer_knows_leaves_the_selection_and_the_range_start() {
        let shown = ids(&["a", "b", "c"]);
        let mut selection = Selection::default();
        selection.toggle_all(&shown);
        selection.toggle("c", &shown, false);
        selection.toggle("c", &shown, false);
        selection.remove("c");
        assert_eq!(selection.ids(), ids(&["a", "b"]));
        // The range start went with it: Shift+click is a single click again.
        selection.toggle("a", &shown, true);
        assert_eq!(selection.ids(), ids(&["b"]));
        selection.clear();
        assert!(selection.is_empty());
    }
}
