//! The performance year: the calendar year whose care is measured and for which an election is
//! made.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Opt-in elections exist from the 2019 performance year (42 CFR 414.1310(b)(1)(iii): "beginning
/// with the 2021 MIPS payment year", which is performance year 2019).
pub const FIRST_OPT_IN_YEAR: u16 = 2019;

/// The first performance year of the APM Performance Pathway (the 2021 guide introduces it;
/// CMS's Submissions API change log for PY2021, and the program names of the measures data).
pub const FIRST_APP_YEAR: u16 = 2021;

/// Said wherever voluntary reporting is explained, in the years the APP exists (2021 guide).
pub const NO_VOLUNTARY_APP: &str = " Voluntary reporting through the APM Performance Pathway (APP) isn't permitted.";
const LAST_SUPPORTED_YEAR: u16 = 2099;

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), schema(value_type = u16, example = 2025))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct PerformanceYear(u16);

impl PerformanceYear {
    /// Whether the APM Performance Pathway exists in this year (from 2021).
    pub fn has_app(self) -> bool {
        self.get() >= FIRST_APP_YEAR
    }

    /// The APP sentence of voluntary reporting, or nothing before the APP existed.
    pub fn no_voluntary_app(self) -> &'static str {
        if self.has_app() {
            NO_VOLUNTARY_APP
        } else {
            ""
        }
    }

    pub fn new(year: u16) -> Result<PerformanceYear, String> {
        if year < FIRST_OPT_IN_YEAR {
            Err(format!(
                "Performance year {year} has no opt-in elections: they began with performance year {FIRST_OPT_IN_YEAR}."
            ))
        } else if year > LAST_SUPPORTED_YEAR {
            Err(format!("Performance year {year} is not a valid year."))
        } else {
            Ok(PerformanceYear(year))
        }
    }
    pub fn parse(input: &str) -> Result<PerformanceYear, String> {
        let s = input.trim();
        match s.parse::<u16>() {
            Ok(y) if s.len() == 4 => PerformanceYear::new(y),
            _ => Err(format!("\"{s}\" is not a performance year such as 2025.")),
        }
    }
    pub fn get(self) -> u16 {
        self.0
    }
    /// The MIPS payment year is two years after the performance year.
    pub fn payment_year(self) -> u16 {
        self.0 + 2
    }
}

impl PerformanceYear {
    /// The two 12-month segments of the MIPS determination period, as (start, end) ISO dates:
    /// October 1 two years before to September 30 of the year before, and October 1 of the year
    /// before to September 30 of the performance year (the MIPS determination period, 42 CFR 414.1305).
    pub fn determination_segments(self) -> [(String, String); 2] {
        let y = self.0;
        [(format!("{}-10-01", y - 2), format!("{}-09-30", y - 1)), (format!("{}-10-01", y - 1), format!("{y}-09-30"))]
    }
}

impl TryFrom<u16> for PerformanceYear {
    type Error = String;
    fn try_from(y: u16) -> Result<Self, String> {
        PerformanceYear::new(y)
    }
}
impl From<PerformanceYear> for u16 {
    fn from(y: PerformanceYear) -> u16 {
        y.0
    }
}
impl fmt::Display for PerformanceYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_range_and_parse() {
        assert!(PerformanceYear::new(2018).unwrap_err().contains("began with performance year 2019"));
        assert_eq!(PerformanceYear::new(2019).unwrap().get(), 2019);
        assert_eq!(PerformanceYear::parse(" 2021 ").unwrap().payment_year(), 2023);
        assert!(PerformanceYear::parse("21").is_err());
        assert!(PerformanceYear::parse("2021a").is_err());
        assert!(serde_json::from_str::<PerformanceYear>("2017").is_err());
    }

    #[test]
    fn determination_segments_follow_the_year() {
        let s = PerformanceYear::new(2021).unwrap().determination_segments();
        assert_eq!(s[0], ("2019-10-01".to_string(), "2020-09-30".to_string()));
        assert_eq!(s[1], ("2020-10-01".to_string(), "2021-09-30".to_string()));
    }
}
