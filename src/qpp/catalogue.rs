//! The per-year measures catalogue: only what the validation rules need from CMS's
//! `measures-data.json` and `mvp.json` (see `qpp-data/README.md` for their source).
//!
//! This file is also compiled by `build.rs` (through `#[path]`), which turns each year's CMS
//! files into a compact JSON catalogue: a year of measures-data is 0.8–2.2 MB, the catalogue a
//! fraction of that. The browser fetches one year as a static, cacheable file; the server embeds
//! all of them. So this file may use only `std`, `serde` and `serde_json`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

/// One performance year's catalogue.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    pub year: u16,
    /// Every `programName` a measurement set may carry this year: `mips`, the APM programs that
    /// appear in the data, and this year's MVP IDs.
    pub programs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mvps: Vec<Mvp>,
    pub measures: Vec<Measure>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Mvp {
    pub id: String,
    /// Every measure and activity the MVP lists (quality, IA, cost, foundation PI and quality,
    /// administrative claims).
    pub measures: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub id: String,
    /// `ia`, `pi`, `quality` or `cost`.
    pub category: String,
    /// `boolean`, `proportion`, `singlePerformanceRate`, … — decides the value's shape.
    #[serde(rename = "metric")]
    pub metric_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<String>,
    /// `None` when the year's data has no `allowedPrograms` (PY2019/PY2020): any program.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_types: Option<Vec<String>>,
    /// QCDR measure (`isRegistryMeasure`); a registry-method quality measure that is not one
    /// is a MIPS CQM, which has its own exclusion rule.
    #[serde(default, skip_serializing_if = "is_false")]
    pub qcdr: bool,
    pub first: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<u16>,
    /// Names of the strata of a multi-rate measure, in CMS's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strata: Vec<String>,
    /// PI: measures that may not be in the same set as this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusion: Vec<String>,
    /// PI: measures that replace this one, so they may not be reported with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub substitutes: Vec<String>,
    /// PI: a required measure.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// eCQM: the version-specific UUID a QRDA III file names the measure by (`eMeasureUuid`).
    #[serde(default, rename = "ecqm", skip_serializing_if = "Option::is_none")]
    pub ecqm_uuid: Option<String>,
    /// eCQM: each stratum's (population set's) population UUIDs, in CMS's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ecqm_strata: Vec<EcqmStratum>,
}

/// The population UUIDs of one eCQM stratum (`strata[].eMeasureUuids` of the measures data).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EcqmStratum {
    /// The stratum's name (multi-rate measures); none for a single-rate measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipop: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denom: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denexcep: Option<String>,
}

impl EcqmStratum {
    /// (QRDA population type, UUID) of each population the stratum names.
    pub fn uuids(&self) -> Vec<(&'static str, &str)> {
        [
            ("IPOP", &self.ipop),
            ("DENOM", &self.denom),
            ("NUMER", &self.numer),
            ("DENEX", &self.denex),
            ("DENEXCEP", &self.denexcep),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|u| (k, u)))
        .collect()
    }
}

