//! `mips-elections import eligibility`: CMS's eligibility determinations, one clinician per line
//! (NDJSON) or a JSON array, each the `data` object of the QPP Eligibility API's
//! `GET /api/eligibility/npi/{npi}` v6 response. Unknown fields are ignored; gzip is accepted.
//!
//! The whole file is read and checked before anything is written, then stored in one
//! transaction that replaces the year's determinations and adds one data run. Elections are
//! never touched. The same file imported again changes nothing.
//!
//! Fields CMS does not publish but the practice card shows, read from each scenario when present
//! (all three, or the figures are "not provided"): `lowVolumeBeneficiaries` (Medicare Part B
//! patients), `lowVolumeAllowedCharges` (USD) and CMS's own `lowVolumeServices`.

use crate::domain::determination::exclusion_of;
use crate::domain::{Determination, EntityId, Exclusion, Npi, PerformanceYear, SpecialStatusFlags, Tin};
use crate::server::store::clinicians::ClinicianRow;
use crate::server::store::data_runs::{Determinations, RunFacts};
use crate::server::store::practices::{EligibilityFacts, PracticeRow};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// Why a file was refused: where (line, field) and what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// 1-based; 0 for the file as a whole. In a JSON array, the item's number.
    pub line: usize,
    /// The file is one JSON array: `line` numbers its items.
    pub in_array: bool,
    pub field: String,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.in_array { "array item" } else { "line" };
        match (self.line, self.field.is_empty()) {
            (0, _) => write!(f, "{}", self.message),
            (line, true) => write!(f, "{at} {line}: {}", self.message),
            (line, false) => write!(f, "{at} {line}, {}: {}", self.field, self.message),
        }
    }
}

fn refuse(line: usize, field: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError { line, in_array: false, field: field.into(), message: message.into() }
}

/// One clinician as CMS's v6 `data` object has it (the parts the app uses).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CmsClinician {
    npi: Option<String>,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    newly_enrolled: bool,
    qp_status: Option<String>,
    #[serde(default)]
    organizations: Vec<CmsOrganization>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CmsOrganization {
    #[serde(rename = "TIN")]
    tin: Option<String>,
    #[serde(default)]
    prvdr_org_name: String,
    #[serde(default)]
    address_line_one: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    zip: String,
    individual_scenario: Option<CmsScenario>,
    group_scenario: Option<CmsScenario>,
    #[serde(default)]
    apms: Vec<CmsApm>,
    #[serde(default)]
    virtual_groups: Vec<CmsVirtualGroup>,
}

/// A virtual group the TIN belongs to: its members don't elect, the virtual group's election is
/// theirs (docs/elections.md in the reference material, §3.5).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CmsVirtualGroup {
    virtual_group_identifier: Option<String>,
}

