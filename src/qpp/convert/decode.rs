//! Reads the templates of a QRDA III document that matter for MIPS into a `Document`, with the
//! conversion tool's structural checks: the clinical document (program, entity, identifiers,
//! CEHRT ID, MVP), each category section's reporting parameters, the eCQM measures with their
//! populations and counts, the Improvement Activities and the Promoting Interoperability
//! measures. Template IDs are those of CMS's QRDA III implementation guide.

use super::finding::{at_element, ConversionFinding};
use super::tree::{At, Element};
use crate::domain::entity::EntityType;
use crate::qpp::qrda::{
    entity_type_of_program, program_name_of, APM_ENTITY_ROOT, CMS_QRDA_III_TEMPLATE as CMS_QRDA_III, NPI_ROOT,
    PROGRAM_ROOT, QRDA_III_TEMPLATE as QRDA_III, REPORTING_PARAMETERS, SUBGROUP_ROOT, TIN_ROOT, VIRTUAL_GROUP_ROOT,
};

const CEHRT_ROOT: &str = "2.16.840.1.113883.3.2074.1";
const MVP_ROOT: &str = "2.16.840.1.113883.3.249.5.6";
const ENTITY_ROOTS: [&str; 3] = [VIRTUAL_GROUP_ROOT, APM_ENTITY_ROOT, SUBGROUP_ROOT];
const EMEASURE_ROOT: &str = "2.16.840.1.113883.4.738";
const MEASURE_REFERENCE_RESULTS: &str = "2.16.840.1.113883.10.20.27.3.1";
const MEASURE_DATA: &str = "2.16.840.1.113883.10.20.27.3.5";
const AGGREGATE_COUNT: &str = "2.16.840.1.113883.10.20.27.3.3";
const PERFORMANCE_RATES: [&str; 2] = ["2.16.840.1.113883.10.20.27.3.14", "2.16.840.1.113883.10.20.27.3.30"];
const IA_MEASURE: &str = "2.16.840.1.113883.10.20.27.3.33";
const MEASURE_PERFORMED: &str = "2.16.840.1.113883.10.20.27.3.27";
const PI_PROPORTION: &str = "2.16.840.1.113883.10.20.27.3.28";
const PI_BOOLEAN: &str = "2.16.840.1.113883.10.20.27.3.29";
const PI_NUMERATOR: &str = "2.16.840.1.113883.10.20.27.3.31";
const PI_DENOMINATOR: &str = "2.16.840.1.113883.10.20.27.3.32";

/// The program names the conversion tool accepts, for its messages.
const PROGRAM_NAMES: &str = "MIPS_GROUP, MIPS_INDIV, MIPS_VIRTUALGROUP, MIPS_APMENTITY, MIPS_SUBGROUP, MIPS_APP1_INDIV, MIPS_APP1_GROUP, MIPS_APP1_APMENTITY, APP_PLUS_INDIV, APP_PLUS_GROUP, APP_PLUS_APMENTITY";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Quality,
    Pi,
    Ia,
}

impl Category {
    pub fn code(self) -> &'static str {
        match self {
            Category::Quality => "quality",
            Category::Pi => "pi",
            Category::Ia => "ia",
        }
    }
}

/// An eCQM population: its type (IPOP, DENOM, NUMER, DENEX, DENEXCEP, …), UUID and count.
#[derive(Clone, Debug)]
pub struct Population<'a> {
    pub kind: String,
    pub uuid: String,
    pub count: Option<i64>,
    pub at: At<'a>,
}

#[derive(Clone, Debug)]
pub struct QualityMeasure<'a> {
    /// The eCQM's version-specific UUID (`externalDocument/id/@extension`).
    pub uuid: String,
    pub populations: Vec<Population<'a>>,
    pub at: At<'a>,
}

