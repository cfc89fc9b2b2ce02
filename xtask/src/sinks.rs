//! The HTML-string sink check (issue #10): fails when shipped code can turn a string into markup.
//! It reads the built packages' JavaScript (`dist/chrome`, `dist/firefox`, third-party snippets
//! included) and the Rust and JS sources of the crates that ship (`src/`, `background/`, `content/`, `popup/`).
//! Everything the extension shows is built with `textContent` / DOM nodes instead.

use crate::workspace::{files_with_extensions, root};
use crate::Result;
use std::path::Path;

/// The sinks, spelled in pieces so this file does not match itself.
pub fn sinks() -> [String; 5] {
    [
        ["inner", "HTML"].concat(),
        ["outer", "HTML"].concat(),
        ["insertAdjacent", "HTML"].concat(),
        ["document", ".write"].concat(),
        ["set_inner", "_html"].concat(),
    ]
}

/// `path:line: sink` for every use of a sink in `text`.
pub fn find_sinks(path: &Path, text: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for (number, line) in text.lines().enumerate() {
        for sink in sinks() {
            if line.contains(&sink) {
                hits.push(format!("{}:{}: {sink}", path.display(), number + 1));
            }
        }
    }
    hits
}

pub fn run() -> Result {
    let mut paths = Vec::new();
    for browser in ["chrome", "firefox"] {
        paths.extend(files_with_extensions(
            &crate::dist::dist_dir().join(browser),
            &["js", "html"],
        )?);
    }
    for source in ["src", "background", "content", "popup"] {
        paths.extend(files_with_extensions(
            &root().join(source),
            &["rs", "js", "html"],
        )?);
    }
    let mut hits = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        hits.extend(find_sinks(path, &text));
    }
    println!(
        "HTML-string sinks: {} files read, {} uses",
        paths.len(),
        hits.len()
    );
    if hits.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "HTML-string sinks in shipped code:\n{}",
            hits.join("\n")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sink_is_found_and_plain_text_is_not() {
        let text = [
            "a.textContent = x;",
            &format!("b.{} = y;", ["inner", "HTML"].concat()),
            &format!("c.{}('beforeend', z);", ["insertAdjacent", "HTML"].concat()),
            &format!("{}(s)", ["document", ".write"].concat()),
            &format!("el.{}(&s)", ["set_inner", "_html"].concat()),
            &format!("d.{}", ["outer", "HTML"].concat()),
        ]
        .join("\n");
        let hits = find_sinks(Path::new("f.js"), &text);
        assert_eq!(hits.len(), 5, "{hits:?}");
        assert!(hits[0].starts_with("f.js:2: "));
    }
}