/// A virtual group identifier as the file gives it, refused when missing, masked, or not an
/// entity ID a QPP JSON file could name it by (`EntityId`).
fn virtual_group_id(line: usize, field: &str, v: &CmsVirtualGroup) -> Result<String, ImportError> {
    let id = v.virtual_group_identifier.as_deref().map(str::trim).unwrap_or_default();
    if id.is_empty() {
        return Err(refuse(line, field, "is missing"));
    }
    if id.chars().all(|c| matches!(c, 'X' | 'x' | '*')) {
        return Err(refuse(line, field, format!("is {id:?}, which looks masked: the import needs the identifier itself, as CMS gives it to an authorized user")));
    }
    // Empty was said above, so the only refusal left is the length or a control character.
    EntityId::parse(id)
        .map(|_| id.to_string())
        .map_err(|_| refuse(line, field, format!("must be at most {} printable characters", EntityId::MAX_CHARS)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CmsApm {
    #[serde(default)]
    mips_apm_flag: bool,
}

/// `isEligible`: CMS gives the group's flag as a boolean or, in some responses, as a string.
#[derive(Deserialize, Default)]
struct CmsIsEligible {
    individual: Option<Flag>,
    group: Option<Flag>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(untagged)]
enum Flag {
    Bool(bool),
    Text(BoolText),
}

#[derive(Deserialize, Clone, Copy)]
enum BoolText {
    #[serde(rename = "true")]
    True,
    #[serde(rename = "false")]
    False,
}

impl Flag {
    fn get(self) -> bool {
        matches!(self, Flag::Bool(true) | Flag::Text(BoolText::True))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CmsScenario {
    #[serde(default)]
    is_eligible: CmsIsEligible,
    is_opt_in_eligible: Option<bool>,
    /// Absent means an eligible clinician type (the field is about the clinician, not the TIN).
    mips_eligible_switch: Option<bool>,
    #[serde(flatten)]
    special_statuses: SpecialStatusFlags,
    low_volume_services: Option<i64>,
    low_volume_beneficiaries: Option<i64>,
    low_volume_allowed_charges: Option<f64>,
}

/// Decompresses gzip input (by its magic bytes); other input is returned as it is.
pub fn decompress(bytes: Vec<u8>) -> Result<Vec<u8>, ImportError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut out)
        .map_err(|e| refuse(0, "", format!("The file looks gzip-compressed but could not be decompressed: {e}.")))?;
    Ok(out)
}

/// The records of the file with their line numbers: NDJSON (one object a line, blank lines
/// skipped) or one JSON array.
fn records(text: &str) -> Result<Vec<(usize, CmsClinician)>, ImportError> {
    let parse = |line: usize, json: &str| {
        serde_json::from_str::<CmsClinician>(json).map_err(|e| {
            let what = if e.is_data() { "a field has the wrong type" } else { "not valid JSON" };
            // serde_json says "at line 1 column N" of the one-line record; the line is ours.
            let said = e.to_string();
            let said = said.split(" at line ").next().unwrap_or(&said).to_string();
            refuse(line, "", format!("{what} at column {}: {said}", e.column()))
        })
    };
    if text.trim_start().starts_with('[') {
        let array: Vec<serde_json::Value> = serde_json::from_str(text)
            // The whole file: its text line, not an item number, is the place.
            .map_err(|e| {
                refuse(
                    0,
                    "",
                    format!("The JSON array is not valid JSON (line {}, column {}): {e}", e.line(), e.column()),
                )
            })?;
        // Line numbers of an array's items are not kept by serde_json; the item's index is.
        return array
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                serde_json::from_value::<CmsClinician>(v)
                    .map(|c| (i + 1, c))
                    .map_err(|e| refuse(i + 1, "", format!("a field has the wrong type: {e}")))
            })
            .collect();
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| parse(i + 1, l).map(|c| (i + 1, c)))
        .collect()
}

/// The scenario's facts; `field` names the scenario for messages.
fn facts(
    line: usize, field: &str, s: &CmsScenario, mips_eligible: Option<Flag>, exclusion: Option<Exclusion>,
    mips_apm_participant: bool,
) -> Result<EligibilityFacts, ImportError> {
    let opt_in_eligible = s.is_opt_in_eligible.ok_or_else(|| {
        refuse(line, format!("{field}.isOptInEligible"), "is missing: CMS's determination is required")
    })?;
    let count = |name: &str, v: Option<i64>| match v {
        Some(n) if n < 0 => Err(refuse(line, format!("{field}.{name}"), format!("is {n}; a count can't be negative"))),
        other => Ok(other),
    };
    let services = count("lowVolumeServices", s.low_volume_services)?;
    let patients = count("lowVolumeBeneficiaries", s.low_volume_beneficiaries)?;
    let charges = match s.low_volume_allowed_charges {
        Some(usd) if !(usd.is_finite() && usd >= 0.0) => {
            return Err(refuse(
                line,
                format!("{field}.lowVolumeAllowedCharges"),
                "must be a non-negative amount in USD",
            ))
        }
        other => other.map(|usd| (usd * 100.0).round() as i64),
    };
    let figures = patients.zip(charges).zip(services);
    let ((medicare_patients, allowed_charges_cents), covered_services) = figures.unwrap_or_default();
    Ok(EligibilityFacts {
        determination: Determination {
            mips_eligible: mips_eligible.is_some_and(Flag::get),
            opt_in_eligible,
            exclusion,
        },
        figures_provided: figures.is_some(),
        medicare_patients,
        allowed_charges_cents,
        covered_services,
        special_statuses: s.special_statuses.statuses(),
        mips_apm_participant,
        is_demo: false,
    })
}

/// The clinician-level exclusion (`domain::determination::exclusion_of`).
fn exclusion(c: &CmsClinician, individual: &CmsScenario) -> Option<Exclusion> {
    exclusion_of(c.qp_status.as_deref(), c.newly_enrolled, individual.mips_eligible_switch)
}

/// Reads and checks a whole file; the first problem refuses it, numbered by line (NDJSON) or by
/// array item (a JSON array).
pub fn parse(text: &str, year: PerformanceYear) -> Result<Determinations, ImportError> {
    let in_array = text.trim_start().starts_with('[');
    let noun = if in_array { "array item" } else { "line" };
    parse_records(text, year, noun).map_err(|e| ImportError { in_array, ..e })
}

fn parse_records(text: &str, year: PerformanceYear, noun: &str) -> Result<Determinations, ImportError> {
    let mut practices: BTreeMap<Tin, (usize, PracticeRow)> = BTreeMap::new();
    let mut clinicians: BTreeMap<(Tin, Npi), ClinicianRow> = BTreeMap::new();
    let mut virtual_groups: BTreeMap<String, std::collections::BTreeSet<Tin>> = BTreeMap::new();
    for (line, c) in records(text)? {
        let npi_text = c.npi.as_deref().ok_or_else(|| refuse(line, "npi", "is missing"))?;
        let npi = Npi::parse(npi_text).map_err(|e| refuse(line, "npi", e.0))?;
        if c.organizations.is_empty() {
            return Err(refuse(line, "organizations", "is empty: a clinician needs at least one practice (TIN)"));
        }
        for (i, org) in c.organizations.iter().enumerate() {
            let at = format!("organizations[{i}]");
            let tin_text = org.tin.as_deref().ok_or_else(|| refuse(line, format!("{at}.TIN"), "is missing"))?;
            let tin = Tin::parse(tin_text).map_err(|e| {
                let masked = if tin_text.contains(['X', 'x', '*']) {
                    " It looks masked: the import needs the TIN itself, as CMS gives it to an authorized user."
                } else {
                    ""
                };
                refuse(line, format!("{at}.TIN"), format!("{}{masked}", e.0))
            })?;
            for (j, v) in org.virtual_groups.iter().enumerate() {
                let id = virtual_group_id(line, &format!("{at}.virtualGroups[{j}].virtualGroupIdentifier"), v)?;
                virtual_groups.entry(id).or_default().insert(tin.clone());
            }
            let apm = org.apms.iter().any(|a| a.mips_apm_flag);
            let individual = org
                .individual_scenario
                .as_ref()
                .ok_or_else(|| refuse(line, format!("{at}.individualScenario"), "is missing"))?;
            let group =
                org.group_scenario.as_ref().ok_or_else(|| refuse(line, format!("{at}.groupScenario"), "is missing"))?;
            let field = format!("{at}.individualScenario");
            let clinician_facts =
                facts(line, &field, individual, individual.is_eligible.individual, exclusion(&c, individual), apm)?;
            let field = format!("{at}.groupScenario");
            let group_facts = facts(line, &field, group, group.is_eligible.group, None, apm)?;
            let practice = PracticeRow {
                performance_year: year,
                tin: tin.clone(),
                name: org.prvdr_org_name.trim().to_string(),
                address_line1: org.address_line_one.trim().to_string(),
                city: org.city.trim().to_string(),
                state: org.state.trim().to_string(),
                zip: org.zip.trim().to_string(),
                facts: group_facts,
            };
            match practices.get_mut(&tin) {
                // The group scenario is the TIN's: every clinician of the TIN must carry the same.
                // APM participation is each clinician's own (`apms[]`), so it is not compared:
                // the TIN is in a MIPS APM when any of its clinicians is.
                Some((first, known)) => {
                    let mut same = practice.facts.clone();
                    same.mips_apm_participant = known.facts.mips_apm_participant;
                    if known.facts != same {
                        return Err(refuse(line, format!("{at}.groupScenario"), format!("disagrees with the group scenario of TIN {tin} on {noun} {first}: a TIN has one group determination")));
                    }
                    known.facts.mips_apm_participant |= practice.facts.mips_apm_participant;
                }
                None => {
                    practices.insert(tin.clone(), (line, practice));
                }
            }
            let row = ClinicianRow {
                performance_year: year,
                tin: tin.clone(),
                npi: npi.clone(),
                first_name: c.first_name.trim().to_string(),
                last_name: c.last_name.trim().to_string(),
                facts: clinician_facts,
            };
            if clinicians.insert((tin.clone(), npi.clone()), row).is_some() {
                return Err(refuse(line, "npi", format!("TIN/NPI {tin}/{npi} appears twice in the file")));
            }
        }
    }
    if clinicians.is_empty() {
        return Err(refuse(0, "", "The file holds no clinicians."));
    }
    Ok(Determinations {
        practices: practices.into_values().map(|(_, p)| p).collect(),
        clinicians: clinicians.into_values().collect(),
        virtual_groups: virtual_groups.into_iter().map(|(id, tins)| (id, tins.into_iter().collect())).collect(),
    })
}

/// The file's text: decompressed when gzip, refused when not UTF-8.
pub fn text_of(bytes: Vec<u8>) -> Result<String, ImportError> {
    let bytes = decompress(bytes)?;
    String::from_utf8(bytes).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        refuse(line, "", "is not UTF-8 text")
    })
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOutcome {
    pub run_number: i64,
    /// True when the latest run of the year came from the same content: nothing was written.
    pub unchanged: bool,
    pub clinicians: usize,
    pub practices: usize,
    pub opt_in_eligible: usize,
}