#[derive(Clone, Debug)]
pub enum Entry<'a> {
    Quality(QualityMeasure<'a>),
    Boolean { id: String, value: bool, at: At<'a> },
    Proportion { id: String, numerator: i64, denominator: i64, at: At<'a> },
}

#[derive(Clone, Debug)]
pub struct Section<'a> {
    pub category: Category,
    pub start: Option<String>,
    pub end: Option<String>,
    pub entries: Vec<Entry<'a>>,
    pub at: At<'a>,
}

#[derive(Clone, Debug, Default)]
pub struct Document<'a> {
    pub entity_type: Option<EntityType>,
    /// `mips`, `app1` or `appPlus`, from the program name; an MVP ID replaces it on the sets.
    pub program_name: &'static str,
    pub tin: Option<String>,
    pub npi: Option<String>,
    pub entity_id: Option<String>,
    pub cehrt_id: Option<String>,
    pub mvp_id: Option<String>,
    pub performance_year: Option<u16>,
    pub sections: Vec<Section<'a>>,
}

/// Decoding state: the text (for lines and columns) and the findings so far.
struct Decoder<'t> {
    text: &'t str,
    findings: Vec<ConversionFinding>,
}

impl Decoder<'_> {
    fn err(&mut self, code: u16, message: String, values: &[&str], at: &At, measure: Option<&str>) {
        self.findings.push(at_element(self.text, code, message, values, at, measure));
    }
}

/// Reads the document; the findings are the conversion tool's structural errors.
pub fn decode<'a>(root: &'a Element, text: &str) -> (Document<'a>, Vec<ConversionFinding>) {
    let mut d = Decoder { text, findings: vec![] };
    let top = At { el: root, path: format!("/{}", root.name) };
    let mut doc = Document { program_name: "mips", ..Default::default() };
    if root.name != "ClinicalDocument" || !(root.has_template(QRDA_III) || root.has_template(CMS_QRDA_III)) {
        let message = format!("This is not a QRDA III document: its root must be <ClinicalDocument> with the QRDA III templateId ({QRDA_III} or {CMS_QRDA_III}).");
        d.err(5, message, &[], &top, None);
        return (doc, d.findings);
    }
    program(&mut d, &top, &mut doc);
    identifiers(&top, &mut doc);
    let sections = top.down(&["component", "structuredBody", "component", "section"]);
    let mut seen: Vec<Category> = vec![];
    for s in &sections {
        let Some(category) = category_of(s.el) else { continue };
        if seen.contains(&category) {
            let (code, what) = match category {
                Category::Pi => (26, "Promoting Interoperability"),
                Category::Ia => (27, "Improvement Activities"),
                Category::Quality => (28, "measure (eCQM)"),
            };
            d.err(code, format!("The document has a second {what} section; it may have only one."), &[], s, None);
            continue;
        }
        seen.push(category);
        let section = section(&mut d, s, category);
        if doc.performance_year.is_none() {
            doc.performance_year = section.start.as_deref().and_then(|v| v.get(..4)).and_then(|y| y.parse().ok());
        }
        doc.sections.push(section);
    }
    if seen.is_empty() {
        let message = "The document has no eCQM, Promoting Interoperability or Improvement Activities section, so there is nothing to convert.".into();
        d.err(23, message, &[], &top, None);
    } else if doc.performance_year.is_none() && !d.findings.iter().any(|f| [22, 29, 32, 44, 69].contains(&f.ct_code)) {
        // Unless a section's reporting parameters were already found wrong (which says why).
        let message = "The document has no performance year: a section's reporting parameters need an effectiveTime with a low value (its first 4 digits are the year).".into();
        d.err(31, message, &[], &top, None);
    }
    (doc, d.findings)
}

fn program(d: &mut Decoder, top: &At, doc: &mut Document) {
    let ids: Vec<At> = top
        .down(&["informationRecipient", "intendedRecipient", "id"])
        .into_iter()
        .filter(|i| i.el.attr("root") == Some(PROGRAM_ROOT))
        .collect();
    let names: Vec<&str> = ids.iter().filter_map(|i| i.el.attr("extension")).collect();
    match names.as_slice() {
        [one] => match entity_type_of_program(one) {
            Some(t) => {
                doc.entity_type = Some(t);
                doc.program_name = program_name_of(one);
            }
            None => {
                let message =
                    format!("\"{one}\" is not a program name the conversion tool accepts: use one of {PROGRAM_NAMES}.");
                d.err(25, message, &[PROGRAM_NAMES, one], &ids[0], None);
            }
        },
        _ => {
            let message = format!("The document names {} programs; it must name exactly one (informationRecipient/intendedRecipient/id with root {PROGRAM_ROOT}), one of {PROGRAM_NAMES}.", names.len());
            d.err(24, message, &[PROGRAM_NAMES], ids.first().unwrap_or(top), None);
        }
    }
}

