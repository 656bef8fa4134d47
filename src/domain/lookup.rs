//! What the Participation Status lookup says of one clinician at one practice, in the words of the
//! QPP Participation Status Tool as the 2021 guide shows them ("MIPS Eligibility: INDIVIDUAL /
//! Opt-in Option: Opt-in eligible as individual"). The lines for other states
//! follow the same pattern; the guide shows only the opt-in eligible ones.

use super::determination::Exclusion;

/// The level a status is about: the clinician at a practice (TIN/NPI) or the practice (TIN).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Individual,
    Group,
}

impl Level {
    fn word(self) -> &'static str {
        match self {
            Level::Individual => "individual",
            Level::Group => "group",
        }
    }
}

/// The lines the lookup shows for one level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelStatus {
    pub eligibility: String,
    pub opt_in: String,
    /// The election, for a level that can make one.
    pub election: Option<String>,
}

/// The Participation Status lines of one level, from the Eligibility API's values for it:
/// MIPS eligible (`isEligible`), opt-in eligible (`isOptInEligible`), the clinician's exclusion
/// (which wins: an excluded clinician is never shown as eligible or opt-in eligible) and the
/// decision (`isOptedIn`: true = opted in, false = voluntary reporting, none = no decision). A
/// decision is shown wherever one was made: it is final, even if a later data run changed the
/// determination.
pub fn level_status(
    level: Level, mips_eligible: bool, opt_in_eligible: bool, exclusion: Option<Exclusion>, opted_in: Option<bool>,
) -> LevelStatus {
    if let Some(e) = exclusion.filter(|_| level == Level::Individual) {
        return LevelStatus {
            eligibility: format!("MIPS Eligibility: Excluded from MIPS ({})", e.label()),
            opt_in: "Opt-in Option: Not opt-in eligible (excluded from MIPS; may report voluntarily)".to_string(),
            election: opted_in.map(election_line),
        };
    }
    let w = level.word();
    let upper = w.to_uppercase();
    let eligibility = if mips_eligible || opt_in_eligible {
        format!("MIPS Eligibility: {upper}")
    } else {
        format!("MIPS Eligibility: Not eligible as {} {w} (exempt; may report voluntarily)", article(level))
    };
    let opt_in = if opt_in_eligible {
        format!("Opt-in Option: Opt-in eligible as {w}")
    } else if mips_eligible {
        "Opt-in Option: Not applicable (MIPS eligible: exceeds all 3 low-volume threshold criteria)".to_string()
    } else {
        "Opt-in Option: Not opt-in eligible".to_string()
    };
    let election = match opted_in {
        Some(d) => Some(election_line(d)),
        None => opt_in_eligible.then(|| "Election: No decision yet".to_string()),
    };
    LevelStatus { eligibility, opt_in, election }
}

fn election_line(opted_in: bool) -> String {
    if opted_in {
        "Election: Opted in (MIPS eligible via opt-in)".to_string()
    } else {
        "Election: Report Voluntarily".to_string()
    }
}

fn article(level: Level) -> &'static str {
    match level {
        Level::Individual => "an",
        Level::Group => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opt_in_eligible_reads_as_the_guide_shows_it() {
        let s = level_status(Level::Individual, false, true, None, None);
        assert_eq!(s.eligibility, "MIPS Eligibility: INDIVIDUAL");
        assert_eq!(s.opt_in, "Opt-in Option: Opt-in eligible as individual");
        assert_eq!(s.election.as_deref(), Some("Election: No decision yet"));
        let g = level_status(Level::Group, false, true, None, Some(true));
        assert_eq!(
            (g.eligibility.as_str(), g.opt_in.as_str()),
            ("MIPS Eligibility: GROUP", "Opt-in Option: Opt-in eligible as group")
        );
        assert_eq!(g.election.as_deref(), Some("Election: Opted in (MIPS eligible via opt-in)"));
        assert_eq!(
            level_status(Level::Group, false, true, None, Some(false)).election.as_deref(),
            Some("Election: Report Voluntarily")
        );
    }

    #[test]
    fn mips_eligible_and_exempt_levels_have_no_election() {
        let m = level_status(Level::Group, true, false, None, None);
        assert_eq!(m.eligibility, "MIPS Eligibility: GROUP");
        assert!(m.opt_in.starts_with("Opt-in Option: Not applicable") && m.election.is_none());
        let e = level_status(Level::Individual, false, false, None, None);
        assert!(e.eligibility.contains("Not eligible as an individual") && e.election.is_none());
        assert_eq!(e.opt_in, "Opt-in Option: Not opt-in eligible");
    }

    #[test]
    fn an_exclusion_wins_and_a_standing_election_is_always_shown() {
        // CMS's flag says opt-in eligible, but the clinician is a QP: excluded, never offered.
        let qp = level_status(Level::Individual, false, true, Some(Exclusion::QualifyingApmParticipant), None);
        assert_eq!(qp.eligibility, "MIPS Eligibility: Excluded from MIPS (Qualifying APM Participant)");
        assert!(qp.opt_in.starts_with("Opt-in Option: Not opt-in eligible") && qp.election.is_none());
        // The group level isn't the clinician's exclusion.
        let g = level_status(Level::Group, false, true, Some(Exclusion::NewlyEnrolled), None);
        assert_eq!(g.opt_in, "Opt-in Option: Opt-in eligible as group");
        // A later run no longer calls it opt-in eligible; its election still stands.
        let later = level_status(Level::Individual, false, false, None, Some(true));
        assert_eq!(later.election.as_deref(), Some("Election: Opted in (MIPS eligible via opt-in)"));
    }
}
