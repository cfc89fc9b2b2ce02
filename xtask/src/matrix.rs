//! The summary table of issue #10, from `tests/test-results/matrix.json` (written by
//! `tests/matrix-reporter.ts`): failure-matrix scenarios tried and passed, and the figures that
//! must be 0 — destructive requests sent twice, reasons lost, script executions from hostile
//! input, axe violations — and the attacks from a hostile page tried, all of which must have been
//! refused (issue #20).

use crate::workspace::root;
use crate::Result;
use serde_json::Value;

const MUST_BE_ZERO: [(&str, &str); 4] = [
    ("destructive_sent_twice", "destructive requests sent twice"),
    ("reasons_lost", "typed reasons lost"),
    ("script_executions", "script executions from hostile input"),
    ("axe_violations", "axe violations (WCAG 2.1 A/AA)"),
];

/// The table, and what is wrong with the figures (empty when all is well).
pub fn table(figures: &Value) -> (String, Vec<String>) {
    let number = |name: &str| figures.get(name).and_then(Value::as_u64);
    let mut problems = Vec::new();
    let mut rows = vec![
        "| failure matrix | figure | must be |".to_string(),
        "|---|---:|---:|".to_string(),
    ];
    let tried = number("scenarios_tried").unwrap_or(0);
    let passed = number("scenarios_passed").unwrap_or(0);
    rows.push(format!(
        "| scenarios tried / passed | {tried} / {passed} | all |"
    ));
    if tried == 0 {
        problems.push("no failure-matrix scenario ran".to_string());
    } else if passed != tried {
        problems.push(format!("{} of {tried} scenarios failed", tried - passed));
    }
    let attacks = number("attacks_tried").unwrap_or(0);
    let refused = number("attacks_refused").unwrap_or(0);
    rows.push(format!(
        "| attacks from the page tried / refused | {attacks} / {refused} | all |"
    ));
    if attacks == 0 {
        problems.push("no attack from a hostile page was tried".to_string());
    } else if refused != attacks {
        problems.push(format!(
            "{} of {attacks} attacks from the page were not refused",
            attacks - refused
        ));
    }
    for (name, label) in MUST_BE_ZERO {
        match number(name) {
            Some(value) => {
                rows.push(format!("| {label} | {value} | 0 |"));
                if value != 0 {
                    problems.push(format!("{label}: {value}"));
                }
            }
            None => problems.push(format!("{label}: not reported")),
        }
    }
    (rows.join("\n"), problems)
}

pub fn report() -> Result {
    let path = root().join("tests/test-results/matrix.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let figures: Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    let (table, problems) = table(&figures);
    println!("\n{table}\n");
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("failure matrix: {}", problems.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_clean_run_passes_and_any_non_zero_figure_fails() {
        let clean = json!({ "scenarios_tried": 12, "scenarios_passed": 12, "destructive_sent_twice": 0,
            "reasons_lost": 0, "script_executions": 0, "axe_violations": 0,
            "attacks_tried": 9, "attacks_refused": 9 });
        let (table, problems) = table(&clean);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(table.contains("| scenarios tried / passed | 12 / 12 | all |"));
        assert!(table.contains("| attacks from the page tried / refused | 9 / 9 | all |"));
        let mut dirty = clean.clone();
        dirty["destructive_sent_twice"] = json!(1);
        dirty["scenarios_passed"] = json!(11);
        dirty["attacks_refused"] = json!(8);
        assert_eq!(
            table_problems(&dirty),
            [
                "1 of 12 scenarios failed",
                "1 of 9 attacks from the page were not refused",
                "destructive requests sent twice: 1"
            ]
        );
        assert_eq!(
            table_problems(&json!({})),
            [
                "no failure-matrix scenario ran",
                "no attack from a hostile page was tried",
                "destructive requests sent twice: not reported",
                "typed reasons lost: not reported",
                "script executions from hostile input: not reported",
                "axe violations (WCAG 2.1 A/AA): not reported"
            ]
        );
    }

    fn table_problems(figures: &Value) -> Vec<String> {
        table(figures).1
    }
}
