//! What the Participation Status lookup says of one clinician at one practice, in the words of the
//! QPP Participation Status Tool as the 2021 guide shows them ("MIPS Eligibility: INDIVIDUAL /
//! Opt-in Option: Opt-in eligible as individual"). The lines for other states
//! follow the same pattern; the guide shows only the opt-in eligible ones.

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
/// MIPS eligible (`isEligible`), opt-in eligible (`isOptInEligible`) and the decision
/// (`isOptedIn`: true = opted in, false = voluntary reporting, none = no decision).
pub fn level_status(level: Level, mips_eligible: bool, opt_in_eligible: bool, opted_in: Option<bool>) -> LevelStatus {
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
    let election = opt_in_eligible.then(|| match opted_in {
        Some(true) => "Election: Opted in (MIPS eligible via opt-in)".to_string(),
        Some(false) => "Election: Report Voluntarily".to_string(),
        None => "Election: No decision yet".to_string(),
    });
    LevelStatus { eligibility, opt_in, election }
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
        let s = level_status(Level::Individual, false, true, None);
        assert_eq!(s.eligibility, "MIPS Eligibility: INDIVIDUAL");
        assert_eq!(s.opt_in, "Opt-in Option: Opt-in eligible as individual");
        assert_eq!(s.election.as_deref(), Some("Election: No decision yet"));
        let g = level_status(Level::Group, false, true, Some(true));
        assert_eq!(
            (g.eligibility.as_str(), g.opt_in.as_str()),
            ("MIPS Eligibility: GROUP", "Opt-in Option: Opt-in eligible as group")
        );
        assert_eq!(g.election.as_deref(), Some("Election: Opted in (MIPS eligible via opt-in)"));
        assert_eq!(
            level_status(Level::Group, false, true, Some(false)).election.as_deref(),
            Some("Election: Report Voluntarily")
        );
    }

    #[test]
    fn mips_eligible_and_exempt_levels_have_no_election() {
        let m = level_status(Level::Group, true, false, None);
        assert_eq!(m.eligibility, "MIPS Eligibility: GROUP");
        assert!(m.opt_in.starts_with("Opt-in Option: Not applicable") && m.election.is_none());
        let e = level_status(Level::Individual, false, false, None);
        assert!(e.eligibility.contains("Not eligible as an individual") && e.election.is_none());
        assert_eq!(e.opt_in, "Opt-in Option: Not opt-in eligible");
    }
}
