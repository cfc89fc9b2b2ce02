//! CSS selectors built from data (job ids, action names): values are escaped so that no id can
//! break out of its attribute selector. Shared by the content script and the popup.

/// `[name="value"]` with the value escaped.
pub fn attribute_selector(name: &str, value: &str) -> String {
    let mut selector = format!("[{name}=\"");
    for c in value.chars() {
        match c {
            '"' | '\\' => {
                selector.push('\\');
                selector.push(c);
            }
            // Control characters cannot appear escaped-as-is in a CSS string: use a code point.
            c if c.is_control() => selector.push_str(&format!("\\{:x} ", c as u32)),
            c => selector.push(c),
        }
    }
    selector.push_str("\"]");
    selector
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_leave_their_attribute_selector() {
        assert_eq!(
            attribute_selector("data-job-id", "a/b"),
            r#"[data-job-id="a/b"]"#
        );
        assert_eq!(
            attribute_selector("data-job-id", r#"x"] , body [a="\"#),
            r#"[data-job-id="x\"] , body [a=\"\\"]"#
        );
        assert_eq!(attribute_selector("k", "a\nb"), "[k=\"a\\a b\"]");
        assert_eq!(attribute_selector("k", "ünï 💥"), "[k=\"ünï 💥\"]");
    }
}
