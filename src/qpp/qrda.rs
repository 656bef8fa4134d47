//! QRDA III (XML) files: a well-formedness check and a reader for what an election needs — the
//! participant (program name, entity type, TIN, NPI, entity ID), the performance year and the
//! category sections with their measure counts. Where each value lives follows the conversion
//! tool's mapping (CMS's QPP Conversion Tool, its `path-correlation.json` of XPaths).
//!
//! This is only the summary the upload screens list; the conversion to QPP JSON, with the
//! conversion tool's checks of measure GUIDs and populations, is `qpp::convert`.

use crate::domain::entity::EntityType;
use serde::{Deserialize, Serialize};

/// Template, program and identifier OIDs of CMS's QRDA III implementation guide, shared with
/// the converter (`qpp::convert`).
pub(crate) const QRDA_III_TEMPLATE: &str = "2.16.840.1.113883.10.20.27.1.1";
pub(crate) const CMS_QRDA_III_TEMPLATE: &str = "2.16.840.1.113883.10.20.27.1.2";
pub(crate) const PROGRAM_ROOT: &str = "2.16.840.1.113883.3.249.7";
pub(crate) const NPI_ROOT: &str = "2.16.840.1.113883.4.6";
pub(crate) const TIN_ROOT: &str = "2.16.840.1.113883.4.2";
pub(crate) const VIRTUAL_GROUP_ROOT: &str = "2.16.840.1.113883.3.249.5.2";
pub(crate) const APM_ENTITY_ROOT: &str = "2.16.840.1.113883.3.249.5.4";
pub(crate) const SUBGROUP_ROOT: &str = "2.16.840.1.113883.3.249.5.5";
pub(crate) const REPORTING_PARAMETERS: &str = "2.16.840.1.113883.10.20.17.3.8";

/// A category section of the document and how many measures it reports.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QrdaSection {
    /// `quality`, `pi` or `ia`, as in QPP JSON.
    pub category: String,
    pub measures: usize,
}

/// Something that stops the file from being used, with the conversion tool's code when one
/// applies ("CT 5" etc.).
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QrdaProblem {
    pub code: String,
    pub message: String,
    pub line: Option<u32>,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QrdaSummary {
    pub bytes: usize,
    pub program_name: Option<String>,
    /// From the program name.
    pub entity_type: Option<EntityType>,
    pub tin: Option<String>,
    pub npi: Option<String>,
    pub entity_id: Option<String>,
    pub performance_year: Option<i64>,
    pub sections: Vec<QrdaSection>,
    pub problems: Vec<QrdaProblem>,
}

impl QrdaProblem {
    fn with_code(mut self, code: &str) -> QrdaProblem {
        self.code = code.into();
        self
    }
}

impl QrdaSummary {
    pub fn is_usable(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The conversion tool's program names (case-insensitive) and the entity type each implies.
pub fn entity_type_of_program(program: &str) -> Option<EntityType> {
    match program.to_ascii_uppercase().as_str() {
        "MIPS_INDIV" | "MIPS_APP1_INDIV" | "APP_PLUS_INDIV" => Some(EntityType::Individual),
        "MIPS_GROUP" | "MIPS_APP1_GROUP" | "APP_PLUS_GROUP" | "MIPS" => Some(EntityType::Group),
        "MIPS_VIRTUALGROUP" => Some(EntityType::VirtualGroup),
        "MIPS_APMENTITY" | "MIPS_APP1_APMENTITY" | "APP_PLUS_APMENTITY" => Some(EntityType::Apm),
        "MIPS_SUBGROUP" => Some(EntityType::Subgroup),
        _ => None,
    }
}

/// The QPP JSON `programName` the conversion tool gives a program name's measurement sets.
pub fn program_name_of(program: &str) -> &'static str {
    let p = program.to_ascii_uppercase();
    if p.starts_with("MIPS_APP1") {
        "app1"
    } else if p.starts_with("APP_PLUS") {
        "appPlus"
    } else {
        "mips"
    }
}

/// How much of a file decides whether it is XML: the browser's worker passes only this much
/// across to wasm, and the server reads the same prefix, so both decide alike.
pub const SNIFF_BYTES: usize = 4096;

/// True when the bytes look like XML rather than JSON (the first non-blank byte of the first
/// `SNIFF_BYTES` is `<`), so one drop zone can take both kinds of file.
pub fn looks_like_xml(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let b = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
}

fn line_at(bytes: &[u8], offset: usize) -> u32 {
    1 + bytes[..offset.min(bytes.len())].iter().filter(|b| **b == b'\n').count() as u32
}

fn problem(code: &str, message: impl Into<String>, line: Option<u32>) -> QrdaProblem {
    QrdaProblem { code: code.into(), message: message.into(), line }
}

/// Reads a QRDA III document. Never panics; every problem is reported with a plain message.
pub fn read(bytes: &[u8]) -> QrdaSummary {
    let mut s = QrdaSummary { bytes: bytes.len(), ..Default::default() };
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            s.problems.push(problem(
                "NotUtf8",
                "The file is not UTF-8 text. Save the QRDA III file with UTF-8 encoding and upload it again.",
                Some(line_at(bytes, at)),
            ));
            return s;
        }
    };
    // XML 1.0 forbids NUL and most control characters; they would also not survive a database.
    if let Some(at) = text.find(|c: char| c == '\0' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))) {
        s.problems.push(problem("CT 2", "The file contains a control character that XML does not allow (for example a NUL byte): it may be damaged. Export it again.", Some(line_at(text.as_bytes(), at))));
        return s;
    }
    if !looks_like_xml(text.as_bytes()) {
        s.problems.push(problem("CT 2", "This is not an XML document, so it can't be a QRDA III file. Upload QPP JSON (.json) or QRDA III XML (.xml).", Some(1)));
        return s;
    }
    let mut walker = Walker::default();
    if let Err(p) = walker.walk(text, &mut s) {
        s.problems.push(p);
        return s;
    }
    finish(&mut s, walker);
    s
}

