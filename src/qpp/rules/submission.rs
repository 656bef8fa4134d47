//! One submission: who it is for (entity, TIN, NPI, entity ID), its performance year, and its
//! measurement sets. The shared helpers every level uses (`err`, `warn`, `fields`, …) are here.

use super::super::catalogue::Index;
use super::super::json::{Node, Pos, Value};
use super::report::{Catalogues, Evidence, Severity, SubmissionSummary, FIRST_YEAR, LAST_YEAR};
use super::sink::Sink;
use super::vocabulary::*;
use crate::domain::entity::EntityType;

pub(super) struct Submission<'r, 's> {
    pub(super) sink: &'r mut Sink<'s>,
    pub(super) catalogues: &'r dyn Catalogues,
    /// The path of the submission itself: "" or "[i]".
    pub(super) path: String,
    pub(super) index: usize,
    pub(super) missing_years: &'r mut Vec<u16>,
}

/// What a measurement set's checks need to know about its submission.
pub(super) struct SetContext<'c> {
    pub(super) year: Option<u16>,
    pub(super) catalogue: Option<&'c Index>,
    pub(super) entity_type: Option<String>,
}

impl<'r, 's> Submission<'r, 's> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn err(
        &mut self, code: &str, pos: Pos, path: &str, measure: Option<&str>, message: String, api: Option<String>,
        hint: Option<String>, evidence: Evidence,
    ) {
        self.sink.emit(Severity::Error, code, pos, path, Some(self.index), measure, message, api, hint, evidence)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn warn(
        &mut self, code: &str, pos: Pos, path: &str, measure: Option<&str>, message: String, hint: Option<String>,
        evidence: Evidence,
    ) {
        self.sink.emit(Severity::Warning, code, pos, path, Some(self.index), measure, message, None, hint, evidence)
    }

    /// Flags duplicate, read-only and unknown fields of an object.
    pub(super) fn fields(&mut self, obj: &[(Node, Node)], path: &str, known: Known, measure: Option<&str>) {
        let is_known = |name: &str| known.iter().any(|list| list.contains(&name));
        for (i, (k, _)) in obj.iter().enumerate() {
            let Some(name) = k.as_str() else { continue };
            // Known fields are the common case: no allocation for them.
            if is_known(name) && !obj[..i].iter().any(|(o, _)| o.as_str() == Some(name)) {
                continue;
            }
            let p = join(path, name);
            if obj[..i].iter().any(|(o, _)| o.as_str() == Some(name)) {
                self.err("DuplicateField", k.pos, &p, measure, format!("The field '{name}' appears twice here. JSON readers keep only the last one, so one of the two values is silently lost."), None, Some(format!("Keep one '{name}'.")), Evidence::Inferred);
            } else if is_known(name) {
            } else if READ_ONLY.contains(&name) {
                let message = format!("'{name}' is set by CMS, not by the sender; it will be ignored.");
                let hint = Some(format!("Remove '{name}'."));
                self.warn("ReadOnlyField", k.pos, &p, measure, message, hint, Evidence::Documented);
            } else {
                let hint = match closest_in(name, known.iter().flat_map(|list| list.iter().copied())) {
                    Some(k) => format!("Did you mean '{k}'? Field names are case-sensitive."),
                    None => format!("QPP JSON has no field '{name}' here: remove it."),
                };
                let message =
                    format!("'{name}' is not a QPP JSON field here. The Submissions API may refuse or ignore it.");
                self.warn("UnknownField", k.pos, &p, measure, message, Some(hint), Evidence::Inferred);
            }
        }
    }

    pub(super) fn missing(&mut self, at: &Node, path: &str, field: &str, measure: Option<&str>, why: &str) {
        let p = join(path, field);
        let api = format!("field '{field}' in {} is missing", api_place(path));
        let message = format!("'{field}' is missing. {why}");
        let hint = Some(format!("Add \"{field}\" to this object."));
        self.err("MissingField", at.pos, &p, measure, message, Some(api), hint, Evidence::Confirmed);
    }

    /// `None`, after reporting a required field (`required_because`) that is absent; a field of
    /// the wrong type has been reported already.
    pub(super) fn absent<T>(&mut self, node: &Node, path: &str, field: &str) -> Option<T> {
        if node.get(field).is_none() {
            self.missing(node, path, field, None, required_because(field));
        }
        None
    }

    pub(super) fn wrong_type(
        &mut self, node: &Node, path: &str, measure: Option<&str>, expected: &str, hint: Option<String>,
    ) {
        let field = path.rsplit('.').next().unwrap_or(path);
        let api = format!(
            "field '{field}' in {} is invalid: {} is not {expected}",
            api_place(path.rsplit_once('.').map(|(b, _)| b).unwrap_or("")),
            snippet(node)
        );
        let message = format!("'{field}' must be {expected}, but it is {} {}.", article(node.kind()), node.kind());
        self.err("WrongType", node.pos, path, measure, message, Some(api), hint, Evidence::Documented);
    }

    /// A string field; reports a wrong type. `None` if absent, null or not a string.
    pub(super) fn string<'n>(
        &mut self, obj: &'n Node, path: &str, field: &str, measure: Option<&str>,
    ) -> Option<(&'n str, Pos)> {
        let v = obj.get(field)?;
        match &v.value {
            Value::String(s) => Some((s, v.pos)),
            Value::Null => None,
            _ => {
                let hint = (v.kind() == "number").then(|| format!("Write it in double quotes: \"{}\".", snippet(v)));
                self.wrong_type(v, &join(path, field), measure, "a string", hint);
                None
            }
        }
    }

    pub(super) fn check(&mut self, node: &Node, summary: &mut SubmissionSummary) {
        let path = self.path.clone();
        let Value::Object(members) = &node.value else {
            let message = format!(
                "Expected a submission object {{ … }} here, but found {} {}.",
                article(node.kind()),
                node.kind()
            );
            let hint =
                Some("A QPP JSON file holds one submission object, or an array [ … ] of submission objects.".into());
            self.err("NotASubmission", node.pos, &path, None, message, None, hint, Evidence::Documented);
            return;
        };
        // The Submissions API answers with {"data": {"submission": …}}: a file saved from a
        // response, or a scoring request, wraps the submission. Say so, then check the inside.
        if let Some(inner) =
            node.get("data").and_then(|d| d.get("submission")).filter(|_| node.get("entityType").is_none())
        {
            self.err("WrappedSubmission", node.pos, &path, None, "The submission is wrapped in {\"data\": {\"submission\": …}}, as in an API response. A file holds the submission object itself.".into(), None, Some("Save only the object inside data.submission.".into()), Evidence::Documented);
            self.path = join(&path, "data.submission");
            self.check(inner, summary);
            self.path = path;
            return;
        }
        self.fields(members, &path, SUBMISSION_FIELDS, None);

        let entity_type = self.entity_type(node, &path);
        summary.entity_type = entity_type.as_deref().and_then(EntityType::from_code);
        let kind = summary.entity_type;
        let at = Ident { node, path: &path, et: kind };
        summary.taxpayer_identification_number = self.identifier(at, TIN, Self::check_tin);
        summary.national_provider_identifier = self.identifier(at, NPI, Self::check_npi);
        summary.entity_id = self.identifier(at, "entityId", Self::check_entity_id);
        let year = self.performance_year(node, &path, summary);
        let catalogue = year.and_then(|y| {
            let c = self.catalogues.get(y);
            if c.is_none() {
                self.missing_years.push(y);
            }
            c
        });

        if let Some(p) = node.get("programName") {
            self.warn("LegacyProgramName", p.pos, &join(&path, "programName"), None, "programName at the top of a submission is a legacy field; the program is read from each measurement set (default mips).".into(), Some("Move programName into each measurement set.".into()), Evidence::Documented);
        }

        let ctx = SetContext { year, catalogue, entity_type };
        self.measurement_sets(node, &path, &ctx, summary);
    }

    fn entity_type(&mut self, node: &Node, path: &str) -> Option<String> {
        // Entity.
        match self.string(node, path, "entityType", None) {
            Some((et, _)) if EntityType::from_code(et).is_some() => Some(et.to_owned()),
            Some((et, pos)) => {
                let codes = EntityType::ALL.map(EntityType::code);
                let hint = did_you_mean(et, &codes, "Use individual, group, virtualGroup, apm or subgroup.");
                self.err("InvalidEntityType", pos, &join(path, "entityType"), None, format!("\"{et}\" is not an entity type. It must be one of individual, group, virtualGroup, apm or subgroup."), Some(format!("field 'entityType' in Submission is invalid: \"{et}\" is not one of the allowed values")), Some(hint), Evidence::Documented);
                None
            }
            None => self.absent(node, path, "entityType"),
        }
    }

    /// One identifying field: read, checked by `check` when present, and reported missing when the
    /// entity type is identified by it. `None` when absent.
    fn identifier(&mut self, at: Ident<'_>, field: &str, check: fn(&mut Self, &str, Pos, Ident<'_>)) -> Option<String> {
        let Ident { node, path, et } = at;
        if let Some((v, pos)) = self.string(node, path, field, None) {
            let v = v.to_owned();
            check(self, &v, pos, at);
            return Some(v);
        }
        if let Some(why) = et.and_then(|kind| identified_by(kind, field)) {
            if node.get(field).is_none() {
                self.missing(node, path, field, None, &why);
            }
        }
        None
    }

    /// A TIN is 9 digits, and read only for groups and individuals.
    fn check_tin(&mut self, t: &str, pos: Pos, at: Ident<'_>) {
        let p = join(at.path, TIN);
        if !is_digits(t, 9) {
            let hint = if t.bytes().filter(u8::is_ascii_digit).count() == 9 {
                "Remove the dashes and spaces: the TIN is 9 digits only.".to_string()
            } else if t.bytes().all(|b| b.is_ascii_digit()) && t.len() < 9 {
                "Leading zeros count: a TIN is exactly 9 digits, e.g. \"000123456\".".to_string()
            } else {
                "A TIN is exactly 9 digits, written as a string.".to_string()
            };
            let message = format!("The TIN \"{t}\" is not 9 digits.");
            let api = Some(format!(
                "field 'taxpayerIdentificationNumber' in Submission is invalid: \"{t}\" must be a 9-digit string"
            ));
            self.err("InvalidTin", pos, &p, None, message, api, Some(hint), Evidence::Documented);
        } else if let Some(kind) = at.et.filter(|k| k.is_named_by_id()) {
            let msg = format!(
                "A TIN is only read for individual and group submissions; for entity type {} it is ignored.",
                kind.code()
            );
            let hint = Some("Identify this entity by entityId.".into());
            self.warn("TinNotUsed", pos, &p, None, msg, hint, Evidence::Documented);
        }
    }

    /// An NPI is given for individuals only, is 10 digits and should pass the check digit.
    fn check_npi(&mut self, n: &str, pos: Pos, at: Ident<'_>) {
        let p = join(at.path, NPI);
        if let Some(kind) = at.et.filter(|k| matches!(k, EntityType::Group | EntityType::Apm | EntityType::Subgroup)) {
            self.err("NpiNotAllowed", pos, &p, None, format!("An NPI may only be given when entityType is individual; this submission is for a {}.", kind.code()), Some("field 'nationalProviderIdentifier' in Submission is invalid: writable only if entityType is individual".into()), Some(format!("Remove the NPI {n}, or set entityType to \"individual\" if this is one clinician's data.")), Evidence::Documented);
        } else if !is_digits(n, 10) {
            let message = format!("The NPI \"{n}\" is not 10 digits.");
            let api = Some(format!(
                "field 'nationalProviderIdentifier' in Submission is invalid: \"{n}\" must be a 10-digit string"
            ));
            let hint = Some("An NPI is exactly 10 digits, written as a string.".into());
            self.err("InvalidNpi", pos, &p, None, message, api, hint, Evidence::Documented);
        } else if !npi_check_digit_ok(n) {
            self.warn("NpiCheckDigit", pos, &p, None, format!("The NPI {n} fails the NPI check digit (Luhn with prefix 80840): it is probably mistyped. CMS's test NPIs often fail this check, so it is not an error."), Some("Compare the NPI with NPPES.".into()), Evidence::Inferred);
        }
    }

    /// An entity ID names APM Entities, virtual groups and subgroups, and is ignored otherwise.
    fn check_entity_id(&mut self, id: &str, pos: Pos, at: Ident<'_>) {
        let p = join(at.path, "entityId");
        match at.et {
            Some(kind) if kind.is_named_by_id() && id.trim().is_empty() => {
                let hint = Some("Give the APM Entity, virtual group or subgroup ID.".into());
                let message = "entityId is empty.".into();
                self.err("EntityIdRequired", pos, &p, None, message, None, hint, Evidence::Documented);
            }
            Some(EntityType::Individual | EntityType::Group) => {
                let msg = "entityId is only read for apm, virtualGroup and subgroup submissions; here it is ignored.";
                let message = msg.into();
                let hint = Some("Remove entityId.".into());
                self.warn("EntityIdNotUsed", pos, &p, None, message, hint, Evidence::Documented);
            }
            _ => {}
        }
    }

    /// The performance year when it is one with a catalogue; the summary gets whatever was written.
    fn performance_year(&mut self, node: &Node, path: &str, summary: &mut SubmissionSummary) -> Option<u16> {
        // Performance year.
        let year_path = join(path, "performanceYear");
        let mut year: Option<u16> = None;
        match node.get("performanceYear") {
            None => self.missing(
                node,
                path,
                "performanceYear",
                None,
                "Say which performance year the data is for, e.g. 2025.",
            ),
            Some(v) => match &v.value {
                Value::Number { value, .. } if value.fract() == 0.0 => {
                    let y = *value as i64;
                    summary.performance_year = Some(y);
                    if !(2017..=2100).contains(&y) {
                        let message = format!("{y} is not a QPP performance year (the program began in 2017).");
                        let hint = Some("Write the year the data is for, e.g. 2025.".into());
                        self.err(
                            "InvalidPerformanceYear",
                            v.pos,
                            &year_path,
                            None,
                            message,
                            None,
                            hint,
                            Evidence::Documented,
                        );
                    } else if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
                        self.err("PerformanceYearNotSupported", v.pos, &year_path, None, format!("This app checks performance years {FIRST_YEAR}–{LAST_YEAR}; {y} is outside them, so its measures can't be checked."), None, None, Evidence::Application);
                    } else {
                        year = Some(y as u16);
                    }
                }
                Value::String(s) if s.contains("performanceYear") || s.contains('<') => {
                    self.err("PerformanceYearPlaceholder", v.pos, &year_path, None, format!("performanceYear still holds the placeholder \"{s}\" from CMS's example."), Some(format!("field 'performanceYear' in Submission is invalid: \"{s}\" is not a number")), Some("Replace the placeholder with the year as a number, e.g. 2025 (also in performanceStart and performanceEnd).".into()), Evidence::Documented);
                }
                Value::String(s) if s.parse::<i64>().is_ok() => {
                    summary.performance_year = s.parse().ok();
                    self.wrong_type(v, &year_path, None, "a whole number", Some(format!("Write {s} without quotes.")));
                }
                _ => self.wrong_type(
                    v,
                    &year_path,
                    None,
                    "a whole number",
                    Some("Write the year as a number, e.g. 2025.".into()),
                ),
            },
        }
        year
    }

    fn measurement_sets(&mut self, node: &Node, path: &str, ctx: &SetContext, summary: &mut SubmissionSummary) {
        let sets_path = join(path, "measurementSets");
        // No sets, or an empty list: CMS answers both with one message.
        let none = match node.get("measurementSets") {
            None => Some((
                node.pos,
                "The submission has no measurementSets",
                "Add \"measurementSets\": [ … ] with at least one set.",
            )),
            Some(n) if n.as_array().is_some_and(|a| a.is_empty()) => {
                Some((n.pos, "measurementSets is empty", "Add at least one measurement set."))
            }
            _ => None,
        };
        if let Some((pos, what, hint)) = none {
            let message = format!("{what}, so the submission holds no data to submit.");
            let api = Some("At least one measurementSet must be defined to use this functionality".into());
            self.err("NoMeasurementSets", pos, &sets_path, None, message, api, Some(hint.into()), Evidence::Documented);
        }
        let Some(sets_node) = node.get("measurementSets") else { return };
        let Some(sets) = sets_node.as_array() else {
            self.wrong_type(sets_node, &sets_path, None, "an array", None);
            return;
        };
        let mut keys: Vec<(String, String, String, usize)> = vec![];
        for (i, set) in sets.iter().enumerate() {
            let sp = format!("{sets_path}[{i}]");
            let summary_set = self.measurement_set(set, &sp, ctx);
            if let Some(s) = summary_set {
                if let (Some(c), Some(m)) = (&s.category, &s.submission_method) {
                    if let Some((_, _, _, first)) =
                        keys.iter().find(|(kc, km, kp, _)| kc == c && km == m && *kp == s.program_name)
                    {
                        let msg = format!("There is already a {c} / {m} / {} measurement set at measurementSets[{first}]. Each measurement set in a submission is identified by category, submission method and program.", s.program_name);
                        let api = Some(format!(
                            "Category/SubmissionMethod/ProgramName {c}/{m}/{} already exists for this submission",
                            s.program_name
                        ));
                        let hint = Some("Merge the measurements into one set.".into());
                        self.err("DuplicateMeasurementSet", set.pos, &sp, None, msg, api, hint, Evidence::Documented);
                    } else {
                        keys.push((c.clone(), m.clone(), s.program_name.clone(), i));
                    }
                }
                summary.measurement_sets.push(s);
            }
        }
    }
}

const TIN: &str = "taxpayerIdentificationNumber";
const NPI: &str = "nationalProviderIdentifier";

/// A submission's identifying fields are read in: the object, its path and its entity type.
#[derive(Clone, Copy)]
struct Ident<'a> {
    node: &'a Node<'a>,
    path: &'a str,
    et: Option<EntityType>,
}

/// Why an entity type needs `field` (the sentence for a missing one); `None` when it doesn't.
fn identified_by(kind: EntityType, field: &str) -> Option<String> {
    match (field, kind) {
        (TIN, EntityType::Individual | EntityType::Group) => {
            Some("Individual and group submissions are identified by their 9-digit TIN.".into())
        }
        (NPI, EntityType::Individual) => {
            Some("An individual submission is for one clinician, identified by TIN and 10-digit NPI.".into())
        }
        ("entityId", kind) if kind.is_named_by_id() => {
            let what = match kind {
                EntityType::Apm => "APM Entity ID",
                EntityType::VirtualGroup => "virtual group ID",
                _ => "subgroup ID",
            };
            Some(format!("A {} submission is identified by its {what} in entityId.", kind.code()))
        }
        _ => None,
    }
}
