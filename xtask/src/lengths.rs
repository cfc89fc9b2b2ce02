//! `cargo xtask test`'s check that no module of the extension is longer than a reader can hold
//! (issue #21): in the crates that ship, no file has more than `MAX_LINES` lines before its test
//! module (`#[cfg(test)]`). A file of tests alone (`*_tests.rs`, loaded by `#[path]`) is not
//! counted. The emulator and xtask are tools, not the product, and are left out.

use crate::workspace::{files_with_extensions, root};
use crate::Result;

/// The crates checked, by their source folder: the shared crate and the three that ship.
const CRATES: [&str; 4] = ["src", "content/src", "popup/src", "background/src"];

/// Lines of code and comments before the tests.
pub const MAX_LINES: usize = 400;

pub fn check() -> Result {
    let mut long = Vec::new();
    let mut files_checked = 0;
    for dir in CRATES {
        for file in files_with_extensions(&root().join(dir), &["rs"])? {
            if file.to_string_lossy().ends_with("_tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            files_checked += 1;
            let lines = lines_before_tests(&text);
            if lines > MAX_LINES {
                let relative = file.strip_prefix(root()).unwrap_or(&file);
                long.push(format!("{}: {lines} lines", relative.display()));
            }
        }
    }
    println!("{files_checked} modules, none over {MAX_LINES} lines before its tests expected");
    if long.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "modules over {MAX_LINES} lines (split them by concern):\n  {}",
            long.join("\n  ")
        ))
    }
}

/// The lines before the first `#[cfg(test)]` line, or all of them.
fn lines_before_tests(text: &str) -> usize {
    text.lines()
        .take_while(|line| line.trim() != "#[cfg(test)]")
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_lines_before_the_tests_count() {
        assert_eq!(lines_before_tests("a\nb\n#[cfg(test)]\nmod tests {}\n"), 2);
        assert_eq!(lines_before_tests("a\n  #[cfg(test)]\n"), 1);
        assert_eq!(lines_before_tests("a\nb\nc"), 3);
    }
}
