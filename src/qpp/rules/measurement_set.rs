//! One measurement set: category, submission method, program, CEHRT ID, performance period,
//! removed fields, its measurements, and the Promoting Interoperability requirements.

use super::super::catalogue::Index;
use super::super::json::{Node, Pos, Value};
use super::report::{Evidence, SetSummary};
use super::submission::{SetContext, Submission};
use super::vocabulary::*;

impl Submission<'_, '_> {
    pub(super) fn measurement_set(&mut self, set: &Node, sp: &str, ctx: &SetContext) -> Option<SetSummary> {
        let Value::Object(members) = &set.value else {
            self.wrong_type(set, sp, None, "an object", None);
            return None;
        };
        self.fields(members, sp, SET_FIELDS, None);
        let mut summary = SetSummary { program_name: "mips".into(), ..Default::default() };
        summary.category = self.set_category(set, sp);
        summary.submission_method = self.set_method(set, sp);
        let program_is_mvp = self.set_program(set, sp, ctx, &mut summary);
        let (category, method) = (summary.category.as_deref(), summary.submission_method.as_deref());
        self.set_pi_entity(set, sp, ctx, category);
        self.set_cehrt(set, sp, ctx, category, method);
        self.set_period(set, sp, ctx, category);
        self.set_removed_fields(set, sp, ctx);
        self.set_measurements(set, sp, ctx, &mut summary, program_is_mvp.as_deref());
        Some(summary)
    }

    fn set_category(&mut self, set: &Node, sp: &str) -> Option<String> {
        // Category.
        match self.string(set, sp, "category", None) {
            Some(("aci", pos)) => {
                self.err("InvalidCategory", pos, &join(sp, "category"), None, "The category \"aci\" was renamed \"pi\" (Promoting Interoperability) in 2018.".into(), Some("field 'category' in Submission.measurementSets is invalid: \"aci\" is not one of the allowed values".into()), Some("Write \"category\": \"pi\".".into()), Evidence::Documented);
                None
            }
            Some(("cost", pos)) => {
                let message = "Cost is calculated by CMS from claims; it is not submitted.".into();
                let hint = Some("Remove this measurement set.".into());
                let place = join(sp, "category");
                self.err("InvalidCategory", pos, &place, None, message, None, hint, Evidence::Documented);
                None
            }
            Some((c, _)) if CATEGORIES.contains(&c) => Some(c.to_owned()),
            Some((c, pos)) => {
                let hint = did_you_mean(c, CATEGORIES, "Use quality, pi or ia.");
                self.err("InvalidCategory", pos, &join(sp, "category"), None, format!("\"{c}\" is not a category. It must be quality, pi or ia."), Some(format!("field 'category' in Submission.measurementSets is invalid: \"{c}\" is not one of the allowed values")), Some(hint), Evidence::Documented);
                None
            }
            None => self.absent(set, sp, "category"),
        }
    }

    fn set_method(&mut self, set: &Node, sp: &str) -> Option<String> {
        // Submission method.
        match self.string(set, sp, "submissionMethod", None) {
            Some((m, pos)) if UPLOAD_METHODS.contains(&m) => {
                let _ = pos;
                Some(m.to_owned())
            }
            Some((m, pos)) if METHODS.contains(&m) => {
                self.err("SubmissionMethodNotAllowed", pos, &join(sp, "submissionMethod"), None, format!("\"{m}\" data is not sent by third parties: a file upload may only use registry or electronicHealthRecord."), Some(format!("'{m}' submission method is not allowed via file upload. registry and electronicHealthRecord are the only allowed submission methods.")), Some("Use \"registry\" (MIPS CQMs, QCDR measures, PI and IA) or \"electronicHealthRecord\" (eCQMs).".into()), Evidence::Confirmed);
                Some(m.to_owned())
            }
            Some((m, pos)) => {
                let hint = did_you_mean(m, UPLOAD_METHODS, "Use \"registry\" or \"electronicHealthRecord\".");
                self.err("SubmissionMethodNotAllowed", pos, &join(sp, "submissionMethod"), None, format!("\"{m}\" is not a submission method."), Some(format!("'{m}' submission method is not allowed via file upload. registry and electronicHealthRecord are the only allowed submission methods.")), Some(hint), Evidence::Confirmed);
                None
            }
            None => self.absent(set, sp, "submissionMethod"),
        }
    }

