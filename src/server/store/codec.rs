//! How values are written to and read from text and integer columns. Reading refuses what it
//! does not know: an unknown stored code is a decode error, never a default (an unknown role
//! must not become a practice representative).

use crate::api::{ElectionChannel, FileFormat, RegistryKind, UserRole};
use crate::domain::{
    Election, EntityType, Exclusion, Npi, PerformanceYear, ReportingPathway, SpecialStatus, Submitter, Timestamp, Tin,
    WindowSource,
};
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

/// `code!(Type, "what", { Variant => "CODE", … })` for types whose codes are the store's own;
/// `code!(Type, "what", all = ALL)` for types that carry their code (`Type::code`).
macro_rules! code {
    ($ty:ident, $what:literal, { $($variant:ident => $code:literal),* $(,)? }) => {
        impl Code for $ty {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$($ty::$variant),*];
            fn code(self) -> &'static str {
                match self { $($ty::$variant => $code),* }
            }
        }
    };
    ($ty:ident, $what:literal, all = $all:expr) => {
        impl Code for $ty {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = $all;
            fn code(self) -> &'static str {
                $ty::code(self)
            }
        }
    };
}

code!(UserRole, "user role", { PracticeRepresentative => "PRACTICE_REPRESENTATIVE", RegistryStaff => "REGISTRY_STAFF" });
code!(ElectionChannel, "election channel", { Web => "WEB", Api => "API", RegistryUpload => "REGISTRY_UPLOAD" });
code!(WindowSource, "window source", { Official => "OFFICIAL", Unconfirmed => "UNCONFIRMED", Expected => "EXPECTED", Demo => "DEMO" });
code!(RegistryKind, "registry kind", { QualifiedRegistry => "QUALIFIED_REGISTRY", Qcdr => "QCDR" });
code!(FileFormat, "file format", all = &[FileFormat::QppJson, FileFormat::QrdaIii]);
code!(Election, "election", all = &[Election::OptIn, Election::ReportVoluntarily]);
code!(ReportingPathway, "reporting pathway", all = &ReportingPathway::ALL);
code!(EntityType, "entity type", all = &EntityType::ALL);

/// A value read from one named column.
pub trait Column: Sized {
    fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error>;
}

/// A row type read column by column (`from_row!` writes the impl).
pub trait FromRow: Sized {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error>;
}

/// `from_row!(Type { field, … })`: each field is read from the column of the same name, decoded
/// by its type's `Column` impl, so every table reads its rows the same checked way.
/// Fields after a `;` are structs read from the same row (`FromRow`).
macro_rules! from_row {
    ($ty:ident { $($field:ident),* $(,)? $(; $($part:ident),+)? }) => {
        impl $crate::server::store::codec::FromRow for $ty {
            fn from_row(r: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
                Ok($ty {
                    $($field: $crate::server::store::codec::Column::column(r, stringify!($field))?,)*
                    $($($part: $crate::server::store::codec::FromRow::from_row(r)?,)+)?
                })
            }
        }
    };
}
pub(crate) use from_row;

/// Every row of a result, decoded.
pub fn rows<T: FromRow>(rows: &[AnyRow]) -> Result<Vec<T>, sqlx::Error> {
    rows.iter().map(T::from_row).collect()
}

impl<T: Code> Column for T {
    fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        T::decode(&r.try_get::<String, _>(name)?)
    }
}

/// Values the driver reads as they are.
macro_rules! plain_column {
    ($($ty:ty),*) => {$(
        impl Column for $ty {
            fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
                r.try_get(name)
            }
        }
    )*};
}
plain_column!(String, i64);

impl Column for Timestamp {
    fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        r.try_get(name).map(Timestamp)
    }
}

/// Flags are stored as 0 or 1; anything else is refused.
impl Column for bool {
    fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        match r.try_get::<i64, _>(name)? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(sqlx::Error::Decode(format!("bad flag {v} in {name}").into())),
        }
    }
}

