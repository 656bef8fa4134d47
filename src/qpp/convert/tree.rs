//! A bounded element tree of an XML document, for the QRDA III decoder: element local names,
//! the attributes (local names, entity references resolved only for XML's five predefined
//! entities and character references), direct text, and each element's byte offset, so a finding
//! can name its line and column and its XPath. Hostile input is refused with its place: a DTD,
//! any other entity, more than `MAX_DEPTH` levels, more than `MAX_ELEMENTS` elements.

use crate::qpp::qrda::{entity_refused, is_predefined_entity, unknown_entity_in};

/// Deeper than any QRDA III document (about 15 levels); bounds recursion and the stack.
pub const MAX_DEPTH: usize = 128;
/// Bounds the tree's memory: a 64 MB file holds far fewer elements.
pub const MAX_ELEMENTS: usize = 2_000_000;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text (not its children's), trimmed at both ends.
    pub text: String,
    /// Byte offset of the element's `<` in the document.
    pub at: usize,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The first element down a path of child names.
    pub fn find(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |e, name| e.child(name))
    }

    /// Every element down a path of child names (each step may match several children).
    pub fn find_all<'a>(&'a self, path: &[&str]) -> Vec<&'a Element> {
        let mut level = vec![self];
        for name in path {
            level = level.into_iter().flat_map(|e| e.children.iter().filter(|c| c.name == *name)).collect();
        }
        level
    }

    /// Whether a `templateId` child has this root.
    pub fn has_template(&self, root: &str) -> bool {
        self.children.iter().any(|t| t.name == "templateId" && t.attr("root") == Some(root))
    }

    /// The `extension` of the first `id` child with this root.
    pub fn id_extension(&self, root: &str) -> Option<&str> {
        self.children.iter().find(|i| i.name == "id" && i.attr("root") == Some(root)).and_then(|i| i.attr("extension"))
    }

    /// Every element below this one, depth first, with this one first.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = vec![];
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
        out
    }
}

/// An element and its XPath.
#[derive(Clone, Debug)]
pub struct At<'a> {
    pub el: &'a Element,
    pub path: String,
}

impl<'a> At<'a> {
    pub fn kids(&self, name: &str) -> Vec<At<'a>> {
        let n = self.el.children.iter().filter(|c| c.name == name).count();
        self.el
            .children
            .iter()
            .filter(|c| c.name == name)
            .enumerate()
            .map(|(i, c)| At {
                el: c,
                path: if n > 1 { format!("{}/{name}[{}]", self.path, i + 1) } else { format!("{}/{name}", self.path) },
            })
            .collect()
    }

    pub fn down(&self, names: &[&str]) -> Vec<At<'a>> {
        names.iter().fold(vec![self.clone()], |level, name| level.iter().flat_map(|a| a.kids(name)).collect())
    }

    pub fn first(&self, names: &[&str]) -> Option<At<'a>> {
        self.down(names).into_iter().next()
    }

    /// The first `component/observation` (or other path) whose element has this template.
    pub fn with_template(&self, names: &[&str], roots: &[&str]) -> Vec<At<'a>> {
        self.down(names).into_iter().filter(|a| roots.iter().any(|r| a.el.has_template(r))).collect()
    }
}

/// Why the document could not be read, and where (a byte offset).
#[derive(Clone, Debug, PartialEq)]
pub struct TreeError {
    pub message: String,
    pub at: usize,
}

fn fail(message: impl Into<String>, at: usize) -> TreeError {
    TreeError { message: message.into(), at }
}

/// The 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, at: usize) -> (u32, u32) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = 1 + before.bytes().filter(|b| *b == b'\n').count();
    let column = 1 + before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0);
    (line as u32, column as u32)
}

