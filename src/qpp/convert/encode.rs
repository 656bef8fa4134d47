//! Writes QPP JSON from a decoded QRDA III document the way the conversion tool does, with the
//! checks that need the year's measures data: each eCQM is found by its UUID, must report the
//! populations (by UUID) the measures data lists, and its counts must hang together.

use super::decode::{Category, Document, Entry, Population, QualityMeasure};
use super::finding::{at_element, ConversionFinding, YearIndex};
use super::tree::At;
use crate::domain::entity::EntityType;
use crate::qpp::catalogue::{EcqmStratum, Measure};
use serde_json::{json, Map, Value};

/// The eCQMs whose population sets are summed into one single-rate value (the conversion tool's
/// `MeasureConfigHelper`: 005, 007, 008, 143 and 438).
const SUMMED_MEASURES: [&str; 5] = ["005", "007", "008", "143", "438"];

/// QPP JSON field of each population the conversion tool encodes (`SubPopulationHelper`).
const FIELDS: [(&str, &str); 4] = [
    ("NUMER", "performanceMet"),
    ("DENOM", "eligiblePopulation"),
    ("DENEX", "eligiblePopulationExclusion"),
    ("DENEXCEP", "eligiblePopulationException"),
];

struct Encoder<'t> {
    text: &'t str,
    year: u16,
    /// `mips`, `app1` or `appPlus`: the program of the document (before any MVP).
    program: &'static str,
    findings: Vec<ConversionFinding>,
}

impl Encoder<'_> {
    fn err(&mut self, code: u16, message: String, values: &[&str], at: &At, measure: Option<&str>) {
        self.findings.push(at_element(self.text, code, message, values, at, measure));
    }
}

/// The QPP JSON submission of the document, and the findings that need the measures data.
pub fn encode(doc: &Document, index: YearIndex, text: &str) -> (Option<Value>, Vec<ConversionFinding>) {
    let Some(year) = doc.performance_year else { return (None, vec![]) };
    let mut e = Encoder { text, year, program: doc.program_name, findings: vec![] };
    let program = doc.mvp_id.clone().unwrap_or_else(|| doc.program_name.to_string());
    let mut sets = vec![];
    for s in &doc.sections {
        let mut measurements = vec![];
        let mut seen: Vec<&str> = vec![];
        for entry in &s.entries {
            match entry {
                Entry::Quality(q) => {
                    if seen.contains(&q.uuid.as_str()) {
                        let message = format!("eCQM {} is reported twice; each measure may be reported once.", q.uuid);
                        e.err(71, message, &[], &q.at, None);
                        continue;
                    }
                    seen.push(&q.uuid);
                    measurements.extend(quality(&mut e, q, index));
                }
                Entry::Boolean { id, value, .. } => measurements.push(json!({"measureId": id, "value": value})),
                Entry::Proportion { id, numerator, denominator, .. } => measurements
                    .push(json!({"measureId": id, "value": {"numerator": numerator, "denominator": denominator}})),
            }
        }
        let mut set = Map::new();
        set.insert("category".into(), json!(s.category.code()));
        set.insert("submissionMethod".into(), json!("electronicHealthRecord"));
        set.insert("programName".into(), json!(program));
        if let Some(start) = &s.start {
            set.insert("performanceStart".into(), json!(start));
        }
        if let Some(end) = &s.end {
            set.insert("performanceEnd".into(), json!(end));
        }
        // The CEHRT ID goes on PI and eCQM sets (the conversion tool, since September 2025).
        if let (Some(id), Category::Pi | Category::Quality) = (&doc.cehrt_id, s.category) {
            set.insert("cehrtId".into(), json!(id));
        }
        set.insert("source".into(), json!("qrda3"));
        set.insert("measurements".into(), Value::Array(measurements));
        sets.push(Value::Object(set));
    }
    let mut sub = Map::new();
    let kind = doc.entity_type.unwrap_or(EntityType::Individual);
    sub.insert("entityType".into(), json!(kind.code()));
    if matches!(kind, EntityType::Individual | EntityType::Group | EntityType::VirtualGroup) {
        if let Some(tin) = &doc.tin {
            sub.insert("taxpayerIdentificationNumber".into(), json!(tin));
        }
    }
    if kind == EntityType::Individual {
        if let Some(npi) = &doc.npi {
            sub.insert("nationalProviderIdentifier".into(), json!(npi));
        }
    }
    if kind.is_named_by_id() {
        if let Some(id) = &doc.entity_id {
            sub.insert("entityId".into(), json!(id));
        }
    }
    sub.insert("performanceYear".into(), json!(year));
    sub.insert("measurementSets".into(), Value::Array(sets));
    (Some(Value::Object(sub)), e.findings)
}