impl Column for PerformanceYear {
    fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        let v: i64 = r.try_get(name)?;
        u16::try_from(v)
            .ok()
            .and_then(|y| PerformanceYear::new(y).ok())
            .ok_or_else(|| sqlx::Error::Decode(format!("bad performance year {v}").into()))
    }
}

impl Column for Tin {
    fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        decode(Tin::parse(&r.try_get::<String, _>(name)?))
    }
}

impl Column for Npi {
    fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        decode(Npi::parse(&r.try_get::<String, _>(name)?))
    }
}

/// The NPI column of a key: "" for a group.
impl Column for Option<Npi> {
    fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        let npi: String = r.try_get(name)?;
        if npi.is_empty() {
            Ok(None)
        } else {
            decode(Npi::parse(&npi)).map(Some)
        }
    }
}

/// A comma-separated list of special status codes.
/// A clinician's exclusion; the empty text when there is none.
impl Column for Option<Exclusion> {
    fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        let code: String = r.try_get(name)?;
        if code.is_empty() {
            return Ok(None);
        }
        Exclusion::from_code(&code)
            .map(Some)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown exclusion code {code:?} in the database").into()))
    }
}

impl Column for Vec<SpecialStatus> {
    fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        let text: String = r.try_get(name)?;
        text.split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| {
                SpecialStatus::from_code(c).ok_or_else(|| {
                    sqlx::Error::Decode(format!("unknown special status code {c:?} in the database").into())
                })
            })
            .collect()
    }
}

/// A comma-separated list of TINs.
impl Column for Vec<Tin> {
    fn column(r: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        let text: String = r.try_get(name)?;
        text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(|t| decode(Tin::parse(t))).collect()
    }
}

/// Reads one column (for rows that are not a struct).
pub fn get<T: Column>(r: &AnyRow, name: &str) -> Result<T, sqlx::Error> {
    T::column(r, name)
}

/// How a key's NPI is written: "" for a group.
pub fn npi_text(npi: Option<&Npi>) -> &str {
    npi.map(|n| n.as_str()).unwrap_or("")
}

/// The key columns of a submission (`entity_type`, `tin`, `npi`, `entity_id`), "" standing for
/// "none": a group is ("group", TIN, "", ""), an APM Entity ("apm", "", "", ID).
pub fn submitter_columns(s: &Submitter) -> (&'static str, &str, &str, &str) {
    match s {
        Submitter::Participant(p) => (p.entity_type().code(), p.tin.as_str(), npi_text(p.npi.as_ref()), ""),
        Submitter::Entity(e) => (e.entity_type.code(), "", "", e.entity_id.as_str()),
    }
}

/// A submission's key read back from its four columns; a row whose columns don't fit its entity
/// type is refused, never guessed at.
impl FromRow for Submitter {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let kind: EntityType = get(r, "entity_type")?;
        let (tin, npi, id): (String, String, String) = (get(r, "tin")?, get(r, "npi")?, get(r, "entity_id")?);
        let submitter = decode(Submitter::of(kind, Some(&tin), Some(&npi), Some(&id)))?;
        if submitter_columns(&submitter) != (kind.code(), tin.as_str(), npi.as_str(), id.as_str()) {
            let what =
                format!("submission key ({}, {tin:?}, {npi:?}, {id:?}) doesn't fit its entity type", kind.code());
            return Err(sqlx::Error::Decode(what.into()));
        }
        Ok(submitter)
    }
}

/// `$1, $2, …, $count`: the parameters of an insert naming `count` columns.
pub fn placeholders(count: usize) -> String {
    (1..=count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// How many columns a comma-separated column list names.
pub fn column_count(columns: &str) -> usize {
    columns.split(',').count()
}

pub fn statuses_text(s: &[SpecialStatus]) -> String {
    s.iter().map(|x| x.code()).collect::<Vec<_>>().join(",")
}

pub fn tins_text(tins: &[Tin]) -> String {
    tins.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(",")
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