/// Checks the file, then stores it in one transaction (see the module's comment).
pub async fn import(
    store: &crate::server::store::Store, year: PerformanceYear, text: &str, run: RunFacts<'_>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportOutcome, ImportFailure> {
    crate::domain::low_volume_threshold(year).ok_or_else(|| {
        ImportFailure::Refused(refuse(0, "", format!("Performance year {year} is outside the low-volume threshold table, so its determinations can't be shown; the table covers {} to {}.", crate::domain::lvt::first_threshold_year(), crate::domain::lvt::last_threshold_year())))
    })?;
    let mut parsed = parse(text, year).map_err(ImportFailure::Refused)?;
    if run.demo {
        parsed.practices.iter_mut().for_each(|p| p.facts.is_demo = true);
        parsed.clinicians.iter_mut().for_each(|c| c.facts.is_demo = true);
    }
    let (clinicians, practices, opt_in_eligible) =
        (parsed.clinicians.len(), parsed.practices.len(), parsed.opt_in_eligible());
    let latest = store.latest_imported_run(year).await?;
    if let Some(latest) = latest.filter(|l| l.content_sha256 == run.content_sha256) {
        return Ok(ImportOutcome {
            run_number: latest.run.run_number,
            unchanged: true,
            clinicians,
            practices,
            opt_in_eligible,
        });
    }
    let run_number = store.replace_determinations(year, &parsed, &run, progress).await?;
    Ok(ImportOutcome { run_number, unchanged: false, clinicians, practices, opt_in_eligible })
}