fn identifiers(top: &At, doc: &mut Document) {
    let performers = top.down(&["documentationOf", "serviceEvent", "performer", "assignedEntity"]);
    let org_ids = |root: &str| {
        performers.iter().find_map(|p| p.el.child("representedOrganization").and_then(|o| o.id_extension(root)))
    };
    doc.tin = org_ids(TIN_ROOT).map(str::to_string);
    doc.npi = performers.iter().find_map(|p| p.el.id_extension(NPI_ROOT)).map(str::to_string);
    doc.entity_id = ENTITY_ROOTS.iter().find_map(|r| org_ids(r)).map(str::to_string);
    let participants = top.down(&["participant", "associatedEntity"]);
    let participant_id = |root: &str| participants.iter().find_map(|p| p.el.id_extension(root)).map(str::to_string);
    doc.cehrt_id = participant_id(CEHRT_ROOT);
    doc.mvp_id = participant_id(MVP_ROOT);
}

fn category_of(section: &Element) -> Option<Category> {
    let t = |r: &str| section.has_template(r);
    if t("2.16.840.1.113883.10.20.27.2.1") || t("2.16.840.1.113883.10.20.27.2.3") {
        Some(Category::Quality)
    } else if t("2.16.840.1.113883.10.20.27.2.4") {
        Some(Category::Ia)
    } else if t("2.16.840.1.113883.10.20.27.2.5") {
        Some(Category::Pi)
    } else {
        None
    }
}

/// "20250101", "2025-01-01T…", "2025/01/01T…" → "2025-01-01"; `None` for anything else.
pub fn iso_date(value: &str) -> Option<String> {
    let v = value.trim();
    let digits = |s: &str| s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit());
    let date = if v.len() >= 8 && digits(&v[..8]) && v[8..].bytes().all(|b| b.is_ascii_digit() || b"+-.".contains(&b)) {
        v[..8].to_string()
    } else {
        let head = v.split('T').next().unwrap_or("");
        let parts: Vec<&str> = head.split(['-', '/']).collect();
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => format!("{y}{m}{d}"),
            _ => return None,
        }
    };
    let (y, m, d) = (&date[..4], &date[4..6], &date[6..8]);
    let (mi, di) = (m.parse::<u32>().ok()?, d.parse::<u32>().ok()?);
    ((1..=12).contains(&mi) && (1..=31).contains(&di) && date.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{y}-{m}-{d}"))
}