    /// The program (and whether it is an MVP), which the measures are checked against.
    fn set_program(&mut self, set: &Node, sp: &str, ctx: &SetContext, summary: &mut SetSummary) -> Option<String> {
        let et = ctx.entity_type.as_deref();
        // Program.
        let mut program_is_mvp = None;
        if let Some((p, pos)) = self.string(set, sp, "programName", None) {
            summary.program_name = p.to_owned();
            let pp = join(sp, "programName");
            if let (Some(y), Some(cat)) = (ctx.year, ctx.catalogue) {
                let known = cat.has_program(p);
                if !known {
                    if p == "cpcPlus" && y >= 2022 {
                        let message =
                            "CPC+ ended in 2021: the program cpcPlus can't be submitted for 2022 or later.".into();
                        let hint = Some("Use \"mips\" or the APM's program.".into());
                        self.err("ProgramRemoved", pos, &pp, None, message, None, hint, Evidence::Documented);
                    } else if p == "pcf" && y >= 2025 {
                        let message = "Primary Care First (pcf) was removed for performance year 2025.".into();
                        let hint = Some("Use \"mips\", \"app1\" or \"appPlus\".".into());
                        self.err("ProgramRemoved", pos, &pp, None, message, None, hint, Evidence::Documented);
                    } else if looks_like_mvp(p) {
                        let hint = if y < 2023 {
                            "MVPs began in performance year 2023.".to_string()
                        } else {
                            format!(
                                "The MVPs of {y} are {}.",
                                cat.catalogue.mvps.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(", ")
                            )
                        };
                        let message = format!("{p} is not an MVP in performance year {y}.");
                        self.err("UnknownMvp", pos, &pp, None, message, None, Some(hint), Evidence::Documented);
                    } else {
                        let names: Vec<&str> =
                            cat.catalogue.programs.iter().map(String::as_str).filter(|p| !looks_like_mvp(p)).collect();
                        let hint = closest(p, &names)
                            .map(|k| format!("Did you mean \"{k}\"? Program names are case-sensitive."))
                            .unwrap_or_else(|| format!("Use one of {} or an MVP ID.", names.join(", ")));
                        self.err("InvalidProgramName", pos, &pp, None, format!("\"{p}\" is not a program for performance year {y}."), Some(format!("field 'programName' in Submission.measurementSets is invalid: \"{p}\" is not one of the allowed values")), Some(hint), Evidence::Documented);
                    }
                } else if looks_like_mvp(p) {
                    program_is_mvp = Some(p.to_owned());
                }
                if p == "app1" && et == Some("virtualGroup") {
                    let message = "Virtual groups can't report the APM Performance Pathway (app1).".into();
                    let hint = Some("Use \"mips\" for a virtual group.".into());
                    self.err("ProgramNotForEntity", pos, &pp, None, message, None, hint, Evidence::Documented);
                }
            }
        }
        if et == Some("subgroup") && program_is_mvp.is_none() && ctx.catalogue.is_some() {
            let pos = set.get("programName").map(|n| n.pos).unwrap_or(set.pos);
            let message = format!("Subgroups can only report MVPs; this set's program is {}.", summary.program_name);
            let hint = Some("Set programName to the subgroup's registered MVP ID.".into());
            let place = join(sp, "programName");
            self.err("ProgramNotForEntity", pos, &place, None, message, None, hint, Evidence::Documented);
        }
        program_is_mvp
    }

