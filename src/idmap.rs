//! A map keyed by id (a job id, an API base), kept as a vector sorted by key: lookups by binary
//! search, no hashing. A view knows at most a few thousand jobs, where this is as quick as a
//! hash table in practice, and a hash table's code — a copy per value type — was the largest
//! piece of std in the content script's wasm (about 10 KB of it, before gzip).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdMap<V> {
    /// Sorted by key, each key once.
    entries: Vec<(String, V)>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap {
            entries: Vec::new(),
        }
    }
}

impl<V> IdMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Where `id` is, or where it would go.
    fn find(&self, id: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|(key, _)| key.as_str().cmp(id))
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.entries
            .iter()
            .map(|(key, value)| (key.as_str(), value))
    }

    pub fn get(&self, id: &str) -> Option<&V> {
        self.find(id).ok().map(|at| &self.entries[at].1)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut V> {
        self.find(id).ok().map(|at| &mut self.entries[at].1)
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.find(id).is_ok()
    }

    /// Sets `id`'s value; returns the one it replaced.
    pub fn insert(&mut self, id: String, value: V) -> Option<V> {
        match self.find(&id) {
            Ok(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            Err(at) => {
                self.entries.insert(at, (id, value));
                None
            }
        }
    }

    pub fn remove(&mut self, id: &str) -> Option<V> {
        self.find(id).ok().map(|at| self.entries.remove(at).1)
    }

    /// `id`'s value, made first from `make` when there is none.
    pub fn get_or_insert_with(&mut self, id: &str, make: impl FnOnce() -> V) -> &mut V {
        let at = match self.find(id) {
            Ok(at) => at,
            Err(at) => {
                self.entries.insert(at, (id.to_string(), make()));
                at
            }
        };
        &mut self.entries[at].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_a_map_in_any_insertion_order() {
        let mut map = IdMap::new();
        let ids = ["r/9", "a", "r/10", "", "z", "r/1", "é"];
        for (n, id) in ids.iter().enumerate() {
            assert_eq!(map.insert(id.to_string(), n), None);
        }
        assert_eq!(map.entries.len(), ids.len());
        for (n, id) in ids.iter().enumerate() {
            assert_eq!(map.get(id), Some(&n), "{id}");
        }
        assert_eq!(map.get("r"), None);
        assert_eq!(map.insert("a".into(), 100), Some(1));
        assert_eq!(
            map.entries.len(),
            ids.len(),
            "a replaced value is not a new entry"
        );
        let keys: Vec<&str> = map.iter().map(|(key, _)| key).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted);
        assert_eq!(map.remove("r/10"), Some(2));
        assert_eq!(map.remove("r/10"), None);
        assert!(!map.contains_key("r/10"));
        assert!(map.contains_key(""));
    }

    #[test]
    fn get_or_insert_with_makes_a_value_once() {
        let mut map: IdMap<Vec<u8>> = IdMap::new();
        map.get_or_insert_with("j", Vec::new).push(1);
        map.get_or_insert_with("j", || panic!("already there"))
            .push(2);
        assert_eq!(map.get("j"), Some(&vec![1, 2]));
        *map.get_mut("j").unwrap() = vec![];
        assert_eq!(map.remove("j"), Some(vec![]));
        assert!(map.entries.is_empty());
    }
}