fn section<'a>(d: &mut Decoder, s: &At<'a>, category: Category) -> Section<'a> {
    let entries = s.kids("entry");
    let params: Vec<At> =
        entries.iter().flat_map(|e| e.kids("act")).filter(|a| a.el.has_template(REPORTING_PARAMETERS)).collect();
    let mut out = Section { category, start: None, end: None, entries: vec![], at: s.clone() };
    if params.len() != 1 {
        let (code, what) = match category {
            Category::Quality => (32, "The eCQM section"),
            Category::Ia => (44, "The Improvement Activities section"),
            Category::Pi => (22, "The Promoting Interoperability section"),
        };
        let message = format!(
            "{what} must have exactly one reporting parameters act (templateId {REPORTING_PARAMETERS}); it has {}.",
            params.len()
        );
        d.err(code, message, &[], s, None);
    }
    if let Some(p) = params.first() {
        for (bound, slot) in [("low", &mut out.start), ("high", &mut out.end)] {
            let all = p.down(&["effectiveTime", bound]);
            if all.len() != 1 {
                // Like the conversion tool, the end is checked only when the start is right.
                let (code, what) = if bound == "low" { (29, "start") } else { (30, "end") };
                let message = format!("The reporting parameters give {} performance period {what}s (effectiveTime/{bound}); there must be exactly one.", all.len());
                d.err(code, message, &[], all.get(1).unwrap_or(p), None);
                break;
            }
            if let Some(t) = all.into_iter().next() {
                let value = t.el.attr("value").unwrap_or("");
                match iso_date(value) {
                    Some(date) => *slot = Some(date),
                    None => {
                        let which = if bound == "low" { "Performance period start" } else { "Performance period end" };
                        let message = format!("{which} \"{value}\" is not a date the conversion tool reads: write it as YYYYMMDD (for example 20250101).");
                        d.err(69, message, &[which], &t, None);
                    }
                }
            }
        }
    }
    for e in &entries {
        let is_params = e.kids("act").iter().any(|a| a.el.has_template(REPORTING_PARAMETERS));
        match (category, e.kids("organizer").into_iter().next()) {
            (_, None) if is_params => {}
            (Category::Quality, Some(o)) if o.el.has_template(MEASURE_REFERENCE_RESULTS) => {
                out.entries.push(Entry::Quality(quality_measure(d, &o)))
            }
            (Category::Ia, Some(o)) if o.el.has_template(IA_MEASURE) => out.entries.extend(performed(d, &o)),
            (Category::Pi, Some(o)) if o.el.has_template(PI_PROPORTION) => out.entries.extend(proportion(d, &o)),
            (Category::Pi, Some(o)) if o.el.has_template(PI_BOOLEAN) => out.entries.extend(performed(d, &o)),
            (Category::Ia, _) => {
                let message = "The Improvement Activities section may hold only Improvement Activities and one reporting parameters act; this entry is neither.".into();
                d.err(45, message, &[], e, None);
            }
            _ => {}
        }
    }
    if out.entries.is_empty() {
        match category {
            Category::Ia => {
                d.err(43, "The Improvement Activities section holds no Improvement Activity.".into(), &[], s, None)
            }
            Category::Quality => d.err(81, "The eCQM section holds no measure.".into(), &[], s, None),
            Category::Pi => {}
        }
    }
    out
}

/// The measure ID an IA or PI entry names (`reference/externalDocument/id/@extension`).
fn measure_id(o: &At) -> Option<String> {
    o.first(&["reference", "externalDocument", "id"]).and_then(|i| i.el.attr("extension").map(str::to_string))
}

/// An Improvement Activity or a yes/no PI measure: exactly one "measure performed" Y or N.
fn performed<'a>(d: &mut Decoder, o: &At<'a>) -> Option<Entry<'a>> {
    let id = measure_id(o).unwrap_or_default();
    let done = o.with_template(&["component", "observation"], &[MEASURE_PERFORMED]);
    if done.len() != 1 {
        let message = format!(
            "{id} must have exactly one \"measure performed\" observation (templateId {MEASURE_PERFORMED}); it has {}.",
            done.len()
        );
        d.err(50, message, &[], o, Some(&id));
        return None;
    }
    let code = done[0].el.child("value").and_then(|v| v.attr("code")).unwrap_or("");
    match code {
        "Y" => Some(Entry::Boolean { id, value: true, at: o.clone() }),
        "N" => Some(Entry::Boolean { id, value: false, at: o.clone() }),
        other => {
            let message = format!("{id}: \"measure performed\" must be Y or N, not \"{other}\".");
            d.err(51, message, &[], &done[0], Some(&id));
            None
        }
    }
}

/// A Promoting Interoperability proportion: one numerator and one denominator count.
fn proportion<'a>(d: &mut Decoder, o: &At<'a>) -> Option<Entry<'a>> {
    let id = measure_id(o).unwrap_or_default();
    let mut counts = [None, None];
    for (i, (root, word)) in [(PI_NUMERATOR, "Numerator"), (PI_DENOMINATOR, "Denominator")].into_iter().enumerate() {
        let parts = o.with_template(&["component", "observation"], &[root]);
        if parts.len() != 1 {
            let message = format!("{id} must have exactly one {word} (templateId {root}); it has {}.", parts.len());
            d.err(18, message, &[word], parts.get(1).unwrap_or(o), Some(&id));
        }
        for part in &parts {
            let count = pi_count(d, part, &id, word);
            if parts.len() == 1 {
                counts[i] = count;
            }
        }
    }
    let [Some(numerator), Some(denominator)] = counts else { return None };
    Some(Entry::Proportion { id, numerator, denominator, at: o.clone() })
}

