//! Instants and the America/New_York wall clock.
//!
//! CMS states every election deadline in Eastern Time ("8:00 p.m. ET"), which is EDT (UTC-4) in
//! late March and EST (UTC-5) in January. The rules are small and fixed, so they live here as
//! pure code rather than pulling a time-zone database into the wasm bundle. The US rule in
//! force since 2007 applies: DST starts on the second Sunday of March at 02:00 local standard
//! time and ends on the first Sunday of November at 02:00 local daylight time. Performance
//! years start in 2019, so earlier rules are never needed.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_HOUR: i64 = 60 * MS_PER_MINUTE;
const MS_PER_DAY: i64 = 24 * MS_PER_HOUR;

/// An instant, as milliseconds since the Unix epoch (UTC). On the wire it is an ISO-8601 UTC
/// string such as `2026-04-01T00:00:00.000Z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema), schema(value_type = String, format = DateTime, example = "2026-04-01T00:00:00.000Z"))]
pub struct Timestamp(pub i64);

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// 0 = Sunday … 6 = Saturday.
fn weekday(days: i64) -> i64 {
    (days + 4).rem_euclid(7)
}

/// Day of month of the n-th Sunday (1-based) of a month.
fn nth_sunday(year: i64, month: u32, n: u32) -> u32 {
    let first = days_from_civil(year, month, 1);
    let offset = (7 - weekday(first)) % 7;
    1 + offset as u32 + 7 * (n - 1)
}

/// The UTC instants at which Eastern daylight time starts and ends in `year`.
fn dst_bounds_utc(year: i64) -> (i64, i64) {
    // 02:00 EST = 07:00 UTC; 02:00 EDT = 06:00 UTC.
    let start = days_from_civil(year, 3, nth_sunday(year, 3, 2)) * MS_PER_DAY + 7 * MS_PER_HOUR;
    let end = days_from_civil(year, 11, nth_sunday(year, 11, 1)) * MS_PER_DAY + 6 * MS_PER_HOUR;
    (start, end)
}

/// A wall-clock reading in America/New_York.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EasternDateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// True when the reading is EDT (UTC-4), false for EST (UTC-5).
    pub daylight: bool,
}

impl Timestamp {
    pub fn from_utc(year: i64, month: u32, day: u32, hour: u32, minute: u32) -> Timestamp {
        Timestamp(
            days_from_civil(year, month, day) * MS_PER_DAY + hour as i64 * MS_PER_HOUR + minute as i64 * MS_PER_MINUTE,
        )
    }

    /// The instant at which the clocks in New York show this wall time. A time in the
    /// spring-forward gap (which CMS never uses) does not exist and is shifted forward by the
    /// hour skipped (02:30 → 03:30 EDT); an ambiguous time in the autumn fold resolves to its
    /// first occurrence (EDT).
    pub fn from_eastern(year: i64, month: u32, day: u32, hour: u32, minute: u32) -> Timestamp {
        let wall = Timestamp::from_utc(year, month, day, hour, minute).0;
        let as_edt = Timestamp(wall + 4 * MS_PER_HOUR);
        if as_edt.is_eastern_daylight() {
            as_edt
        } else {
            let as_est = Timestamp(wall + 5 * MS_PER_HOUR);
            if as_est.is_eastern_daylight() {
                // Inside the spring-forward gap: read with the offset in force before it (EST),
                // which lands one hour later on the daylight clock.
                as_est
            } else {
                as_est
            }
        }
    }

    pub fn is_eastern_daylight(self) -> bool {
        let (y, _, _) = civil_from_days(self.0.div_euclid(MS_PER_DAY));
        let (start, end) = dst_bounds_utc(y);
        self.0 >= start && self.0 < end
    }

    pub fn to_eastern(self) -> EasternDateTime {
        let daylight = self.is_eastern_daylight();
        let local = self.0 - if daylight { 4 } else { 5 } * MS_PER_HOUR;
        let (year, month, day) = civil_from_days(local.div_euclid(MS_PER_DAY));
        let ms_of_day = local.rem_euclid(MS_PER_DAY);
        EasternDateTime {
            year,
            month,
            day,
            hour: (ms_of_day / MS_PER_HOUR) as u32,
            minute: ((ms_of_day % MS_PER_HOUR) / MS_PER_MINUTE) as u32,
            second: ((ms_of_day % MS_PER_MINUTE) / 1000) as u32,
            daylight,
        }
    }