/// What the walk over the elements keeps: the open elements from the root down, and the
/// section / entry being counted.
#[derive(Default)]
struct Walker {
    stack: Vec<String>,
    roots: usize,
    has_qrda_template: bool,
    /// (depth, category, measures)
    section: Option<(usize, Option<String>, usize)>,
    /// (depth, is reporting parameters)
    entry: Option<(usize, bool)>,
    in_reporting_parameters_depth: Option<usize>,
    programs: Vec<String>,
}

/// The attributes of an element that matter here.
struct Attributes {
    root: Option<String>,
    extension: Option<String>,
    value: Option<String>,
}

fn not_well_formed(message: impl Into<String>, text: &str, at: usize) -> QrdaProblem {
    problem("CT 2", message, Some(line_at(text.as_bytes(), at)))
}

impl Walker {
    fn walk(&mut self, text: &str, s: &mut QrdaSummary) -> Result<(), QrdaProblem> {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        loop {
            let pos = reader.buffer_position() as usize;
            let event = reader.read_event().map_err(|e| {
                let msg =
                    format!("The XML is not well-formed: {e}. Fix the file where the error is and upload it again.");
                not_well_formed(msg, text, reader.error_position() as usize)
            })?;
            match &event {
                Event::Start(e) => {
                    self.start(e, false, s).map_err(|m| not_well_formed(m.1, text, pos).with_code(m.0))?
                }
                Event::Empty(e) => {
                    self.start(e, true, s).map_err(|m| not_well_formed(m.1, text, pos).with_code(m.0))?
                }
                Event::End(_) => self.end(s),
                // No DTDs: they can define entities that expand without bound (billion laughs)
                // or read other files (external entities). QRDA III files carry none.
                Event::DocType(_) => {
                    let msg = "The file has a <!DOCTYPE …> declaration. QRDA III files have none, and a DTD can define entities that expand without bound or read other files, so the file is refused. Remove the DOCTYPE and upload it again.";
                    return Err(not_well_formed(msg, text, pos).with_code("XmlDoctype"));
                }
                Event::GeneralRef(r) if !r.is_char_ref() => {
                    let name: &str = r.as_ref();
                    if !is_predefined_entity(name.as_bytes()) {
                        return Err(not_well_formed(entity_refused(name), text, pos).with_code("XmlEntity"));
                    }
                }
                Event::Text(t) if self.stack.is_empty() && !AsRef::<str>::as_ref(t).trim().is_empty() => {
                    return Err(not_well_formed("The XML has text outside its root element.", text, pos));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if let Some(open) = self.stack.last() {
            let msg = format!("The XML ends before <{open}> is closed: the file may be cut off.");
            return Err(not_well_formed(msg, text, text.len()));
        }
        if self.roots == 0 {
            return Err(problem("CT 2", "The file holds no XML element.", Some(1)));
        }
        Ok(())
    }

    fn end(&mut self, s: &mut QrdaSummary) {
        let depth = self.stack.len();
        if let Some((d, is_rp)) = self.entry {
            if d == depth {
                if let Some(sec) = self.section.as_mut() {
                    if !is_rp {
                        sec.2 += 1;
                    }
                }
                self.entry = None;
            }
        }
        if self.in_reporting_parameters_depth.is_some_and(|d| d >= depth) {
            self.in_reporting_parameters_depth = None;
        }
        if let Some((d, cat, n)) = self.section.take() {
            if d == depth {
                if let Some(category) = cat {
                    s.sections.push(QrdaSection { category, measures: n });
                }
            } else {
                self.section = Some((d, cat, n));
            }
        }
        self.stack.pop();
    }

    /// An opening (or empty) element. `Err((code, message))` stops the walk.
    fn start(
        &mut self, e: &quick_xml::events::BytesStart, empty: bool, s: &mut QrdaSummary,
    ) -> Result<(), (&'static str, String)> {
        let name = e.local_name().as_ref().to_string();
        if self.stack.is_empty() {
            self.roots += 1;
            if self.roots > 1 {
                return Err(("CT 2", "The XML has more than one root element.".into()));
            }
            if name != "ClinicalDocument" {
                return Err((
                    "CT 5",
                    format!("The root element is <{name}>, not <ClinicalDocument>: this is not a QRDA III document."),
                ));
            }
        }
        let attrs = attributes(e).map_err(|m| ("XmlEntity", m))?;
        let depth = self.stack.len() + 1;
        let parent = self.stack.last().cloned().unwrap_or_default();
        match name.as_str() {
            "templateId" => self.template(attrs.root.as_deref().unwrap_or(""), depth, &parent),
            "section" => self.section = Some((depth, None, 0)),
            "entry" if parent == "section" => self.entry = Some((depth, false)),
            "low" if self.in_reporting_parameters_depth.is_some() && s.performance_year.is_none() => {
                s.performance_year = attrs.value.as_deref().and_then(|v| v.get(..4)).and_then(|y| y.parse().ok());
            }
            "id" => self.id(&attrs, &parent, s),
            _ => {}
        }
        if !empty {
            self.stack.push(name);
        } else if name == "entry" && parent == "section" {
            // An empty <entry/> counts as nothing.
            self.entry = None;
        }
        Ok(())
    }

    fn template(&mut self, root: &str, depth: usize, parent: &str) {
        if depth == 2 && (root == QRDA_III_TEMPLATE || root == CMS_QRDA_III_TEMPLATE) {
            self.has_qrda_template = true;
        }
        if parent == "section" {
            if let Some(sec) = self.section.as_mut() {
                let cat = match root {
                    "2.16.840.1.113883.10.20.27.2.1" | "2.16.840.1.113883.10.20.27.2.3" => Some("quality"),
                    "2.16.840.1.113883.10.20.27.2.4" => Some("ia"),
                    "2.16.840.1.113883.10.20.27.2.5" => Some("pi"),
                    _ => None,
                };
                if let Some(c) = cat {
                    sec.1 = Some(c.to_string());
                }
            }
        }
        if root == REPORTING_PARAMETERS {
            if let Some(en) = self.entry.as_mut() {
                en.1 = true;
            }
            self.in_reporting_parameters_depth = Some(depth - 1);
        }
    }

    /// The program, TIN, NPI and entity IDs, each where the conversion tool reads it.
    fn id(&mut self, attrs: &Attributes, parent: &str, s: &mut QrdaSummary) {
        let root = attrs.root.as_deref().unwrap_or("");
        let ext = attrs.extension.clone().filter(|x| !x.trim().is_empty());
        let in_performer = self.stack.iter().any(|n| n == "performer");
        match (root, parent) {
            (PROGRAM_ROOT, "intendedRecipient") => self.programs.extend(ext),
            (NPI_ROOT, "assignedEntity") if s.npi.is_none() && in_performer => s.npi = ext,
            (TIN_ROOT, "representedOrganization") if s.tin.is_none() && in_performer => s.tin = ext,
            (VIRTUAL_GROUP_ROOT | APM_ENTITY_ROOT | SUBGROUP_ROOT, "representedOrganization")
                if s.entity_id.is_none() =>
            {
                s.entity_id = ext
            }
            _ => {}
        }
    }
}

/// The five entities XML predefines; character references (`&#…;`) are allowed too.
pub(crate) fn is_predefined_entity(name: &[u8]) -> bool {
    matches!(name, b"lt" | b"gt" | b"amp" | b"apos" | b"quot")
}

pub(crate) fn entity_refused(name: &str) -> String {
    format!("The file uses the entity &{name}; — only the five predefined XML entities (&lt; &gt; &amp; &apos; &quot;) and character references are allowed, so the file is refused.")
}

/// The attributes the reader needs. A value naming an entity other than the predefined ones is
/// refused (the reader never expands entities).
fn attributes(e: &quick_xml::events::BytesStart) -> Result<Attributes, String> {
    let mut out = Attributes { root: None, extension: None, value: None };
    for a in e.attributes().flatten() {
        let raw: &str = &a.value;
        if let Some(name) = unknown_entity_in(raw) {
            return Err(entity_refused(&name));
        }
        let v = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map(|c| c.into_owned()).unwrap_or_default();
        match a.key.local_name().as_ref() {
            "root" => out.root = Some(v),
            "extension" => out.extension = Some(v),
            "value" => out.value = Some(v),
            _ => {}
        }
    }
    Ok(out)
}

/// The first entity reference in a raw attribute value that is neither predefined nor a
/// character reference.
pub(crate) fn unknown_entity_in(raw: &str) -> Option<String> {
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let name = after.split(';').next().unwrap_or("");
        if !name.starts_with('#') && !is_predefined_entity(name.as_bytes()) {
            return Some(name.to_string());
        }
        rest = after;
    }
    None
}

/// What the whole document must hold: the QRDA III template, one program, a performance year,
/// and the identifiers its entity type needs.
fn finish(s: &mut QrdaSummary, w: Walker) {
    let programs = w.programs;
    if !w.has_qrda_template {
        s.problems.push(problem(
            "CT 5",
            format!("The document has no QRDA III templateId ({QRDA_III_TEMPLATE} or {CMS_QRDA_III_TEMPLATE}): this is not a QRDA III file. Check it against the CMS QRDA III Implementation Guide."),
            None,
        ));
    }
    match programs.as_slice() {
        [] => s.problems.push(problem("CT 24", "The file names no program: add informationRecipient/intendedRecipient/id with root 2.16.840.1.113883.3.249.7 and a program name such as MIPS_GROUP or MIPS_INDIV.", None)),
        [one] => {
            s.program_name = Some(one.clone());
            match entity_type_of_program(one) {
                Some(t) => s.entity_type = Some(t),
                None => s.problems.push(problem("CT 25", format!("\"{one}\" is not a program name the conversion tool accepts (for example MIPS_GROUP, MIPS_INDIV, MIPS_VIRTUALGROUP, MIPS_APMENTITY, MIPS_APP1_GROUP, APP_PLUS_INDIV)."), None)),
            }
        }
        _ => s.problems.push(problem("CT 24", format!("The file names {} programs ({}); a QRDA III file must have exactly one.", programs.len(), programs.join(", ")), None)),
    }
    if s.performance_year.is_none() {
        s.problems.push(problem("CT 31", "The file has no performance period: the reporting parameters act needs an effectiveTime with a low value (the first 4 digits are the performance year).", None));
    }
    if s.entity_type != Some(EntityType::Individual) {
        s.npi = None;
    }
    if let Some(EntityType::Individual | EntityType::Group) = s.entity_type {
        {
            match s.tin.as_deref().map(crate::domain::Tin::parse) {
                None => s.problems.push(problem("MissingTin", "The file names no TIN (performer/assignedEntity/representedOrganization/id with root 2.16.840.1.113883.4.2).", None)),
                Some(Err(e)) => s.problems.push(problem("InvalidTin", format!("The TIN in the file is not valid: {e}"), None)),
                Some(Ok(_)) => {}
            }
            if s.entity_type == Some(EntityType::Individual) {
                match s.npi.as_deref().map(crate::domain::Npi::parse) {
                    None => s.problems.push(problem("MissingNpi", "An individual's file must name the clinician's NPI (performer/assignedEntity/id with root 2.16.840.1.113883.4.6).", None)),
                    Some(Err(e)) => s.problems.push(problem("InvalidNpi", format!("The NPI in the file is not valid: {e}"), None)),
                    Some(Ok(_)) => {}
                }
            }
        }
    }
    if s.sections.is_empty() && s.problems.is_empty() {
        s.problems.push(problem("NoSections", "The file has no quality, Promoting Interoperability or Improvement Activities section, so there is no data to upload.", None));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/qrda");

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/valid/{name}"))
            .or_else(|_| std::fs::read(format!("{FIXTURES}/invalid/{name}")))
            .unwrap()
    }

    #[test]
    fn reads_the_conversion_tools_group_sample() {
        let s = read(&fixture("ctt-MIPS-1f-MIPS_GROUP_04172025.xml"));
        assert!(s.is_usable(), "{:?}", s.problems);
        assert_eq!(s.program_name.as_deref(), Some("MIPS_GROUP"));
        assert_eq!(s.entity_type, Some(EntityType::Group));
        assert_eq!(s.tin.as_deref(), Some("249000699"));
        assert_eq!(s.npi, None, "a group file names the clinicians, not the participant's NPI");
        assert_eq!(s.performance_year, Some(2025));
        assert_eq!(
            s.sections.iter().map(|x| (x.category.as_str(), x.measures)).collect::<Vec<_>>(),
            vec![("quality", 3)]
        );
    }

    #[test]
    fn reads_ia_and_pi_sections() {
        let s = read(&fixture("ct-valid-QRDA-III-abridged.xml"));
        let cats: Vec<_> = s.sections.iter().map(|x| (x.category.as_str(), x.measures)).collect();
        assert_eq!(cats, vec![("pi", 3), ("ia", 1)], "{:?}", s.problems);
    }

    #[test]
    fn refuses_what_is_not_qrda_iii() {
        let s = read(&fixture("ct-not-a-QRDA-III-file.xml"));
        assert_eq!(s.problems[0].code, "CT 5");
        let s = read(b"zhjkl;chzxkjzxjczkxczxb");
        assert_eq!(s.problems[0].code, "CT 2");
        let s = read(b"<ClinicalDocument><templateId root=\"x\"></ClinicalDocument>");
        assert_eq!(s.problems[0].code, "CT 2", "{:?}", s.problems);
        let s = read(b"<ClinicalDocument>\n<title>cut");
        assert!(s.problems[0].message.contains("cut off"), "{:?}", s.problems);
        assert_eq!(s.problems[0].line, Some(2));
        let s = read(b"<a/><b/>");
        assert!(s.problems[0].message.contains("root"), "{:?}", s.problems);
        let s = read(b"<ClinicalDocument>\n\0</ClinicalDocument>");
        assert_eq!((s.problems[0].code.as_str(), s.problems[0].line), ("CT 2", Some(2)));
        let s = read(&[b'<', 0xff, 0xfe]);
        assert_eq!(s.problems[0].code, "NotUtf8");
    }

    #[test]
    fn program_names_follow_the_conversion_tool() {
        assert_eq!(entity_type_of_program("mips_indiv"), Some(EntityType::Individual));
        assert_eq!(entity_type_of_program("APP_PLUS_APMENTITY"), Some(EntityType::Apm));
        assert_eq!(entity_type_of_program("PCF"), None);
        assert_eq!(
            (program_name_of("MIPS_APP1_GROUP"), program_name_of("app_plus_indiv"), program_name_of("MIPS_INDIV")),
            ("app1", "appPlus", "mips")
        );
        let xml = String::from_utf8(fixture("ctt-MIPS-1f-MIPS_GROUP_04172025.xml"))
            .unwrap()
            .replace("extension=\"MIPS_GROUP\"", "extension=\"PCF\"");
        let s = read(xml.as_bytes());
        assert_eq!(s.problems[0].code, "CT 25");
        assert!(looks_like_xml(b"\xEF\xBB\xBF  <x/>"));
        assert!(!looks_like_xml(b" {\"a\":1}"));
    }

    #[test]
    fn never_panics_on_cut_or_mutated_input() {
        let good = fixture("ct-valid-QRDA-III-abridged.xml");
        for cut in (0..good.len()).step_by(97) {
            let _ = read(&good[..cut]);
        }
        for b in crate::qpp::generate::mutants(&good, 2000, 7) {
            let _ = read(&b);
        }
    }
}
