//! A map kept as a vector sorted by key: lookups by binary search, no hashing, no tree. A view
//! knows at most a few thousand jobs and the background a few hundred tabs, where this is as quick
//! as a hash table or a B-tree in practice — and their code, a copy per value type, was the largest
//! piece of std in the wasm: about 10 KB for a hash table in the content script, 20 KB for the
//! background's two B-trees (subscribers, tab scopes), before gzip.

use std::borrow::Borrow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    /// Sorted by key, each key once.
    entries: Vec<(K, V)>,
}

/// Keyed by id: a job id, an API base.
pub type IdMap<V> = SortedMap<String, V>;

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Where `key` is, or where it would go.
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(key, value)| (key, value))
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, value)| value)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, value)| value)
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| &self.entries[at].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| &mut self.entries[at].1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets `key`'s value; returns the one it replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| self.entries.remove(at).1)
    }

    /// `key`'s value, made first from `make` when there is none.
    pub fn get_or_insert_with<Q: Ord + ToOwned<Owned = K> + ?Sized>(
        &mut self,
        key: &Q,
        make: impl FnOnce() -> V,
    ) -> &mut V
    where
        K: Borrow<Q>,
    {
        let at = match self.find(key) {
            Ok(at) => at,
            Err(at) => {
                self.entries.insert(at, (key.to_owned(), make()));
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
            assert_eq!(map.get(*id), Some(&n), "{id}");
        }
        assert_eq!(map.get("r"), None);
        assert_eq!(map.insert("a".into(), 100), Some(1));
        assert_eq!(
            map.entries.len(),
            ids.len(),
            "a replaced value is not a new entry"
        );
        let keys: Vec<&str> = map.iter().map(|(key, _)| key.as_str()).collect();
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

    #[test]
    fn numbered_keys_work_the_same() {
        let mut map: SortedMap<u32, &str> = SortedMap::new();
        for (key, value) in [(9, "nine"), (1, "one"), (5, "five")] {
            map.insert(key, value);
        }
        assert_eq!(map.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [1, 5, 9]);
        assert_eq!(map.remove(&5), Some("five"));
        assert_eq!(map.values().copied().collect::<Vec<_>>(), ["one", "nine"]);
        for value in map.values_mut() {
            *value = "x";
        }
        assert_eq!(map.get(&9), Some(&"x"));
    }
}
