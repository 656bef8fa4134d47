//! Election windows: when, per performance year, an opt-in eligible entity can elect.
//!
//! Elections are made during the data-submission period that follows the performance year and
//! close at 8:00 p.m. Eastern on the published election deadline, which can come before an
//! extended data-submission close (PY2024). The official dates are in `official_windows`, each
//! with its source.

use super::time::Timestamp;
use super::year::PerformanceYear;
use serde::{Deserialize, Serialize};

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WindowSource {
    /// Dates an election guide states (the 2019 and 2021 election guides).
    Official,
    /// Dates reported by CMS announcements or secondary sources but not stated in an election
    /// guide: shown, and labelled as not confirmed.
    Unconfirmed,
    /// Dates expected from the usual pattern but not yet confirmed in a CMS source.
    Expected,
    /// A window made up for the demo data so that a new user can elect today.
    Demo,
}

impl WindowSource {
    /// How the dates are labelled where they are shown (with the window's note, which says what
    /// the source states and what is assumed); the demo window has its own flag.
    pub fn evidence_label(self) -> &'static str {
        match self {
            WindowSource::Official => "Official: dates from CMS's election guide.",
            other => other.caveat().unwrap_or_default(),
        }
    }

    /// How sure the dates are, in words shown next to them; `None` for a guide's own dates.
    pub fn caveat(self) -> Option<&'static str> {
        match self {
            WindowSource::Official => None,
            WindowSource::Unconfirmed => Some("Not confirmed: these dates are not stated in a CMS election guide."),
            WindowSource::Expected => Some("Not confirmed: expected dates, following the usual pattern."),
            WindowSource::Demo => Some("Demo: a window made up so that the demo can be used today."),
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElectionWindow {
    pub performance_year: PerformanceYear,
    pub opens_at: Timestamp,
    pub election_closes_at: Timestamp,
    pub submission_closes_at: Timestamp,
    pub source: WindowSource,
    /// Where the dates come from, or what is special about them.
    pub note: String,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WindowPhase {
    NotYetOpen,
    Open,
    Closed,
}

/// Data for the year can't be submitted now (before the window opens or after submission closes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmissionClosed {
    pub window: ElectionWindow,
}

impl SubmissionClosed {
    pub const CODE: &'static str = "SubmissionWindowClosed";

    pub fn reason(&self) -> String {
        let w = &self.window;
        format!(
            "{} data can be submitted only from {} to {}.",
            w.performance_year,
            w.opens_at.format_eastern(),
            w.submission_closes_at.format_eastern()
        )
    }
}

impl ElectionWindow {
    /// Open from `opens_at` (inclusive) until `election_closes_at` (exclusive): at 8:00:00 p.m.
    /// ET on the deadline the window has closed.
    pub fn phase(&self, now: Timestamp) -> WindowPhase {
        if now < self.opens_at {
            WindowPhase::NotYetOpen
        } else if now < self.election_closes_at {
            WindowPhase::Open
        } else {
            WindowPhase::Closed
        }
    }

    /// Data for the year can be submitted from `opens_at` (inclusive) until the data-submission
    /// close (exclusive), which may be later than the election deadline.
    pub fn check_submission_open(&self, now: Timestamp) -> Result<(), SubmissionClosed> {
        if now < self.opens_at || now >= self.submission_closes_at {
            Err(SubmissionClosed { window: self.clone() })
        } else {
            Ok(())
        }
    }

    /// "January 2, 2025 at 10:00 a.m. ET to March 31, 2025 at 8:00 p.m. ET"
    pub fn describe(&self) -> String {
        format!("{} to {}", self.opens_at.format_eastern(), self.election_closes_at.format_eastern())
    }

    /// One sentence on where the election period stands, for notices.
    pub fn phase_sentence(&self, phase: WindowPhase) -> String {
        let y = self.performance_year;
        match phase {
            WindowPhase::Open => format!("The {y} election period is open until {}.", self.election_closes_at.format_eastern()),
            WindowPhase::NotYetOpen => format!("The {y} election period opens {}. Until then you can review eligibility but not elect.", self.opens_at.format_eastern()),
            WindowPhase::Closed => format!("The {y} election period closed on {}. You can review eligibility and elections, but no new elections can be made.", self.election_closes_at.format_eastern()),
        }
    }

    /// A demo window open from 30 days before `now` for a year, closing at 8:00 p.m. ET.
    pub fn demo(year: PerformanceYear, now: Timestamp) -> ElectionWindow {
        let open_day = now.plus_days(-30).to_eastern();
        let close_day = now.plus_days(365).to_eastern();
        let closes = Timestamp::from_eastern(close_day.year, close_day.month, close_day.day, 20, 0);
        ElectionWindow {
            performance_year: year,
            opens_at: Timestamp::from_eastern(open_day.year, open_day.month, open_day.day, 10, 0),
            election_closes_at: closes,
            submission_closes_at: closes,
            source: WindowSource::Demo,
            note: "Demo window: not a CMS date. It exists so the demo data can be used today.".into(),
        }
    }
}

/// (PY, opens ET y/m/d, election close ET y/m/d, submission close ET y/m/d, source, note).
/// Windows open at 10:00 a.m. ET — the time the 2019 guide states; for other years the guides and
/// announcements give the date only, and the notes say so — and close at 8:00 p.m. ET.
type Row = (u16, (i64, u32, u32), (i64, u32, u32), (i64, u32, u32), WindowSource, &'static str);
const OFFICIAL_WINDOWS: &[Row] = &[
    (2019, (2020, 1, 2), (2020, 3, 31), (2020, 4, 30), WindowSource::Official,
     "2019 election guide: January 2, 2020 at 10:00 a.m. ET to March 31, 2020 at 8:00 p.m. ET. The documented extension to April 30, 2020 (COVID-19) is for data submission; an extension of the election deadline is not confirmed."),
    (2020, (2021, 1, 4), (2021, 3, 31), (2021, 3, 31), WindowSource::Unconfirmed,
     "From CMS's announcement of the submission period (closing March 31, 2021 at 8:00 p.m. ET), not from an election guide; the 10:00 a.m. opening time is assumed."),
    (2021, (2022, 1, 3), (2022, 3, 31), (2022, 3, 31), WindowSource::Official,
     "2021 election guide: January 3 to March 31, 2022. The guide gives the dates only; the 10:00 a.m. ET opening and 8:00 p.m. ET close are assumed from the 2019 guide."),
    (2022, (2023, 1, 3), (2023, 3, 31), (2023, 3, 31), WindowSource::Unconfirmed,
     "Submission period January 3 to March 31, 2023, as reported; not stated in an election guide."),
    (2023, (2024, 1, 2), (2024, 4, 1), (2024, 4, 15), WindowSource::Unconfirmed,
     "Submission period January 2 to April 1, 2024, as reported; data submission was extended to April 15, 2024 (Change Healthcare cyberattack), and whether the election deadline moved with it is not confirmed."),
    (2024, (2025, 1, 2), (2025, 3, 31), (2025, 4, 14), WindowSource::Unconfirmed,
     "CMS's announcement: the election deadline stayed March 31, 2025 at 8:00 p.m. ET although data submission was extended to April 14, 2025; not stated in an election guide."),
    (2025, (2026, 1, 2), (2026, 3, 31), (2026, 3, 31), WindowSource::Expected,
     "Expected dates (the usual pattern); not confirmed in a CMS source available to this project."),
];

/// The windows CMS published (or that are expected), one per performance year.
pub fn official_windows() -> Vec<ElectionWindow> {
    OFFICIAL_WINDOWS
        .iter()
        .map(|&(py, o, e, s, source, note)| ElectionWindow {
            performance_year: PerformanceYear::new(py).expect("table years are valid"),
            opens_at: Timestamp::from_eastern(o.0, o.1, o.2, 10, 0),
            election_closes_at: Timestamp::from_eastern(e.0, e.1, e.2, 20, 0),
            submission_closes_at: Timestamp::from_eastern(s.0, s.1, s.2, 20, 0),
            source,
            note: note.into(),
        })
        .collect()
}

/// The year screens and APIs use when none is given: the latest year whose window is open now,
/// else the latest year that has a window, else the current calendar year (ET).
pub fn default_year(windows: &[ElectionWindow], now: Timestamp) -> PerformanceYear {
    let open = windows.iter().filter(|w| w.phase(now) == WindowPhase::Open).map(|w| w.performance_year).max();
    let latest = windows.iter().map(|w| w.performance_year).max();
    open.or(latest)
        .or_else(|| PerformanceYear::new(now.to_eastern().year as u16).ok())
        .unwrap_or_else(|| PerformanceYear::new(super::year::FIRST_OPT_IN_YEAR).expect("valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_year_prefers_an_open_window() {
        let ws = official_windows();
        let in_2025_window = Timestamp::from_eastern(2025, 2, 1, 12, 0);
        assert_eq!(default_year(&ws, in_2025_window).get(), 2024);
        let between = Timestamp::from_eastern(2026, 11, 23, 12, 0);
        assert_eq!(default_year(&ws, between).get(), 2025, "latest year with a window");
        assert_eq!(default_year(&[], between).get(), 2026, "calendar year when no window exists");
    }

    fn window(py: u16) -> ElectionWindow {
        official_windows().into_iter().find(|w| w.performance_year.get() == py).unwrap()
    }

    #[test]
    fn every_year_from_2019_has_a_window_in_order() {
        let ws = official_windows();
        assert_eq!(ws.first().unwrap().performance_year.get(), 2019);
        for w in &ws {
            assert!(w.opens_at < w.election_closes_at);
            assert!(w.election_closes_at <= w.submission_closes_at);
        }
    }

    #[test]
    fn close_is_8pm_eastern_daylight_and_exclusive() {
        let w = window(2024);
        let close = Timestamp::from_utc(2025, 4, 1, 0, 0); // 2025-03-31 20:00 EDT
        assert_eq!(w.election_closes_at, close);
        assert_eq!(w.phase(Timestamp(close.0 - 1)), WindowPhase::Open);
        assert_eq!(w.phase(close), WindowPhase::Closed);
        // The later data-submission close does not extend the election.
        assert_eq!(w.submission_closes_at, Timestamp::from_utc(2025, 4, 15, 0, 0));
    }

    #[test]
    fn open_is_10am_eastern_standard_and_inclusive() {
        let w = window(2019);
        let open = Timestamp::from_utc(2020, 1, 2, 15, 0); // 10:00 EST
        assert_eq!(w.phase(Timestamp(open.0 - 1)), WindowPhase::NotYetOpen);
        assert_eq!(w.phase(open), WindowPhase::Open);
        // The 2019 guide: elections close March 31, 2020 at 8:00 p.m. EDT; the April 30
        // extension that is documented is for data submission.
        assert_eq!(w.election_closes_at, Timestamp::from_utc(2020, 4, 1, 0, 0));
        assert_eq!(w.submission_closes_at, Timestamp::from_utc(2020, 5, 1, 0, 0));
        assert_eq!(w.source, WindowSource::Official);
    }

    #[test]
    fn only_what_a_guide_states_is_official() {
        let official: Vec<u16> = official_windows()
            .iter()
            .filter(|w| w.source == WindowSource::Official)
            .map(|w| w.performance_year.get())
            .collect();
        assert_eq!(official, vec![2019, 2021], "the 2019 and 2021 election guides");
        for w in official_windows().iter().filter(|w| w.source != WindowSource::Official) {
            assert!(w.source.caveat().unwrap().starts_with("Not confirmed"), "PY{} is labelled", w.performance_year);
        }
        assert_eq!(window(2023).source, WindowSource::Unconfirmed, "the PY2023 election deadline is not confirmed");
    }

    #[test]
    fn py2023_closes_april_first() {
        let w = window(2023);
        assert_eq!(w.election_closes_at.format_eastern(), "April 1, 2024 at 8:00 p.m. ET");
        assert_eq!(w.submission_closes_at.format_eastern_date(), "April 15, 2024");
    }

    #[test]
    fn demo_window_is_open_now_and_marked() {
        let now = Timestamp::from_utc(2026, 11, 23, 12, 0);
        let w = ElectionWindow::demo(PerformanceYear::new(2026).unwrap(), now);
        assert_eq!(w.phase(now), WindowPhase::Open);
        assert_eq!(w.source, WindowSource::Demo);
        assert_eq!(w.election_closes_at.to_eastern().hour, 20);
    }
}