    fn set_pi_entity(&mut self, set: &Node, sp: &str, ctx: &SetContext, category: Option<&str>) {
        let et = ctx.entity_type.as_deref();
        // Promoting Interoperability: who may report it.
        if category == Some("pi") {
            match et {
                Some("apm") => self.err("PiNotAllowedForEntity", set.pos, sp, None, "Promoting Interoperability can't be submitted for an APM Entity: PI is reported by the group or the individual clinicians.".into(), None, Some("Submit this PI set under each participant's TIN (group) or TIN/NPI (individual).".into()), Evidence::Documented),
                Some(kind @ ("virtualGroup" | "subgroup")) => self.warn("PiNotForEntity", set.pos, sp, None, format!("CMS's change log says PI can only be submitted where entityType is group or individual; this is a {kind}. (The measures data lists {kind} for PI, so CMS's rule is unclear.)"), Some("If CMS refuses it, submit PI at the group level.".into()), Evidence::Documented),
                _ => {}
            }
        }
    }

    fn set_cehrt(&mut self, set: &Node, sp: &str, ctx: &SetContext, category: Option<&str>, method: Option<&str>) {
        // CEHRT ID.
        let is_ecqm = category == Some("quality") && method == Some("electronicHealthRecord");
        let needs_cehrt = category == Some("pi") || (is_ecqm && ctx.year.is_some_and(|y| y >= 2025));
        match self.string(set, sp, "cehrtId", None) {
            Some((id, pos)) => {
                let cp = join(sp, "cehrtId");
                if is_15e(id) && ctx.year.is_some_and(|y| y >= 2024) {
                    self.err("InvalidCehrtId", pos, &cp, None, format!("The CEHRT ID {id} is a 2015 Edition (15E) ID; these are not accepted from performance year 2024."), None, Some("Use your current CMS EHR Certification ID (…15C… or 2025C…) from the CHPL.".into()), Evidence::Documented);
                } else if !cehrt_id_ok(id) && !is_15e(id) {
                    let hint = if cehrt_id_ok(&id.trim().to_ascii_uppercase()) {
                        "Write it in capitals without spaces.".to_string()
                    } else {
                        "It has 15 characters: XX15C + 10 letters or digits, or a year such as 2025C + 10.".to_string()
                    };
                    self.err("InvalidCehrtId", pos, &cp, None, format!("\"{id}\" is not a CMS EHR Certification ID. It must look like 2025CXXXXXXXXXX or XX15CXXXXXXXXXX."), Some("CEHRT ID must be in the format 2025CXXXXXXXXXX or XX15CXXXXXXXXXX".into()), Some(hint), Evidence::Documented);
                }
                if category == Some("ia") {
                    let message =
                        "A CEHRT ID is read only for PI and eCQM quality sets; on an IA set it is ignored.".into();
                    self.warn("CehrtIdNotUsed", pos, &cp, None, message, None, Evidence::Documented);
                }
            }
            None if needs_cehrt && set.get("cehrtId").is_none() => {
                let why = if is_ecqm {
                    "From performance year 2025, eCQM quality sets need the CMS EHR Certification ID."
                } else {
                    "Promoting Interoperability sets need the CMS EHR Certification ID of the certified EHR used."
                };
                self.missing(set, sp, "cehrtId", None, why);
            }
            _ => {}
        }
    }