/// Builds the tree of a whole document.
pub fn parse(text: &str) -> Result<Element, TreeError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = vec![];
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| fail(format!("The XML is not well-formed: {e}."), reader.error_position() as usize))?;
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                let _ = e;
                return Err(fail("The XML has more than one root element.", at));
            }
            Event::Start(e) => {
                count += 1;
                if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(fail(too_big(count), at));
                }
                stack.push(element(&e, at)?);
            }
            Event::Empty(e) => {
                count += 1;
                if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(fail(too_big(count), at));
                }
                let el = element(&e, at)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let mut done = stack.pop().ok_or_else(|| fail("An end tag closes nothing.", at))?;
                done.text = done.text.trim().to_string();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                let raw: &str = AsRef::<str>::as_ref(&t);
                match stack.last_mut() {
                    Some(open) => open.text.push_str(raw),
                    None if !raw.trim().is_empty() => {
                        return Err(fail("The XML has text outside its root element.", at))
                    }
                    None => {}
                }
            }
            Event::CData(t) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(AsRef::<str>::as_ref(&t));
                }
            }
            Event::GeneralRef(r) => {
                let name: &str = r.as_ref();
                if r.is_char_ref() {
                    if let (Some(open), Ok(Some(c))) = (stack.last_mut(), r.resolve_char_ref()) {
                        open.text.push(c);
                    }
                } else if is_predefined_entity(name.as_bytes()) {
                    if let Some(open) = stack.last_mut() {
                        open.text.push_str(predefined(name));
                    }
                } else {
                    return Err(fail(entity_refused(name), at));
                }
            }
            Event::DocType(_) => {
                return Err(fail("The file has a <!DOCTYPE …> declaration. QRDA III files have none, and a DTD can define entities that expand without bound or read other files, so the file is refused.", at));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(fail(
            format!("The XML ends before <{}> is closed: the file may be cut off.", open.name),
            text.len(),
        ));
    }
    root.ok_or_else(|| fail("The file holds no XML element.", 0))
}

fn too_big(count: usize) -> String {
    if count > MAX_ELEMENTS {
        format!(
            "The document has more than {MAX_ELEMENTS} elements, more than a QRDA III file holds, so it is refused."
        )
    } else {
        format!("The document nests elements more than {MAX_DEPTH} levels deep, more than a QRDA III file does, so it is refused.")
    }
}

fn predefined(name: &str) -> &'static str {
    match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        _ => "\"",
    }
}

fn element(e: &quick_xml::events::BytesStart, at: usize) -> Result<Element, TreeError> {
    let name = e.local_name().as_ref().to_string();
    let mut attrs = vec![];
    for a in e.attributes() {
        let a = a.map_err(|err| fail(format!("An attribute of <{name}> is not well-formed: {err}."), at))?;
        let raw: &str = &a.value;
        if let Some(entity) = unknown_entity_in(raw) {
            return Err(fail(entity_refused(&entity), at));
        }
        let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map(|c| c.into_owned()).unwrap_or_default();
        attrs.push((a.key.local_name().as_ref().to_string(), value));
    }
    Ok(Element { name, attrs, at, ..Default::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_tree_with_places() {
        let text = "<r a=\"1 &amp; 2\">\n  <c x=\"y\"/>\n  <c>t&lt;u</c>\n</r>";
        let r = parse(text).unwrap();
        assert_eq!((r.name.as_str(), r.attr("a")), ("r", Some("1 & 2")));
        assert_eq!(r.children_named("c").count(), 2);
        assert_eq!(r.children[1].text, "t<u");
        assert_eq!(line_column(text, r.children[1].at), (3, 3));
        assert_eq!(r.descendants().len(), 3);
    }

    #[test]
    fn refuses_hostile_and_broken_input_with_its_place() {
        let e = parse("<!DOCTYPE r [<!ENTITY a \"aaaa\">]><r>&a;</r>").unwrap_err();
        assert!(e.message.contains("DOCTYPE"), "{e:?}");
        let e = parse("<r>&lol;</r>").unwrap_err();
        assert!(e.message.contains("&lol;"), "{e:?}");
        let e = parse("<r x=\"&ext;\"/>").unwrap_err();
        assert!(e.message.contains("&ext;"), "{e:?}");
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().message.contains("levels deep"));
        let e = parse("<r>\n<c>").unwrap_err();
        assert!(e.message.contains("cut off"), "{e:?}");
        assert!(parse("<a/><b/>").unwrap_err().message.contains("more than one root"));
        assert!(parse("").is_err());
    }
}
