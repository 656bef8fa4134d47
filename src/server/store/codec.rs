//! How values are written to and read from text and integer columns. Reading refuses what it
//! does not know: an unknown stored code is a decode error, never a default (an unknown role
//! must not become a practice representative).

use crate::api::{ElectionChannel, FileFormat, RegistryKind, UserRole};
use crate::domain::{Election, EntityType, Npi, PerformanceYear, ReportingPathway, SpecialStatus, Tin, WindowSource};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A value stored as one of a fixed set of codes.
pub trait Code: Sized + Copy + 'static {
    /// What the column holds, for the error message.
    const WHAT: &'static str;
    const ALL: &'static [Self];
    fn code(self) -> &'static str;

    fn decode(code: &str) -> Result<Self, sqlx::Error> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.code() == code)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown {} code {code:?} in the database", Self::WHAT).into()))
    }
}

impl Code for UserRole {
    const WHAT: &'static str = "user role";
    const ALL: &'static [Self] = &[UserRole::PracticeRepresentative, UserRole::RegistryStaff];
    fn code(self) -> &'static str {
        match self {
            UserRole::PracticeRepresentative => "PRACTICE_REPRESENTATIVE",
            UserRole::RegistryStaff => "REGISTRY_STAFF",
        }
    }
}

impl Code for ElectionChannel {
    const WHAT: &'static str = "election channel";
    const ALL: &'static [Self] = &[ElectionChannel::Web, ElectionChannel::Api, ElectionChannel::RegistryUpload];
    fn code(self) -> &'static str {
        match self {
            ElectionChannel::Web => "WEB",
            ElectionChannel::Api => "API",
            ElectionChannel::RegistryUpload => "REGISTRY_UPLOAD",
        }
    }
}

impl Code for WindowSource {
    const WHAT: &'static str = "window source";
    const ALL: &'static [Self] = &[WindowSource::Official, WindowSource::Expected, WindowSource::Demo];
    fn code(self) -> &'static str {
        match self {
            WindowSource::Official => "OFFICIAL",
            WindowSource::Expected => "EXPECTED",
            WindowSource::Demo => "DEMO",
        }
    }
}

impl Code for RegistryKind {
    const WHAT: &'static str = "registry kind";
    const ALL: &'static [Self] = &[RegistryKind::QualifiedRegistry, RegistryKind::Qcdr];
    fn code(self) -> &'static str {
        match self {
            RegistryKind::QualifiedRegistry => "QUALIFIED_REGISTRY",
            RegistryKind::Qcdr => "QCDR",
        }
    }
}

impl Code for FileFormat {
    const WHAT: &'static str = "file format";
    const ALL: &'static [Self] = &[FileFormat::QppJson, FileFormat::QrdaIii];
    fn code(self) -> &'static str {
        FileFormat::code(self)
    }
}

impl Code for Election {
    const WHAT: &'static str = "election";
    const ALL: &'static [Self] = &[Election::OptIn, Election::ReportVoluntarily];
    fn code(self) -> &'static str {
        Election::code(self)
    }
}

impl Code for ReportingPathway {
    const WHAT: &'static str = "reporting pathway";
    const ALL: &'static [Self] = &ReportingPathway::ALL;
    fn code(self) -> &'static str {
        ReportingPathway::code(self)
    }
}

impl Code for EntityType {
    const WHAT: &'static str = "entity type";
    const ALL: &'static [Self] = &EntityType::ALL;
    fn code(self) -> &'static str {
        EntityType::code(self)
    }
}

/// Reads a code column.
pub fn get_code<T: Code>(r: &AnyRow, column: &str) -> Result<T, sqlx::Error> {
    T::decode(&r.try_get::<String, _>(column)?)
}

pub fn get_year(r: &AnyRow, column: &str) -> Result<PerformanceYear, sqlx::Error> {
    let v: i64 = r.try_get(column)?;
    u16::try_from(v)
        .ok()
        .and_then(|y| PerformanceYear::new(y).ok())
        .ok_or_else(|| sqlx::Error::Decode(format!("bad performance year {v}").into()))
}

pub fn get_tin(r: &AnyRow, column: &str) -> Result<Tin, sqlx::Error> {
    decode(Tin::parse(&r.try_get::<String, _>(column)?))
}

pub fn get_npi(r: &AnyRow, column: &str) -> Result<Npi, sqlx::Error> {
    decode(Npi::parse(&r.try_get::<String, _>(column)?))
}

/// The NPI column of a key: "" for a group.
pub fn get_optional_npi(r: &AnyRow, column: &str) -> Result<Option<Npi>, sqlx::Error> {
    let npi: String = r.try_get(column)?;
    if npi.is_empty() {
        Ok(None)
    } else {
        decode(Npi::parse(&npi)).map(Some)
    }
}

pub fn get_bool(r: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    match r.try_get::<i64, _>(column)? {
        0 => Ok(false),
        1 => Ok(true),
        v => Err(sqlx::Error::Decode(format!("bad flag {v} in {column}").into())),
    }
}

/// How a key's NPI is written: "" for a group.
pub fn npi_text(npi: Option<&Npi>) -> &str {
    npi.map(|n| n.as_str()).unwrap_or("")
}

pub fn statuses_text(s: &[SpecialStatus]) -> String {
    s.iter().map(|x| x.code()).collect::<Vec<_>>().join(",")
}

pub fn get_statuses(r: &AnyRow, column: &str) -> Result<Vec<SpecialStatus>, sqlx::Error> {
    let text: String = r.try_get(column)?;
    text.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            SpecialStatus::from_code(c)
                .ok_or_else(|| sqlx::Error::Decode(format!("unknown special status code {c:?} in the database").into()))
        })
        .collect()
}

pub fn tins_text(tins: &[Tin]) -> String {
    tins.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(",")
}

pub fn get_tins(r: &AnyRow, column: &str) -> Result<Vec<Tin>, sqlx::Error> {
    let text: String = r.try_get(column)?;
    text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(|t| decode(Tin::parse(t))).collect()
}

fn decode<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, sqlx::Error> {
    r.map_err(|e| sqlx::Error::Decode(e.to_string().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: Code + PartialEq + std::fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(T::decode(v.code()).unwrap(), *v);
        }
        assert!(T::decode("SOMETHING_ELSE").is_err(), "{} refuses unknown codes", T::WHAT);
        assert!(T::decode("").is_err());
    }

    #[test]
    fn every_code_round_trips_and_unknown_codes_are_refused() {
        round_trips::<UserRole>();
        round_trips::<ElectionChannel>();
        round_trips::<WindowSource>();
        round_trips::<RegistryKind>();
        round_trips::<FileFormat>();
        round_trips::<Election>();
        round_trips::<ReportingPathway>();
        round_trips::<EntityType>();
    }
}
