//! One measurement: its measure in the year's catalogue (category, method, program, MVP) and
//! its value, whose shape the measure's metric type decides.

use super::super::catalogue::Measure;
use super::super::json::{Node, Value};
use super::report::Evidence;
use super::submission::{SetContext, Submission};
use super::vocabulary::*;
use crate::domain::entity::category_label;

/// Where a value's fields are read: the object, its path, and the measure it belongs to.
#[derive(Clone, Copy)]
pub(super) struct Within<'a> {
    pub obj: &'a Node<'a>,
    pub path: &'a str,
    pub mid: Option<&'a str>,
}

/// Where a measurement is and what its set says, for `measure_fits`.
struct MeasureUse<'a> {
    path: &'a str,
    id_pos: super::super::json::Pos,
    ctx: &'a SetContext<'a>,
    category: Option<&'a str>,
    method: Option<&'a str>,
    program: &'a str,
    mvp: Option<&'a str>,
}

impl Submission<'_, '_> {
    /// Checks one measurement; returns its measure ID if it has one.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn measurement(
        &mut self, m: &Node, path: &str, ctx: &SetContext, category: Option<&str>, method: Option<&str>, program: &str,
        mvp: Option<&str>,
    ) -> Option<String> {
        let Value::Object(members) = &m.value else {
            self.wrong_type(m, path, None, "an object", None);
            return None;
        };
        let id = match self.string(m, path, "measureId", None) {
            Some((id, _)) => id.to_owned(),
            None => {
                if m.get("measureId").is_none() {
                    self.missing(m, path, "measureId", None, "Each measurement names its measure.");
                }
                return None;
            }
        };
        let mid = Some(id.as_str());
        self.fields(members, path, MEASUREMENT_FIELDS, mid);
        let id_pos = m.get("measureId").map(|n| n.pos).unwrap_or(m.pos);
        let value = m.get("value");
        if value.is_none() {
            self.missing(m, path, "value", mid, "Each measurement carries its data in value.");
        }
        let (Some(cat), Some(year)) = (ctx.catalogue, ctx.year) else { return Some(id) };
        let Some(measure) = cat.measure(&id) else {
            let hint = match cat.suggestion(&id) {
                Some(s) => format!("Did you mean {s}? Measure IDs are exact, including case and leading zeros."),
                None => format!("Check the measure ID against CMS's measures list for {year}."),
            };
            let message = format!("{id} is not a measure in performance year {year}.");
            let api = Some("invalid measureId, see mips-data-format for list of valid measureIds.".into());
            let place = join(path, "measureId");
            self.err("UnknownMeasure", id_pos, &place, mid, message, api, Some(hint), Evidence::Confirmed);
            return Some(id);
        };
        if !self.measure_fits(measure, MeasureUse { path, id_pos, ctx, category, method, program, mvp }) {
            return Some(id);
        }
        if let Some(v) = value {
            self.value(v, &join(path, "value"), path, measure, method);
        }
        Some(id)
    }

    /// The value's shape is decided by the measure's metricType in CMS's measures data.
    pub(super) fn value(&mut self, v: &Node, vp: &str, mpath: &str, measure: &Measure, method: Option<&str>) {
        let id = measure.id.as_str();
        let mid = Some(id);
        let shape_error = |s: &mut Self, expected: &str| {
            let api = format!(
                "field 'value' in {} is invalid: {} is invalid for measureId {id}",
                api_place(mpath),
                snippet(v)
            );
            s.err(
                "InvalidValue",
                v.pos,
                vp,
                mid,
                format!("Measure {id} takes {expected}, but the value is {} {}.", article(v.kind()), v.kind()),
                Some(api),
                Some(value_hint(&measure.metric_type).into()),
                Evidence::Confirmed,
            );
        };
        let at = Within { obj: v, path: vp, mid };
        match measure.metric_type.as_str() {
            "boolean" => {
                if !matches!(v.value, Value::Bool(_)) {
                    shape_error(self, "true or false");
                }
            }
            "proportion" => {
                let Value::Object(members) = &v.value else {
                    return shape_error(self, "a numerator and a denominator");
                };
                self.fields(members, vp, PROPORTION_FIELDS, mid);
                let n = self.count(at, "numerator", true);
                let d = self.count(at, "denominator", true);
                if let (Some(n), Some(d)) = (n, d) {
                    if n > d {
                        let pos = v.get("numerator").map(|x| x.pos).unwrap_or(v.pos);
                        let msg = if d == 0.0 {
                            format!("The denominator is 0, so the numerator must be 0 too (it is {n}).")
                        } else {
                            format!("The numerator ({n}) is larger than the denominator ({d}).")
                        };
                        let hint = Some("The numerator counts a subset of the denominator.".into());
                        let place = join(vp, "numerator");
                        self.err(
                            "NumeratorExceedsDenominator",
                            pos,
                            &place,
                            mid,
                            msg,
                            None,
                            hint,
                            Evidence::Documented,
                        );
                    }
                }
            }
            "singlePerformanceRate" | "registrySinglePerformanceRate" => {
                let Value::Object(members) = &v.value else {
                    return shape_error(self, "an object with performanceMet and eligiblePopulation");
                };
                if v.get("strata").is_some() {
                    return shape_error(self, "one performance rate (performanceMet, eligiblePopulation…), not strata");
                }
                self.fields(members, vp, SINGLE_FIELDS, mid);
                self.boolean(v, vp, "isEndToEndReported", mpath, mid);
                self.rate_counts(v, vp, mpath, measure, method);
            }
            "multiPerformanceRate" | "registryMultiPerformanceRate" => {
                let Value::Object(members) = &v.value else { return shape_error(self, "an object with strata") };
                if v.get("strata").is_none() && v.get("performanceMet").is_some() {
                    return shape_error(self, "several performance rates (strata), not one");
                }
                self.strata(v, members, vp, mpath, measure, method);
            }
            "nonProportion" => {
                let Value::Object(members) = &v.value else {
                    return shape_error(self, "numerator, denominator, isEndToEndReported and observationInstances");
                };
                self.fields(members, vp, NON_PROPORTION_FIELDS, mid);
                for f in ["numerator", "denominator"] {
                    self.number(at, f, true);
                }
                self.boolean(v, vp, "isEndToEndReported", mpath, mid);
                self.count(at, "observationInstances", true);
                for f in ["numeratorExclusion", "denominatorException"] {
                    self.number(at, f, false);
                }
            }
            other => {
                self.err("MeasureNotSubmittable", v.pos, vp, mid, format!("Measure {id} ({other}) is calculated by CMS or a survey vendor; third parties can't submit it."), None, Some(format!("Remove measure {id}.")), Evidence::Documented);
            }
        }
    }

    pub(super) fn boolean(&mut self, obj: &Node, path: &str, field: &str, mpath: &str, mid: Option<&str>) {
        match obj.get(field) {
            None => {
                let api = format!("field '{field}' in {} is missing", api_place(mpath));
                self.err("MissingField", obj.pos, &join(path, field), mid, format!("'{field}' is missing: say whether the data came straight from the EHR to the submission without manual steps (true or false)."), Some(api), Some(format!("Add \"{field}\": true or false.")), Evidence::Confirmed);
            }
            Some(v) if !matches!(v.value, Value::Bool(_)) => {
                self.wrong_type(v, &join(path, field), mid, "true or false", None)
            }
            _ => {}
        }
    }

    /// A number field (any finite value). Returns it.
    pub(super) fn number(&mut self, at: Within<'_>, field: &str, required: bool) -> Option<f64> {
        let Within { obj, path, mid } = at;
        match obj.get(field) {
            None => {
                if required {
                    self.missing(obj, path, field, mid, "");
                }
                None
            }
            Some(v) => match &v.value {
                Value::Number { value, .. } => Some(*value),
                Value::Null if !required => None,
                _ => {
                    let hint =
                        matches!(v.value, Value::String(_)).then(|| "Write the number without quotes.".to_string());
                    self.wrong_type(v, &join(path, field), mid, "a number", hint);
                    None
                }
            },
        }
    }

    /// A count: a whole number ≥ 0 (`100.0` counts as whole: the API is JavaScript).
    pub(super) fn count(&mut self, at: Within<'_>, field: &str, required: bool) -> Option<f64> {
        let Within { obj, path, mid } = at;
        let n = self.number(at, field, required)?;
        if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) {
            return Some(n);
        }
        let v = obj.get(field).expect("number() found it");
        let p = join(path, field);
        if n.fract() != 0.0 {
            let message =
                format!("'{field}' is {}, but it counts patients or cases, so it must be a whole number.", snippet(v));
            let api =
                Some(format!("field '{field}' in {} is invalid: {} is not an integer", api_place(path), snippet(v)));
            self.err("NotAWholeNumber", v.pos, &p, mid, message, api, None, Evidence::Documented);
            None
        } else if n < 0.0 {
            let message = format!("'{field}' is {}; a count can't be negative.", snippet(v));
            let api = Some(format!(
                "field '{field}' in {} is invalid: {} must be greater than or equal to 0",
                api_place(path),
                snippet(v)
            ));
            self.err("NegativeCount", v.pos, &p, mid, message, api, None, Evidence::Documented);
            None
        } else if n > MAX_SAFE_INTEGER {
            let message = format!("'{field}' is {}, too large to be a count.", snippet(v));
            self.err("NumberOutOfRange", v.pos, &p, mid, message, None, None, Evidence::Documented);
            None
        } else {
            Some(n)
        }
    }

    /// The counts of one performance rate (a single-rate value or one stratum), and their
    /// arithmetic.
    pub(super) fn rate_counts(&mut self, v: &Node, vp: &str, place: &str, measure: &Measure, method: Option<&str>) {
        let mid = Some(measure.id.as_str());
        let at = Within { obj: v, path: vp, mid };
        let met = self.count(at, "performanceMet", true);
        let ep = self.count(at, "eligiblePopulation", true);
        let not_met = self.count(at, "performanceNotMet", false);
        let excl = self.count(at, "eligiblePopulationExclusion", false);
        let exc = self.count(at, "eligiblePopulationException", false);
        if measure.metric_type.starts_with("registry") {
            self.count(at, "numeratorExclusion", false);
            match self.number(at, "performanceRate", true) {
                Some(r) if !(0.0..=100.0).contains(&r) => {
                    let n = v.get("performanceRate").expect("found");
                    let message = format!("performanceRate is {}; it is a percentage from 0 to 100.", snippet(n));
                    let hint = Some("Write e.g. 87.5 for 87.5%, not 0.875 or a negative number.".into());
                    let place = join(vp, "performanceRate");
                    self.err(
                        "PerformanceRateOutOfRange",
                        n.pos,
                        &place,
                        mid,
                        message,
                        None,
                        hint,
                        Evidence::Documented,
                    );
                }
                _ => {}
            }
        }
        let (Some(met), Some(ep)) = (met, ep) else { return };
        if met > ep {
            let pos = v.get("performanceMet").map(|n| n.pos).unwrap_or(v.pos);
            let message = format!("performanceMet ({met}) is larger than eligiblePopulation ({ep}).");
            let api = Some(format!(
                "field 'performanceMet' in {} is invalid: must be less than or equal to eligiblePopulation",
                api_place(place)
            ));
            let hint = Some("performanceMet counts patients of the eligible population who met the measure.".into());
            let place = join(vp, "performanceMet");
            self.err(
                "PerformanceMetExceedsEligiblePopulation",
                pos,
                &place,
                mid,
                message,
                api,
                hint,
                Evidence::Documented,
            );
        } else if met + not_met.unwrap_or(0.0) + excl.unwrap_or(0.0) + exc.unwrap_or(0.0) > ep {
            let sum = met + not_met.unwrap_or(0.0) + excl.unwrap_or(0.0) + exc.unwrap_or(0.0);
            let api = format!("fields 'performanceNotMet, eligiblePopulationException, eligiblePopulationExclusion, eligiblePopulation' in {} are invalid: The sum of performanceMet, performanceNotMet, eligiblePopulationException and eligiblePopulationExclusion must not exceed eligiblePopulation", api_place(place));
            self.err("SumExceedsEligiblePopulation", v.pos, vp, mid, format!("performanceMet + performanceNotMet + eligiblePopulationException + eligiblePopulationExclusion is {sum}, more than eligiblePopulation ({ep})."), Some(api), Some("Each patient of the eligible population is counted in at most one of the four.".into()), Evidence::Confirmed);
        }
        let is_cqm = method == Some("registry") && measure.category == "quality" && !measure.qcdr;
        if is_cqm && excl.is_some_and(|e| e != 0.0) {
            let pos = v.get("eligiblePopulationExclusion").map(|n| n.pos).unwrap_or(v.pos);
            self.err("CqmExclusionNotZero", pos, &join(vp, "eligiblePopulationExclusion"), mid, format!("For MIPS CQM {} eligiblePopulationExclusion must be 0 or null: CQM denominator exclusions are taken out of eligiblePopulation before it is reported.", measure.id), None, Some("Subtract the excluded patients from eligiblePopulation and set eligiblePopulationExclusion to 0.".into()), Evidence::Documented);
        }
        if method == Some("electronicHealthRecord") {
            if let Some(nm) = not_met {
                let expected = ep - met - excl.unwrap_or(0.0) - exc.unwrap_or(0.0);
                if expected >= 0.0 && nm != expected {
                    let pos = v.get("performanceNotMet").map(|n| n.pos).unwrap_or(v.pos);
                    self.warn("PerformanceNotMetMismatch", pos, &join(vp, "performanceNotMet"), mid, format!("performanceNotMet is {nm}, but eligiblePopulation − performanceMet − exclusions − exceptions is {expected}."), Some("CMS's conversion tool computes performanceNotMet that way for eCQMs.".into()), Evidence::Inferred);
                }
            }
        }
    }

    /// A multi-performance-rate value: one rate per stratum, each stratum named once.
    fn strata(
        &mut self, v: &Node, members: &[(Node, Node)], vp: &str, mpath: &str, measure: &Measure, method: Option<&str>,
    ) {
        let id = measure.id.as_str();
        let mid = Some(id);
        self.fields(members, vp, &[&["isEndToEndReported", "strata"]], mid);
        self.boolean(v, vp, "isEndToEndReported", mpath, mid);
        let Some(strata_node) = v.get("strata") else {
            let why = &format!("Measure {id} is reported per stratum: {}.", measure.strata.join(", "));
            self.missing(v, vp, "strata", mid, why);
            return;
        };
        let Some(strata) = strata_node.as_array() else {
            self.wrong_type(strata_node, &join(vp, "strata"), mid, "an array", None);
            return;
        };
        let qcdr = measure.metric_type == "registryMultiPerformanceRate";
        let mut names: Vec<String> = vec![];
        for (k, s) in strata.iter().enumerate() {
            let sp = format!("{vp}.strata[{k}]");
            let Value::Object(members) = &s.value else {
                self.wrong_type(s, &sp, mid, "an object", None);
                continue;
            };
            self.fields(members, &sp, STRATUM_FIELDS, mid);
            match self.string(s, &sp, "stratum", mid) {
                Some((name, pos)) => {
                    let np = join(&sp, "stratum");
                    if names.iter().any(|n| n == name) {
                        let message = format!("Stratum \"{name}\" of measure {id} appears twice.");
                        let hint = Some("Report each stratum once.".into());
                        self.err("DuplicateStratum", pos, &np, mid, message, None, hint, Evidence::Documented);
                    } else if !measure.strata.is_empty() && !measure.strata.iter().any(|n| n == name) {
                        if let Some(real) = measure.strata.iter().find(|n| n.eq_ignore_ascii_case(name)) {
                            self.warn("StratumNameCase", pos, &np, mid, format!("Stratum \"{name}\" of measure {id} is written \"{real}\" in CMS's measures data; whether CMS matches names case-sensitively is not known."), Some(format!("Write \"{real}\".")), Evidence::Inferred);
                            names.push(real.clone());
                        } else {
                            let message = format!("\"{name}\" is not a stratum of measure {id}.");
                            let hint = Some(format!("Measure {id}'s strata are: {}.", measure.strata.join(", ")));
                            self.err("InvalidStratum", pos, &np, mid, message, None, hint, Evidence::Documented);
                        }
                    } else {
                        names.push(name.to_owned());
                    }
                }
                None if s.get("stratum").is_none() => self.missing(
                    s,
                    &sp,
                    "stratum",
                    mid,
                    &format!("Each stratum names which of measure {id}'s strata it is: {}.", measure.strata.join(", ")),
                ),
                None => {}
            }
            self.rate_counts(s, &sp, &sp, measure, method);
        }
        let absent: Vec<&str> = measure.strata.iter().filter(|n| !names.contains(n)).map(String::as_str).collect();
        if !absent.is_empty() && !strata.is_empty() {
            let msg = format!("Measure {id} has {} strata; missing: {}.", measure.strata.len(), absent.join(", "));
            let hint = Some("Report every stratum (use 0 counts for an empty one).".to_string());
            if qcdr {
                let place = join(vp, "strata");
                self.err("MissingStrata", strata_node.pos, &place, mid, msg, None, hint, Evidence::Documented);
            } else {
                self.warn("MissingStrata", strata_node.pos, &join(vp, "strata"), mid, msg, hint, Evidence::Inferred);
            }
        }
    }

    /// Whether the measure may be in this set: its category, method, program and MVP.
    /// False when the value should not be checked (the measure is in the wrong category).
    fn measure_fits(&mut self, measure: &Measure, u: MeasureUse<'_>) -> bool {
        let MeasureUse { path, id_pos, ctx, category, method, program, mvp } = u;
        let (id, year) = (measure.id.as_str(), ctx.year.unwrap_or_default());
        let cat = ctx.catalogue.expect("checked by the caller");
        let mid = Some(id);
        if let Some(c) = category {
            if measure.category != c {
                let message = format!(
                    "Measure {id} belongs to the {} ({}) category, but this measurement set is {c}.",
                    category_label(&measure.category),
                    measure.category
                );
                let hint = Some(format!("Move {id} into a \"{}\" measurement set.", measure.category));
                let place = join(path, "measureId");
                self.err("MeasureCategoryMismatch", id_pos, &place, mid, message, None, hint, Evidence::Inferred);
                return false;
            }
        }
        if let Some(me) = method {
            if !measure.methods.is_empty() && !measure.methods.iter().any(|x| x == me) {
                let message = format!(
                    "Measure {id} can't be reported by {me} in {year}; CMS lists it for {}.",
                    measure.methods.join(", ")
                );
                let hint = Some("Move it to a set with one of those submission methods.".into());
                let place = join(path, "measureId");
                self.warn("MeasureMethodNotAllowed", id_pos, &place, mid, message, hint, Evidence::Inferred);
            }
        }
        if let Some(programs) = &measure.programs {
            if !programs.iter().any(|p| p == program) && cat.has_program(program) {
                let message = format!("Measure {id} can't be submitted to the {program} program in {year}.");
                let api = Some(format!("measure ID {id} is not allowed to be submitted to the {program} program.  Please remove the invalid measure from the measurement set."));
                let hint = Some("Remove the measure from this set.".into());
                let place = join(path, "measureId");
                self.err("MeasureProgramNotAllowed", id_pos, &place, mid, message, api, hint, Evidence::Confirmed);
            }
        }
        if let Some(mvp_id) = mvp {
            if let Some(def) = cat.mvp(mvp_id) {
                if !def.measures.iter().any(|x| *x == id) && measure.category != "pi" {
                    let message = format!("Measure {id} is not part of MVP {mvp_id}.");
                    let hint = Some("Report it under \"mips\", or choose the MVP's measures.".into());
                    let place = join(path, "measureId");
                    self.warn("MeasureNotInMvp", id_pos, &place, mid, message, hint, Evidence::Inferred);
                }
            }
            if let (Some(types), Some(et)) = (&measure.registration_types, ctx.entity_type.as_deref()) {
                if et != "virtualGroup" && !types.iter().any(|t| t == et) {
                    let message = format!("Measure {id} is not available to a {et} registered for an MVP.");
                    let place = join(path, "measureId");
                    self.warn("RegistrationTypeNotAllowed", id_pos, &place, mid, message, None, Evidence::Inferred);
                }
            }
        }
        true
    }
}