    fn set_period(&mut self, set: &Node, sp: &str, ctx: &SetContext, category: Option<&str>) {
        // Performance period.
        let mut dates = [None, None];
        for (k, field) in ["performanceStart", "performanceEnd"].into_iter().enumerate() {
            match self.string(set, sp, field, None) {
                Some((d, pos)) => {
                    match parse_date(d) {
                        Some(v) => dates[k] = Some((v, pos)),
                        None => {
                            let hint = if d.len() > 10 && parse_date(&d[..10]).is_some() {
                                format!("Write only the date: \"{}\".", &d[..10])
                            } else {
                                "Write the date as YYYY-MM-DD, e.g. \"2025-01-01\".".to_string()
                            };
                            self.err("InvalidDate", pos, &join(sp, field), None, format!("\"{d}\" is not a date written YYYY-MM-DD."), Some(format!("field '{field}' in {} is invalid: \"{d}\" is not a valid date (RFC 3339 full-date)", api_place(sp))), Some(hint), Evidence::Documented);
                        }
                    }
                }
                None if set.get(field).is_none() => self.missing(
                    set,
                    sp,
                    field,
                    None,
                    "A measurement set needs its performance period's first and last day (YYYY-MM-DD).",
                ),
                None => {}
            }
        }
        if let [Some(((start, sy), spos)), Some(((end, ey), epos))] = dates {
            if start > end {
                let message = "The performance period ends before it starts.".into();
                let hint = Some("Swap performanceStart and performanceEnd, or correct the dates.".into());
                let place = join(sp, "performanceEnd");
                self.warn("PerformancePeriodOrder", epos, &place, None, message, hint, Evidence::Inferred);
            }
            if let Some(y) = ctx.year {
                for (yy, pos, field) in [(sy, spos, "performanceStart"), (ey, epos, "performanceEnd")] {
                    if yy != y as i64 {
                        let message = format!("{field} is in {yy}, outside performance year {y}.");
                        let hint = Some(format!("Dates must fall between {y}-01-01 and {y}-12-31."));
                        let place = join(sp, field);
                        self.warn("PerformancePeriodOutsideYear", pos, &place, None, message, hint, Evidence::Inferred);
                    }
                }
            }
            if start <= end && end - start + 1 < 90 && matches!(category, Some("pi" | "ia")) {
                self.warn("ShortPerformancePeriod", spos, &join(sp, "performanceStart"), None, format!("The performance period is {} days; PI and improvement activities need at least 90 continuous days.", end - start + 1), None, Evidence::Inferred);
            }
        }
    }

    fn set_removed_fields(&mut self, set: &Node, sp: &str, ctx: &SetContext) {
        // Removed fields.
        if let (Some(v), Some(y)) = (set.get("measureSet"), ctx.year) {
            if y >= 2025 {
                let message = "measureSet was removed from measurement sets for performance year 2025.".into();
                let hint = Some("Remove measureSet.".into());
                let place = join(sp, "measureSet");
                self.err("FieldRemoved", v.pos, &place, None, message, None, hint, Evidence::Documented);
            }
        }
        if let (Some(v), Some(y)) = (set.get("practiceId"), ctx.year) {
            if y >= 2022 {
                let message = "practiceId belonged to CPC+, which ended in 2021.".into();
                let hint = Some("Remove practiceId.".into());
                let place = join(sp, "practiceId");
                self.err("FieldRemoved", v.pos, &place, None, message, None, hint, Evidence::Documented);
            }
        }
    }

    fn set_measurements(
        &mut self, set: &Node, sp: &str, ctx: &SetContext, summary: &mut SetSummary, program_is_mvp: Option<&str>,
    ) {
        let (category, method) = (summary.category.clone(), summary.submission_method.clone());
        // Measurements.
        let mp = join(sp, "measurements");
        let Some(list_node) = set.get("measurements") else {
            self.missing(set, sp, "measurements", None, "A measurement set holds its data in measurements: [ … ].");
            return;
        };
        let Some(list) = list_node.as_array() else {
            self.wrong_type(list_node, &mp, None, "an array", None);
            return;
        };
        summary.measurements = list.len();
        if list.is_empty() {
            let message = "This measurement set has no measurements.".into();
            let hint = Some("Add the measures, or remove the set.".into());
            self.warn("NoMeasurements", list_node.pos, &mp, None, message, hint, Evidence::Inferred);
        }
        let mut present: Vec<(String, Pos, String)> = Vec::with_capacity(list.len());
        for (j, m) in list.iter().enumerate() {
            let path = format!("{mp}[{j}]");
            if let Some(id) = self.measurement(
                m,
                &path,
                ctx,
                category.as_deref(),
                method.as_deref(),
                &summary.program_name,
                program_is_mvp,
            ) {
                if let Some((_, _, first)) = present.iter().find(|(p, _, _)| *p == id) {
                    let first = first.clone();
                    let pos = m.get("measureId").map(|n| n.pos).unwrap_or(m.pos);
                    self.err("DuplicateMeasure", pos, &join(&path, "measureId"), Some(&id), format!("Measure {id} is already in this measurement set at {first}. A measure may appear once per set."), None, Some("Keep one entry per measure.".into()), Evidence::Documented);
                } else {
                    let pos = m.get("measureId").map(|n| n.pos).unwrap_or(m.pos);
                    present.push((id, pos, path));
                }
            }
        }
        if let (Some("pi"), Some(cat)) = (category.as_deref(), ctx.catalogue) {
            self.pi_requirements(cat, list_node, &mp, &summary.program_name, &present);
        }
    }