/// The eCQM strata of a measures-data entry, when it names population UUIDs.
fn ecqm_strata(m: &Value) -> Vec<EcqmStratum> {
    let multi = m
        .get("metricType")
        .and_then(Value::as_str)
        .is_some_and(|t| t.to_ascii_lowercase().contains("multiperformancerate"));
    m.get("strata")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let u = s.get("eMeasureUuids")?;
            let get = |k: &str| u.get(k).and_then(Value::as_str).map(str::to_ascii_uppercase);
            Some(EcqmStratum {
                name: if multi { s.get("name").and_then(Value::as_str).map(str::to_owned) } else { None },
                ipop: get("initialPopulationUuid"),
                denom: get("denominatorUuid"),
                numer: get("numeratorUuid"),
                denex: get("denominatorExclusionUuid"),
                denexcep: get("denominatorExceptionUuid"),
            })
        })
        .collect()
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Programs that existed in a year whose data predates `allowedPrograms` (PY2019/PY2020).
/// CPC+ ran 2017–2021; the APM Performance Pathway (`app1`) and PCF came in 2021.
const PROGRAMS_BEFORE_ALLOWED_PROGRAMS: &[&str] = &["mips", "cpcPlus"];

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Builds one year's catalogue from CMS's `measures-data.json` (an array of measures) and,
/// from PY2023, `mvp.json`.
pub fn build(year: u16, measures_data: &Value, mvp_data: Option<&Value>) -> Result<Catalogue, String> {
    let items = measures_data.as_array().ok_or("measures-data.json is not an array")?;
    let mut measures = Vec::with_capacity(items.len());
    let mut programs: Vec<String> = vec!["mips".into()];
    let mut any_allowed_programs = false;
    for m in items {
        let id = m.get("measureId").and_then(Value::as_str).ok_or("a measure without measureId")?;
        let text = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
        let allowed = m.get("allowedPrograms").filter(|v| v.is_array()).map(|v| strings(Some(v)));
        if let Some(list) = &allowed {
            any_allowed_programs = true;
            for p in list {
                if !programs.contains(p) {
                    programs.push(p.clone());
                }
            }
        }
        let strata = if text("metricType")
            .is_some_and(|t| t.contains("MultiPerformanceRate") || t == "multiPerformanceRate")
        {
            m.get("strata")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|s| s.get("name").and_then(Value::as_str)).map(str::to_owned).collect())
                .unwrap_or_default()
        } else {
            vec![]
        };
        measures.push(Measure {
            id: id.to_owned(),
            category: text("category").ok_or_else(|| format!("measure {id} has no category"))?,
            metric_type: text("metricType").ok_or_else(|| format!("measure {id} has no metricType"))?,
            methods: strings(m.get("submissionMethods")),
            programs: allowed,
            registration_types: m.get("allowedRegistrationTypes").filter(|v| v.is_array()).map(|v| strings(Some(v))),
            qcdr: m.get("isRegistryMeasure").and_then(Value::as_bool).unwrap_or(false),
            first: m.get("firstPerformanceYear").and_then(Value::as_u64).map(|y| y as u16).unwrap_or(year),
            last: m.get("lastPerformanceYear").and_then(Value::as_u64).map(|y| y as u16),
            strata,
            exclusion: strings(m.get("exclusion")),
            substitutes: strings(m.get("substitutes")),
            required: m.get("isRequired").and_then(Value::as_bool).unwrap_or(false),
            ecqm_uuid: text("eMeasureUuid").map(|u| u.to_ascii_lowercase()),
            ecqm_strata: ecqm_strata(m),
        });
    }
    if !any_allowed_programs {
        programs = PROGRAMS_BEFORE_ALLOWED_PROGRAMS.iter().map(|s| s.to_string()).collect();
    }
    let mut mvps = vec![];
    if let Some(list) = mvp_data.and_then(Value::as_array) {
        for m in list {
            let id = m.get("mvpId").and_then(Value::as_str).ok_or("an MVP without mvpId")?.to_owned();
            let mut ids = vec![];
            for k in [
                "qualityMeasureIds",
                "iaMeasureIds",
                "costMeasureIds",
                "foundationPiMeasureIds",
                "foundationQualityMeasureIds",
                "administrativeClaimsMeasureIds",
            ] {
                for s in strings(m.get(k)) {
                    if !ids.contains(&s) {
                        ids.push(s);
                    }
                }
            }
            if !programs.contains(&id) {
                programs.push(id.clone());
            }
            mvps.push(Mvp { id, measures: ids });
        }
    }
    Ok(Catalogue { year, programs, mvps, measures })
}

/// A catalogue with lookups, ready for the rules.
#[derive(Clone, Debug)]
pub struct Index {
    pub catalogue: Catalogue,
    by_id: HashMap<String, usize>,
    /// eCQM UUID (lower case) → measure.
    by_ecqm: HashMap<String, usize>,
    /// Upper-cased ID → real ID, to suggest `PI_EP_1` for `pi_ep_1`.
    by_upper: HashMap<String, usize>,
}

impl Index {
    pub fn new(catalogue: Catalogue) -> Index {
        let by_id = catalogue.measures.iter().enumerate().map(|(i, m)| (m.id.clone(), i)).collect();
        let by_upper = catalogue.measures.iter().enumerate().map(|(i, m)| (m.id.to_ascii_uppercase(), i)).collect();
        let by_ecqm =
            catalogue.measures.iter().enumerate().filter_map(|(i, m)| Some((m.ecqm_uuid.clone()?, i))).collect();
        Index { catalogue, by_id, by_upper, by_ecqm }
    }

    pub fn from_json(text: &str) -> Result<Index, String> {
        serde_json::from_str::<Catalogue>(text)
            .map(Index::new)
            .map_err(|e| format!("The measures catalogue could not be read: {e}"))
    }

    pub fn year(&self) -> u16 {
        self.catalogue.year
    }

    pub fn measure(&self, id: &str) -> Option<&Measure> {
        self.by_id.get(id).map(|&i| &self.catalogue.measures[i])
    }

    /// The real ID of a measure written in the wrong case or without its leading zeros.
    pub fn suggestion(&self, id: &str) -> Option<&str> {
        let upper = id.trim().to_ascii_uppercase();
        if let Some(&i) = self.by_upper.get(&upper) {
            return Some(&self.catalogue.measures[i].id);
        }
        if !upper.is_empty() && upper.len() < 3 && upper.bytes().all(|b| b.is_ascii_digit()) {
            let padded = format!("{upper:0>3}");
            return self.by_id.get(&padded).map(|&i| self.catalogue.measures[i].id.as_str());
        }
        None
    }

    /// The eCQM a QRDA III file names by its version-specific UUID (any case).
    pub fn measure_by_ecqm_uuid(&self, uuid: &str) -> Option<&Measure> {
        self.by_ecqm.get(&uuid.trim().to_ascii_lowercase()).map(|&i| &self.catalogue.measures[i])
    }

    /// Whether the year's measures data names eCQM UUIDs at all (CMS adds them late in a year).
    pub fn has_ecqm_uuids(&self) -> bool {
        !self.by_ecqm.is_empty()
    }

    pub fn has_program(&self, name: &str) -> bool {
        self.catalogue.programs.iter().any(|p| p == name)
    }

    pub fn mvp(&self, id: &str) -> Option<&Mvp> {
        self.catalogue.mvps.iter().find(|m| m.id == id)
    }
}