/// Why an import stored nothing.
#[derive(Debug)]
pub enum ImportFailure {
    Refused(ImportError),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for ImportFailure {
    fn from(e: sqlx::Error) -> Self {
        ImportFailure::Database(e)
    }
}

impl fmt::Display for ImportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportFailure::Refused(e) => write!(f, "the file was refused, nothing was imported: {e}"),
            ImportFailure::Database(e) => write!(f, "the database refused the import, nothing was imported: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::LowVolumeStatus;
    use serde_json::json;

    fn year() -> PerformanceYear {
        PerformanceYear::new(2025).unwrap()
    }

    /// One clinician in CMS's v6 shape; `change` edits it.
    fn clinician(npi: &str, tin: &str, change: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut v = json!({
            "firstName": "Tereza", "lastName": "Pazderová", "npi": npi, "newlyEnrolled": false, "qpStatus": "N",
            "unknownFieldsAreIgnored": {"deep": [1, 2]},
            "organizations": [{
                "TIN": tin, "prvdrOrgName": "Pazderová, Dudek and Zelený", "addressLineOne": "74543 Xavier Inlet",
                "city": "Ketchikan", "state": "AK", "zip": "999010840",
                "individualScenario": {
                    "isEligible": {"individual": false, "group": false, "mipsApm": false, "virtualGroup": false},
                    "isOptInEligible": true, "isOptedIn": null, "mipsEligibleSwitch": true, "ruralClinician": true,
                    "lowVolumeServices": 902, "lowVolumeBeneficiaries": 21, "lowVolumeAllowedCharges": 31045.0
                },
                "groupScenario": {"isEligible": {"group": "false"}, "isOptInEligible": true, "hpsaClinician": true},
                "apms": [{"mipsApmFlag": false}]
            }]
        });
        change(&mut v);
        v.to_string()
    }

    fn file(lines: &[String]) -> String {
        lines.join("\n") + "\n"
    }

    #[test]
    fn reads_cms_records_and_keeps_cms_determination() {
        let d = parse(
            &file(&[
                clinician("1030000011", "103000013", |_| {}),
                clinician("1030000029", "103000013", |v| v["qpStatus"] = json!("Y")),
            ]),
            year(),
        )
        .unwrap();
        assert_eq!((d.practices.len(), d.clinicians.len()), (1, 2));
        let p = &d.practices[0];
        assert_eq!(p.name, "Pazderová, Dudek and Zelený");
        assert_eq!(p.facts.determination.status(), LowVolumeStatus::OptInEligible);
        assert!(!p.facts.figures_provided, "the group scenario gave no figures");
        assert_eq!(p.facts.special_statuses, vec![crate::domain::SpecialStatus::Hpsa]);
        let c = &d.clinicians[0];
        assert!(c.facts.figures_provided);
        assert_eq!(
            (c.facts.medicare_patients, c.facts.allowed_charges_cents, c.facts.covered_services),
            (21, 3_104_500, 902)
        );
        assert_eq!(c.facts.determination.exclusion, None);
        assert_eq!(d.clinicians[1].facts.determination.exclusion, Some(Exclusion::QualifyingApmParticipant));
        // Practice + first clinician; the QP is never opt-in eligible.
        assert_eq!(d.opt_in_eligible(), 2);
    }

    #[test]
    fn exclusions_and_cms_over_figures() {
        let one = |change: fn(&mut serde_json::Value)| {
            parse(&file(&[clinician("1030000011", "103000013", change)]), year()).unwrap().clinicians.remove(0)
        };
        assert_eq!(
            one(|v| v["newlyEnrolled"] = json!(true)).facts.determination.exclusion,
            Some(Exclusion::NewlyEnrolled)
        );
        let c = one(|v| v["organizations"][0]["individualScenario"]["mipsEligibleSwitch"] = json!(false));
        assert_eq!(c.facts.determination.exclusion, Some(Exclusion::IneligibleClinicianType));
        // Figures far above every threshold, CMS says not opt-in eligible and not eligible: CMS decides.
        let c = one(|v| {
            let s = &mut v["organizations"][0]["individualScenario"];
            s["isOptInEligible"] = json!(false);
            s["lowVolumeBeneficiaries"] = json!(5000);
        });
        assert_eq!(c.facts.determination.status(), LowVolumeStatus::NotOptInEligible);
        let c = one(|v| v["organizations"][0]["individualScenario"]["isEligible"]["individual"] = json!(true));
        assert_eq!(c.facts.determination.status(), LowVolumeStatus::MipsEligible);
    }

    #[test]
    fn a_bad_record_refuses_the_file_with_its_line_and_field() {
        let good = clinician("1030000011", "103000013", |_| {});
        let refused = |bad: String| parse(&file(&[good.clone(), String::new(), bad]), year()).unwrap_err();
        let e = refused("{\"npi\": ".into());
        assert_eq!((e.line, e.field.as_str()), (3, ""));
        assert!(e.message.starts_with("not valid JSON at column"), "{e}");
        let e = refused(clinician("1030000029", "10300001", |_| {}));
        assert_eq!((e.line, e.field.as_str()), (3, "organizations[0].TIN"));
        assert!(e.message.contains("has 8 digits"), "{e}");
        let e = refused(clinician("1030000029", "XXXXXXXXX", |_| {}));
        assert!(e.message.contains("looks masked"), "{e}");
        let e = refused(clinician("103000002", "103000013", |_| {}));
        assert_eq!((e.line, e.field.as_str()), (3, "npi"));
        let e = refused(clinician("1030000029", "103000013", |v| {
            v["organizations"][0]["groupScenario"]["isOptInEligible"] = json!(false)
        }));
        assert_eq!((e.line, e.field.as_str()), (3, "organizations[0].groupScenario"));
        assert!(e.to_string().contains("disagrees with the group scenario of TIN 103000013 on line 1"), "{e}");
        let e = refused(clinician("1030000029", "103000013", |v| {
            v["organizations"][0]["individualScenario"].as_object_mut().unwrap().remove("isOptInEligible");
        }));
        assert_eq!(e.field, "organizations[0].individualScenario.isOptInEligible");
        let e = refused(clinician("1030000011", "103000013", |_| {}));
        assert!(e.message.contains("appears twice"), "{e}");
        assert_eq!(parse("\n\n", year()).unwrap_err().message, "The file holds no clinicians.");
    }

    #[test]
    fn arrays_and_gzip_are_read_too() {
        let one = clinician("1030000011", "103000013", |_| {});
        let from_array = parse(&format!("[{one}]"), year()).unwrap();
        assert_eq!(from_array, parse(&one, year()).unwrap());
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, one.as_bytes()).unwrap();
        assert_eq!(text_of(gz.finish().unwrap()).unwrap(), one);
        assert!(text_of(vec![b'{', 0xff, b'}']).unwrap_err().message.contains("not UTF-8"));
    }
}
