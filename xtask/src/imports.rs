//! `cargo xtask test`'s check that no module imports one that imports it back (issue #21): in each
//! crate of the workspace, the modules and the `crate::`, `super::` and `self::` paths between
//! them form a graph with no circle, so a reader can tell which room they are in and what it may
//! touch. A circle fails the test with its modules and the imports that close it.
//!
//! Read from the sources as text, which is enough for this code base's style: `use` lines and
//! paths written out in expressions (`crate::dom::document()`). Test modules (`#[cfg(test)] mod
//! tests`) are left out: a test may reach anything. A module's `mod child;` lines are not imports;
//! a path through a child (`child::X`) is. The crate root (`lib.rs`, `main.rs`) is the wiring —
//! it declares the modules, holds the crate-wide types (`Result`, `AppState`) and calls the
//! entry points — and is left out too: every module may use it, and it may use every module.

use crate::workspace::{files_with_extensions, root};
use crate::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The crates checked, by their source folder.
const CRATES: [&str; 6] = [
    "src",
    "content/src",
    "popup/src",
    "background/src",
    "emulator/src",
    "xtask/src",
];

/// A crate's modules (`a::b`; the crate root is ``) and, for each, the modules it imports.
type Graph = BTreeMap<String, BTreeSet<String>>;

pub fn check() -> Result {
    let mut circles = Vec::new();
    for dir in CRATES {
        let graph = graph_of(&root().join(dir))?;
        println!("{dir}: {} modules, no import circle expected", graph.len());
        for circle in circles_in(&graph) {
            let edges: Vec<String> = circle
                .iter()
                .flat_map(|from| {
                    graph[from]
                        .iter()
                        .filter(|to| circle.contains(*to))
                        .map(move |to| format!("{from} → {to}"))
                })
                .collect();
            circles.push(format!(
                "{dir}: {} modules import each other: {}",
                circle.len(),
                edges.join(", ")
            ));
        }
    }
    if circles.is_empty() {
        Ok(())
    } else {
        Err(format!("import circles:\n  {}", circles.join("\n  ")))
    }
}

/// The modules under `src` (one per file; `mod.rs`, `lib.rs`, `main.rs` name their folder;
/// programs under `bin/` are roots of their own and left out) and their imports.
fn graph_of(src: &Path) -> Result<Graph> {
    let files = files_with_extensions(src, &["rs"])?;
    let mut modules = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(src).map_err(|e| e.to_string())?;
        let mut parts: Vec<String> = relative
            .with_extension("")
            .iter()
            .map(|part| part.to_string_lossy().into_owned())
            .collect();
        if parts.first().is_some_and(|first| first == "bin") {
            continue;
        }
        if parts
            .last()
            .is_some_and(|last| ["mod", "lib", "main"].contains(&last.as_str()))
        {
            parts.pop();
        }
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        modules.insert(parts.join("::"), text);
    }
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    Ok(modules
        .iter()
        .filter(|(name, _)| !name.is_empty())
        .map(|(name, text)| (name.clone(), imports(name, text, &known)))
        .collect())
}

/// The modules `module` (whose source is `text`) imports, among `known`.
fn imports(module: &str, text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let code = without_tests_and_comments(text);
    let parent: Vec<&str> = module.split("::").filter(|p| !p.is_empty()).collect();
    let here: Vec<&str> = parent.clone();
    let parent = &parent[..parent.len().saturating_sub(1)];
    let children: BTreeSet<&str> = known
        .iter()
        .filter_map(|other| {
            let rest = if module.is_empty() {
                Some(other.as_str())
            } else {
                other.strip_prefix(module)?.strip_prefix("::")
            };
            rest.filter(|rest| !rest.is_empty() && !rest.contains("::"))
        })
        .collect();
    let mut found = BTreeSet::new();
    for path in paths(&code) {
        let mut segments: Vec<&str> = path.split("::").collect();
        let base: Vec<&str> = match segments.first().copied() {
            Some("crate") => {
                segments.remove(0);
                Vec::new()
            }
            Some("super") => {
                segments.remove(0);
                parent.to_vec()
            }
            Some("self") => {
                segments.remove(0);
                here.clone()
            }
            Some(first) if children.contains(first) => here.clone(),
            _ => continue,
        };
        let full: Vec<&str> = base.into_iter().chain(segments).collect();
        // The longest known module the path goes through.
        let target = (0..=full.len())
            .rev()
            .map(|n| full[..n].join("::"))
            .find(|candidate| known.contains(candidate));
        if let Some(target) = target {
            if target != module && !target.is_empty() {
                found.insert(target);
            }
        }
    }
    found
}

