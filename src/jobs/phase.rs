//! A job's phase: the four active phases, the three terminal ones, and `Unknown` so that a phase
//! the backend adds later never breaks decoding (it gets no actions and a neutral badge).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Phase {
    Collection,
    FeatureExtraction,
    Matching,
    Evidence,
    Completed,
    Failed,
    Cancelled,
    /// A phase this build does not know, kept verbatim.
    Unknown(String),
}

/// How a phase is shown: the badge colour family. The grey `Cancelled` variant is PRD §6.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BadgeVariant {
    /// In progress: blue.
    Active,
    /// Green.
    Completed,
    /// Red.
    Failed,
    /// Grey.
    Cancelled,
    /// Neutral, for phases this build does not know.
    Unknown,
}

impl BadgeVariant {
    /// The CSS-safe name used for class names and `data-variant` attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            BadgeVariant::Active => "active",
            BadgeVariant::Completed => "completed",
            BadgeVariant::Failed => "failed",
            BadgeVariant::Cancelled => "cancelled",
            BadgeVariant::Unknown => "unknown",
        }
    }
}

impl Phase {
    /// Every phase the PRD names, in the order a job moves through them (terminal ones last).
    pub const KNOWN: [Phase; 7] = [
        Phase::Collection,
        Phase::FeatureExtraction,
        Phase::Matching,
        Phase::Evidence,
        Phase::Completed,
        Phase::Failed,
        Phase::Cancelled,
    ];

    /// Parses the wire name. Never fails: an unrecognised name becomes `Unknown`.
    pub fn parse(wire: &str) -> Phase {
        match wire {
            "collection" => Phase::Collection,
            "feature_extraction" => Phase::FeatureExtraction,
            "matching" => Phase::Matching,
            "evidence" => Phase::Evidence,
            "completed" => Phase::Completed,
            "failed" => Phase::Failed,
            "cancelled" => Phase::Cancelled,
            other => Phase::Unknown(other.to_string()),
        }
    }

    /// The name on the wire, as the API sends it.
    pub fn as_wire(&self) -> &str {
        match self {
            Phase::Collection => "collection",
            Phase::FeatureExtraction => "feature_extraction",
            Phase::Matching => "matching",
            Phase::Evidence => "evidence",
            Phase::Completed => "completed",
            Phase::Failed => "failed",
            Phase::Cancelled => "cancelled",
            Phase::Unknown(wire) => wire,
        }
    }

    /// Workers are still processing the job.
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            Phase::Collection | Phase::FeatureExtraction | Phase::Matching | Phase::Evidence
        )
    }

    /// The job will not change phase again by itself.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Phase::Completed | Phase::Failed | Phase::Cancelled)
    }

    /// The next phase a worker moves an active job to; `None` for terminal and unknown phases.
    pub fn next(&self) -> Option<Phase> {
        match self {
            Phase::Collection => Some(Phase::FeatureExtraction),
            Phase::FeatureExtraction => Some(Phase::Matching),
            Phase::Matching => Some(Phase::Evidence),
            Phase::Evidence => Some(Phase::Completed),
            _ => None,
        }
    }

    /// The human label shown in badges.
    pub fn label(&self) -> &str {
        match self {
            Phase::Collection => "Collection",
            Phase::FeatureExtraction => "Feature extraction",
            Phase::Matching => "Matching",
            Phase::Evidence => "Evidence",
            Phase::Completed => "Completed",
            Phase::Failed => "Failed",
            Phase::Cancelled => "Cancelled",
            Phase::Unknown(_) => "Unknown",
        }
    }

    pub fn badge_variant(&self) -> BadgeVariant {
        match self {
            Phase::Completed => BadgeVariant::Completed,
            Phase::Failed => BadgeVariant::Failed,
            Phase::Cancelled => BadgeVariant::Cancelled,
            Phase::Unknown(_) => BadgeVariant::Unknown,
            _ => BadgeVariant::Active,
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_wire())
    }
}

impl Serialize for Phase {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_wire())
    }
}

impl<'de> Deserialize<'de> for Phase {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Phase, D::Error> {
        let wire = String::deserialize(deserializer)?;
        Ok(Phase::parse(&wire))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(wire: &str, active: bool, terminal: bool, variant: BadgeVariant, label: &str) {
        let phase = Phase::parse(wire);
        assert_eq!(phase.as_wire(), wire, "wire name round-trips");
        assert_eq!(phase.is_active(), active, "is_active({wire})");
        assert_eq!(phase.is_terminal(), terminal, "is_terminal({wire})");
        assert_eq!(phase.badge_variant(), variant, "badge_variant({wire})");
        assert_eq!(phase.label(), label, "label({wire})");
    }

    #[test]
    fn every_phase_is_classified() {
        check(
            "collection",
            true,
            false,
            BadgeVariant::Active,
            "Collection",
        );
        check(
            "feature_extraction",
            true,
            false,
            BadgeVariant::Active,
            "Feature extraction",
        );
        check("matching", true, false, BadgeVariant::Active, "Matching");
        check("evidence", true, false, BadgeVariant::Active, "Evidence");
        check(
            "completed",
            false,
            true,
            BadgeVariant::Completed,
            "Completed",
        );
        check("failed", false, true, BadgeVariant::Failed, "Failed");
        check(
            "cancelled",
            false,
            true,
            BadgeVariant::Cancelled,
            "Cancelled",
        );
        check("archiving", false, false, BadgeVariant::Unknown, "Unknown");
        check("", false, false, BadgeVariant::Unknown, "Unknown");
        // Case matters on the wire: "Cancelled" is not a phase the API sends.
        check("Cancelled", false, false, BadgeVariant::Unknown, "Unknown");
    }

    #[test]
    fn known_list_matches_parse() {
        for phase in Phase::KNOWN {
            assert_eq!(Phase::parse(phase.as_wire()), phase);
            assert!(
                phase.is_active() != phase.is_terminal(),
                "{phase} is exactly one of both"
            );
        }
    }

    #[test]
    fn workers_advance_in_prd_order_and_stop_at_completed() {
        let mut phase = Phase::Collection;
        let mut seen = vec![phase.clone()];
        while let Some(next) = phase.next() {
            seen.push(next.clone());
            phase = next;
        }
        assert_eq!(seen, Phase::KNOWN[..5].to_vec());
        assert_eq!(Phase::Cancelled.next(), None);
        assert_eq!(Phase::Unknown("x".into()).next(), None);
    }

    #[test]
    fn serde_keeps_unknown_phases_verbatim() {
        let phase: Phase = serde_json::from_str("\"archiving\"").unwrap();
        assert_eq!(phase, Phase::Unknown("archiving".into()));
        assert_eq!(serde_json::to_string(&phase).unwrap(), "\"archiving\"");
        assert_eq!(
            serde_json::to_string(&Phase::FeatureExtraction).unwrap(),
            "\"feature_extraction\""
        );
    }
}