/// The one aggregate count of a PI numerator or denominator: a whole number of 0 or more.
fn pi_count(d: &mut Decoder, part: &At, id: &str, word: &str) -> Option<i64> {
    let aggregate = part.with_template(&["entryRelationship", "observation"], &[AGGREGATE_COUNT]);
    let value = aggregate.first().and_then(|a| a.el.child("value")).and_then(|v| v.attr("value")).unwrap_or("");
    match value.trim().parse::<i64>() {
        Ok(n) if n >= 0 && aggregate.len() == 1 => return Some(n),
        _ if aggregate.len() != 1 => {
            let message =
                format!("{id}: the {word} must have exactly one aggregate count; it has {}.", aggregate.len());
            d.err(39, message, &[word], part, Some(id));
        }
        _ if value.trim().is_empty() => {
            let message = format!("{id}: the {word} count has no value.");
            d.err(42, message, &[word, value], part, Some(id));
        }
        _ => {
            let message = format!("{id}: the {word} count \"{value}\" must be a whole number of 0 or more.");
            d.err(41, message, &[word, value], part, Some(id));
        }
    }
    None
}

fn quality_measure<'a>(d: &mut Decoder, o: &At<'a>) -> QualityMeasure<'a> {
    let uuid = o
        .down(&["reference", "externalDocument", "id"])
        .into_iter()
        .find(|i| i.el.attr("root") == Some(EMEASURE_ROOT))
        .and_then(|i| i.el.attr("extension").map(str::to_string))
        .unwrap_or_default();
    let mut populations = vec![];
    for p in o.with_template(&["component", "observation"], &[MEASURE_DATA]) {
        let kind = p.el.child("value").and_then(|v| v.attr("code")).unwrap_or("").to_ascii_uppercase();
        let pop_uuid = p
            .first(&["reference", "externalObservation", "id"])
            .and_then(|i| i.el.attr("root").map(str::to_ascii_uppercase))
            .unwrap_or_default();
        let counts = p.with_template(&["entryRelationship", "observation"], &[AGGREGATE_COUNT]);
        let count = match counts.as_slice() {
            [] => {
                let message = format!("Population {kind} ({pop_uuid}) of eCQM {uuid} has no aggregate count.");
                d.err(52, message, &[&pop_uuid], &p, None);
                None
            }
            [one] => count_of(d, one, &pop_uuid, &kind),
            many => {
                let message = format!(
                    "Population {kind} ({pop_uuid}) has {} aggregate counts; it may have only one.",
                    many.len()
                );
                d.err(8, message, &[&p.el.name, &many.len().to_string()], &p, None);
                None
            }
        };
        populations.push(Population { kind, uuid: pop_uuid, count, at: p });
    }
    for r in o.with_template(&["component", "observation"], &PERFORMANCE_RATES) {
        let Some(v) = r.el.child("value") else { continue };
        if v.attr("nullFlavor").is_some() {
            continue;
        }
        let raw = v.attr("value").unwrap_or("");
        if !raw.trim().parse::<f64>().is_ok_and(|x| (0.0..=1.0).contains(&x)) {
            let message = format!("The performance rate \"{raw}\" of eCQM {uuid} must be a decimal from 0 to 1.");
            d.err(33, message, &[raw], &r, None);
        }
    }
    QualityMeasure { uuid, populations, at: o.clone() }
}

/// An aggregate count: one value, a whole number of 0 or more.
fn count_of(d: &mut Decoder, a: &At, uuid: &str, kind: &str) -> Option<i64> {
    let values = a.el.children.iter().filter(|c| c.name == "value").count();
    if values != 1 {
        let message =
            format!("The aggregate count of population {kind} ({uuid}) has {values} values; it must have exactly one.");
        d.err(8, message, &[&a.el.name, &values.to_string()], a, None);
        return None;
    }
    let raw = a.el.child("value").and_then(|v| v.attr("value")).unwrap_or("").trim().to_string();
    match raw.parse::<i64>() {
        Ok(n) if n >= 0 => Some(n),
        Ok(_) => {
            let message = format!("Population {kind} ({uuid}) has the count {raw}; a count can't be negative.");
            d.err(53, message, &[uuid], a, None);
            None
        }
        Err(_) => {
            let message = format!("Population {kind} ({uuid}) has the count \"{raw}\", which is not a whole number.");
            d.err(9, message, &[], a, None);
            None
        }
    }
}