/// The code without `#[cfg(test)]` modules and comments.
fn without_tests_and_comments(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod ") && next.contains('{'))
        {
            // Skip to the end of the module: the first line that closes it at its own indent.
            let indent = line.len() - trimmed.len();
            lines.next();
            for inner in lines.by_ref() {
                if inner.len() > indent
                    && inner[..indent].trim().is_empty()
                    && inner[indent..].starts_with('}')
                {
                    break;
                }
            }
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every path written in `code` that may name a module: `a::b::c`, with `use x::{a, b::c}`
/// groups expanded (`x::a`, `x::b::c`).
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let starts_word = at == 0
            || !(bytes[at - 1].is_ascii_alphanumeric()
                || bytes[at - 1] == b'_'
                || bytes[at - 1] == b':');
        if starts_word && (bytes[at].is_ascii_alphabetic() || bytes[at] == b'_') {
            let (path, end) = read_path(code, at);
            if path.contains("::") || code[end..].starts_with("::{") {
                if code[end..].starts_with("::{") {
                    for item in group_items(code, end + 2) {
                        out.push(format!("{path}::{item}"));
                    }
                } else {
                    out.push(path);
                }
            }
            at = end.max(at + 1);
        } else {
            at += 1;
        }
    }
    out
}

/// The path of identifiers joined by `::` that starts at `at`, and where it ends.
fn read_path(code: &str, at: usize) -> (String, usize) {
    let bytes = code.as_bytes();
    let mut end = at;
    loop {
        let start = end;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        if end == start {
            break;
        }
        let next = &code[end..];
        let after = next.strip_prefix("::");
        match after.and_then(|rest| rest.bytes().next()) {
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => end += 2,
            _ => break,
        }
    }
    (code[at..end].to_string(), end)
}

/// The items of the `{ … }` group that opens at `open` (nested groups expanded).
fn group_items(code: &str, open: usize) -> Vec<String> {
    let mut depth = 0;
    let mut close = open;
    for (offset, ch) in code[open..].char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = open + offset;
                    break;
                }
            }
            _ => {}
        }
    }
    let body = &code[open + 1..close];
    let mut items = Vec::new();
    let mut current = String::new();
    let mut level = 0;
    for ch in body.chars() {
        match ch {
            '{' => level += 1,
            '}' => level -= 1,
            ',' if level == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(ch);
    }
    items.push(current);
    let mut out = Vec::new();
    for item in items {
        let item = item.trim();
        if let Some(brace) = item.find("::{") {
            let inner = &item[..brace];
            for nested in group_items(item, brace + 2) {
                out.push(format!("{inner}::{nested}"));
            }
        } else if let Some(name) = item.split_whitespace().next() {
            if name != "self" && !name.is_empty() {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// The groups of two or more modules that import each other (strongly connected components).
fn circles_in(graph: &Graph) -> Vec<Vec<String>> {
    struct Search<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Search<'a> {
        fn visit(&mut self, module: &'a str) {
            let n = self.index.len();
            self.index.insert(module, n);
            self.low.insert(module, n);
            self.stack.push(module);
            self.on_stack.insert(module);
            for next in self.graph.get(module).into_iter().flatten() {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[module].min(self.low[next]);
                    self.low.insert(module, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[module].min(self.index[next]);
                    self.low.insert(module, low);
                }
            }
            if self.low[module] == self.index[module] {
                let mut group = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    group.push(top.to_string());
                    if top == module {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut search = Search {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for module in graph.keys() {
        if !search.index.contains_key(module.as_str()) {
            search.visit(module);
        }
    }
    search.found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(modules: &[(&str, &str)]) -> Graph {
        let known: BTreeSet<String> = modules.iter().map(|(name, _)| name.to_string()).collect();
        modules
            .iter()
            .map(|(name, text)| (name.to_string(), imports(name, text, &known)))
            .collect()
    }

    #[test]
    fn finds_the_imports_a_module_writes() {
        let g = graph(&[
            ("", "mod a; mod b; mod c;\nfn main() { a::run(); }"),
            (
                "a",
                "use crate::{b::{self, Thing}, c};\nfn f() { crate::c::go(); }",
            ),
            ("b", "// crate::a::nothing, a comment\nuse std::fmt;"),
            ("c", "use super::b::Thing;"),
        ]);
        assert_eq!(g[""], ["a".to_string()].into());
        assert_eq!(g["a"], ["b".to_string(), "c".to_string()].into());
        let root_user = imports(
            "b",
            "use crate::Result;",
            &["".to_string(), "b".to_string()].into(),
        );
        assert!(root_user.is_empty(), "the crate root is not an edge");
        assert!(g["b"].is_empty(), "a comment is not an import");
        assert_eq!(g["c"], ["b".to_string()].into());
        assert!(circles_in(&g).is_empty());
    }

    #[test]
    fn a_module_that_imports_one_that_imports_it_back_is_a_circle() {
        let g = graph(&[
            ("dom", "use crate::features::FEATURES;"),
            ("features", "pub mod badge;\nuse crate::overlay::Overlay;"),
            ("features::badge", "use super::Feature;"),
            ("overlay", "fn f() { crate::dom::document(); }"),
            ("log", ""),
        ]);
        assert_eq!(
            circles_in(&g),
            [vec![
                "dom".to_string(),
                "features".to_string(),
                "overlay".to_string()
            ]]
        );
    }

    #[test]
    fn test_modules_may_reach_anything() {
        let g = graph(&[
            (
                "a",
                "fn f() {}\n\n#[cfg(test)]\nmod tests {\n    use crate::b::helper;\n}\n",
            ),
            ("b", "use crate::a::f;"),
        ]);
        assert!(g["a"].is_empty());
        assert!(circles_in(&g).is_empty());
    }
}