    pub fn plus_days(self, days: i64) -> Timestamp {
        Timestamp(self.0 + days * MS_PER_DAY)
    }

    /// ISO-8601 in UTC with milliseconds, the form the QPP APIs use (`optInDecisionDate`).
    pub fn to_iso8601(self) -> String {
        let (y, mo, d) = civil_from_days(self.0.div_euclid(MS_PER_DAY));
        let ms = self.0.rem_euclid(MS_PER_DAY);
        format!(
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
            ms / MS_PER_HOUR,
            (ms % MS_PER_HOUR) / MS_PER_MINUTE,
            (ms % MS_PER_MINUTE) / 1000,
            ms % 1000
        )
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (UTC only: every timestamp this system writes).
    pub fn parse_iso8601(s: &str) -> Result<Timestamp, String> {
        let bad = || format!("\"{s}\" is not a UTC timestamp like 2026-03-31T20:00:00.000Z");
        let b = s.as_bytes();
        if b.len() < 20
            || *b.last().unwrap() != b'Z'
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<i64, String> {
            let part = s.get(r).ok_or_else(bad)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            part.parse::<i64>().map_err(|_| bad())
        };
        let (y, mo, d, h, mi, sec) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
        let frac = &s[19..s.len() - 1];
        let millis = if frac.is_empty() {
            0
        } else {
            let digits = frac.strip_prefix('.').ok_or_else(bad)?;
            if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            let padded = format!("{digits:0<3}");
            padded[..3].parse::<i64>().map_err(|_| bad())?
        };
        if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo as u32) as i64 || h > 23 || mi > 59 || sec > 59 {
            return Err(bad());
        }
        Ok(Timestamp(
            days_from_civil(y, mo as u32, d as u32) * MS_PER_DAY
                + h * MS_PER_HOUR
                + mi * MS_PER_MINUTE
                + sec * 1000
                + millis,
        ))
    }

    /// "March 31, 2026" in Eastern Time.
    pub fn format_eastern_date(self) -> String {
        let e = self.to_eastern();
        format!("{} {}, {}", MONTHS[e.month as usize - 1], e.day, e.year)
    }

    /// "March 31, 2026 at 8:00 p.m. ET" — the form CMS uses for deadlines.
    pub fn format_eastern(self) -> String {
        let e = self.to_eastern();
        let (h12, half) = match e.hour {
            0 => (12, "a.m."),
            1..=11 => (e.hour, "a.m."),
            12 => (12, "p.m."),
            _ => (e.hour - 12, "p.m."),
        };
        format!("{} at {}:{:02} {} ET", self.format_eastern_date(), h12, e.minute, half)
    }
}