/// One eCQM as a QPP JSON measurement, or nothing when it can't be encoded (with the finding).
fn quality(e: &mut Encoder, q: &QualityMeasure, index: YearIndex) -> Option<Value> {
    let year = e.year.to_string();
    let Some(m) = index.and_then(|i| i.measure_by_ecqm_uuid(&q.uuid)) else {
        let message = if index.is_some_and(|i| !i.has_ecqm_uuids()) {
            format!("eCQM {} can't be matched: CMS's {year} measures data lists no eCQM UUIDs yet.", q.uuid)
        } else {
            format!("eCQM {} is not a measure of performance year {year}: check the measure's version-specific UUID against CMS's eCQM list for the year.", q.uuid)
        };
        e.err(6, message, &[&q.uuid, &year], &q.at, None);
        return None;
    };
    let mut ok = true;
    // The conversion tool checks population UUIDs for the MIPS program only, and never the
    // initial population's (its `MipsQualityMeasureIdValidator`); APP files are not checked.
    let checked = e.program == "mips";
    for stratum in m.ecqm_strata.iter().filter(|_| checked) {
        for (kind, want) in stratum.uuids().into_iter().filter(|(k, _)| *k != "IPOP") {
            if !q.populations.iter().any(|p| p.kind == kind && p.uuid.eq_ignore_ascii_case(want)) {
                let message = format!(
                    "Measure {} (eCQM {}) needs a {kind} population with UUID {want}; the file has none.",
                    m.id, q.uuid
                );
                e.err(59, message, &[&q.uuid, kind, want], &q.at, Some(&m.id));
                ok = false;
            }
        }
    }
    if !ok || q.populations.iter().any(|p| p.count.is_none()) {
        return None;
    }
    let value = if SUMMED_MEASURES.contains(&m.id.as_str()) {
        single(&q.populations.iter().collect::<Vec<_>>(), true)
    } else if is_multi(m) {
        let strata: Vec<Value> = m.ecqm_strata.iter().map(|s| stratum(e, q, m, s)).collect();
        json!({"isEndToEndReported": true, "strata": strata})
    } else {
        let value = single(&q.populations.iter().collect::<Vec<_>>(), false);
        if checked {
            denominator_within_population(e, q, m, &q.populations.iter().collect::<Vec<_>>());
        }
        value
    };
    Some(json!({"measureId": m.id, "value": value}))
}

fn is_multi(m: &Measure) -> bool {
    m.metric_type.to_ascii_lowercase().contains("multiperformancerate")
}

/// The populations of one stratum (by the UUIDs the measures data gives it), named.
fn stratum(e: &mut Encoder, q: &QualityMeasure, m: &Measure, s: &EcqmStratum) -> Value {
    let wanted: Vec<&str> = s.uuids().into_iter().map(|(_, u)| u).collect();
    let pops: Vec<&Population> =
        q.populations.iter().filter(|p| wanted.iter().any(|w| w.eq_ignore_ascii_case(&p.uuid))).collect();
    denominator_within_population(e, q, m, &pops);
    let mut v = single(&pops, false);
    if let Value::Object(o) = &mut v {
        // A stratum carries its name (the conversion tool falls back to its numerator UUID).
        o.remove("isEndToEndReported");
        let name = s.name.clone().or_else(|| s.numer.clone()).unwrap_or_default();
        o.insert("stratum".into(), json!(name));
    }
    v
}

/// DENOM ≤ IPOP (the conversion tool's code 13).
fn denominator_within_population(e: &mut Encoder, q: &QualityMeasure, m: &Measure, pops: &[&Population]) {
    let first = |k: &str| pops.iter().find(|p| p.kind == k || (k == "IPOP" && p.kind == "IPP"));
    if let (Some(d), Some(i)) = (first("DENOM"), first("IPOP")) {
        if d.count > i.count {
            let year = e.year.to_string();
            let message = format!(
                "Measure {} (eCQM {}): the denominator ({}) is larger than the initial population ({}).",
                m.id,
                q.uuid,
                d.count.unwrap_or(0),
                i.count.unwrap_or(0)
            );
            e.err(13, message, &[&d.uuid, &year], &d.at, Some(&m.id));
        }
    }
}

/// A single-rate value: the first population of each type, or all of them summed.
fn single(pops: &[&Population], sum: bool) -> Value {
    let total = |kind: &str| -> Option<i64> {
        let mut of_kind = pops.iter().filter(|p| p.kind == kind).filter_map(|p| p.count);
        if sum {
            let all: Vec<i64> = of_kind.collect();
            (!all.is_empty()).then(|| all.iter().sum())
        } else {
            of_kind.next()
        }
    };
    let mut v = Map::new();
    v.insert("isEndToEndReported".into(), json!(true));
    for (kind, field) in FIELDS {
        if let Some(n) = total(kind) {
            v.insert(field.into(), json!(n));
        }
    }
    if let Some(denominator) = total("DENOM") {
        let not_met =
            denominator - total("NUMER").unwrap_or(0) - total("DENEX").unwrap_or(0) - total("DENEXCEP").unwrap_or(0);
        v.insert("performanceNotMet".into(), json!(not_met));
    }
    Value::Object(v)
}