    /// PI exclusions and substitutes, and the required PI measures.
    fn pi_requirements(
        &mut self, cat: &Index, list_node: &Node, mp: &str, program_name: &str, present: &[(String, Pos, String)],
    ) {
        let has = |id: &str| present.iter().any(|(p, _, _)| p == id);
        let mut reported: Vec<(String, String)> = vec![];
        for (id, pos, path) in present {
            let Some(measure) = cat.measure(id) else { continue };
            for (list, code, what) in [
                (&measure.exclusion, "PiExclusionConflict", "is an exclusion for"),
                (&measure.substitutes, "PiSubstituteConflict", "substitutes for"),
            ] {
                for other in list.iter().filter(|o| has(o)) {
                    let pair = if id < other { (id.clone(), other.clone()) } else { (other.clone(), id.clone()) };
                    if reported.contains(&pair) {
                        continue;
                    }
                    reported.push(pair);
                    let msg = if code == "PiExclusionConflict" {
                        format!("{other} {what} {id}: the two can't be in the same measurement set.")
                    } else {
                        format!("{other} {what} {id}: report one or the other, not both.")
                    };
                    let hint = Some(format!("Remove {id} or {other}."));
                    self.err(code, *pos, &join(path, "measureId"), Some(id), msg, None, hint, Evidence::Documented);
                }
            }
        }
        let missing_ids: Vec<&str> = cat
            .catalogue
            .measures
            .iter()
            .filter(|m| m.category == "pi" && m.required && !has(&m.id))
            // `_PRE`/`_PROD` are the engagement-level variants of a public-health measure:
            // reporting the variant covers the measure, and the variants aren't required
            // on their own.
            .filter(|m| !m.id.ends_with("_PRE") && !m.id.ends_with("_PROD"))
            .filter(|m| !present.iter().any(|(p, _, _)| p.starts_with(&format!("{}_", m.id))))
            .filter(|m| m.programs.as_ref().is_none_or(|p| p.iter().any(|p| *p == program_name)))
            .filter(|m| !m.exclusion.iter().chain(m.substitutes.iter()).any(|o| has(o)))
            .filter(|m| !cat.catalogue.measures.iter().any(|o| o.substitutes.contains(&m.id) && has(&o.id)))
            .map(|m| m.id.as_str())
            .collect();
        // A measure and its substitutes are one requirement: "PI_HIE_1 (or PI_HIE_4, …)".
        let mut missing: Vec<String> = vec![];
        let mut mentioned: Vec<&str> = vec![];
        for id in &missing_ids {
            if mentioned.contains(id) {
                continue;
            }
            let subs: Vec<&str> =
                cat.measure(id).map(|m| m.substitutes.iter().map(String::as_str).collect()).unwrap_or_default();
            mentioned.push(id);
            mentioned.extend(subs.iter().copied());
            missing.push(if subs.is_empty() { id.to_string() } else { format!("{id} (or {})", subs.join(", ")) });
        }
        if !missing.is_empty() && !present.is_empty() {
            self.warn("RequiredPiMeasureMissing", list_node.pos, mp, None, format!("Required Promoting Interoperability measures are missing: {}. Without them (or their exclusion) the PI category scores zero.", missing.join(", ")), Some("Report each required measure, its exclusion, or its substitute.".into()), Evidence::Inferred);
        }
    }
}