/// "2021-11-15" → "November 15, 2021"; `None` for anything that is not a valid ISO date.
pub fn format_iso_date(iso: &str) -> Option<String> {
    // A month alone ("2021-11") is shown as CMS gives it: "November 2021".
    if let [y, m] = iso.split('-').collect::<Vec<_>>()[..] {
        let (y, m) = (y.parse::<i64>().ok()?, m.parse::<u32>().ok()?);
        return (y > 0 && (1..=12).contains(&m) && iso.len() == 7).then(|| format!("{} {y}", MONTHS[m as usize - 1]));
    }
    let mut parts = iso.split('-');
    let (y, m, d) =
        (parts.next()?.parse::<i64>().ok()?, parts.next()?.parse::<u32>().ok()?, parts.next()?.parse::<u32>().ok()?);
    if parts.next().is_some() || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(format!("{} {d}, {y}", MONTHS[m as usize - 1]))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso8601())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse_iso8601(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-1000, 0, 1, 18_000, 20_000, 20_543, 50_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn dst_dates_match_the_us_rule() {
        // Second Sunday of March / first Sunday of November.
        assert_eq!(nth_sunday(2020, 3, 2), 8);
        assert_eq!(nth_sunday(2025, 3, 2), 9);
        assert_eq!(nth_sunday(2026, 3, 2), 8);
        assert_eq!(nth_sunday(2024, 11, 1), 3);
        assert_eq!(nth_sunday(2026, 11, 1), 1);
    }

    #[test]
    fn eight_pm_et_on_march_31_is_edt() {
        // 2025-03-31 20:00 EDT = 2025-04-01 00:00 UTC.
        assert_eq!(Timestamp::from_eastern(2025, 3, 31, 20, 0), Timestamp::from_utc(2025, 4, 1, 0, 0));
        // 2020-04-30 20:00 EDT (the extended PY2019 close) = 2020-05-01 00:00 UTC.
        assert_eq!(Timestamp::from_eastern(2020, 4, 30, 20, 0), Timestamp::from_utc(2020, 5, 1, 0, 0));
    }

    #[test]
    fn january_opening_is_est() {
        // 2020-01-02 10:00 EST = 15:00 UTC.
        assert_eq!(Timestamp::from_eastern(2020, 1, 2, 10, 0), Timestamp::from_utc(2020, 1, 2, 15, 0));
    }

    #[test]
    fn dst_transition_instants() {
        // 2026-03-08: 01:59 EST exists, 03:00 EDT follows one minute later.
        let before = Timestamp::from_eastern(2026, 3, 8, 1, 59);
        let after = Timestamp::from_eastern(2026, 3, 8, 3, 0);
        assert_eq!(after.0 - before.0, 60_000);
        assert!(!before.is_eastern_daylight());
        assert!(after.is_eastern_daylight());
        // Gap time 02:30 does not exist; it shifts forward to 03:30 EDT.
        let gap = Timestamp::from_eastern(2026, 3, 8, 2, 30).to_eastern();
        assert_eq!((gap.hour, gap.minute, gap.daylight), (3, 30, true));
        // Autumn fold: 01:30 on 2026-11-01 resolves to the first (EDT) occurrence.
        let fold = Timestamp::from_eastern(2026, 11, 1, 1, 30);
        assert!(fold.is_eastern_daylight());
        assert_eq!(fold, Timestamp::from_utc(2026, 11, 1, 5, 30));
    }

    #[test]
    fn to_eastern_reads_back_wall_time() {
        let t = Timestamp::from_eastern(2024, 4, 1, 20, 0);
        let e = t.to_eastern();
        assert_eq!((e.year, e.month, e.day, e.hour, e.minute, e.daylight), (2024, 4, 1, 20, 0, true));
        let w = Timestamp::from_eastern(2024, 12, 31, 23, 59).to_eastern();
        assert_eq!((w.year, w.month, w.day, w.hour, w.daylight), (2024, 12, 31, 23, false));
    }

    #[test]
    fn iso_round_trip_and_rejections() {
        let t = Timestamp::from_utc(2020, 1, 27, 16, 57).plus_days(0);
        let s = t.to_iso8601();
        assert_eq!(s, "2020-01-27T16:57:00.000Z");
        assert_eq!(Timestamp::parse_iso8601(&s).unwrap(), t);
        assert_eq!(Timestamp::parse_iso8601("2020-01-27T16:57:38.646Z").unwrap().0 % 1000, 646);
        assert_eq!(Timestamp::parse_iso8601("2020-01-27T16:57:38Z").unwrap().0 % 1000, 0);
        for bad in [
            "",
            "2020-01-27",
            "2020-02-30T00:00:00Z",
            "2020-01-27T16:57:38+01:00",
            "2020-01-27T24:00:00Z",
            "2020-01-27T16:57:38.Z",
        ] {
            assert!(Timestamp::parse_iso8601(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_iso_dates() {
        assert_eq!(format_iso_date("2021-11-15").as_deref(), Some("November 15, 2021"));
        assert_eq!(format_iso_date("2021-02-30"), None);
        assert_eq!(format_iso_date("2021-11").as_deref(), Some("November 2021"), "to the precision CMS gives");
        assert_eq!(format_iso_date("2021-13"), None);
        assert_eq!(format_iso_date("2021-1"), None);
    }

    #[test]
    fn formats_like_cms_deadlines() {
        assert_eq!(Timestamp::from_eastern(2025, 3, 31, 20, 0).format_eastern(), "March 31, 2025 at 8:00 p.m. ET");
        assert_eq!(Timestamp::from_eastern(2020, 1, 2, 10, 0).format_eastern(), "January 2, 2020 at 10:00 a.m. ET");
        assert_eq!(Timestamp::from_eastern(2020, 1, 2, 0, 5).format_eastern(), "January 2, 2020 at 12:05 a.m. ET");
        assert_eq!(Timestamp::from_eastern(2020, 1, 2, 12, 0).format_eastern(), "January 2, 2020 at 12:00 p.m. ET");
    }
}
