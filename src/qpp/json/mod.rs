//! A JSON parser that remembers where every value starts (line, column, byte offset), so that a
//! diagnostic can point at `measurementSets[0].measurements[3].value.performanceMet` *and* at the
//! line and column in the file. `serde_json` does not keep positions, and QPP JSON files come
//! from registries' own exporters: the messages must say where the problem is.
//!
//! Bounded by design: nesting deeper than `Limits::max_depth` is refused before recursing (a
//! 100,000-deep file can't overflow the stack), invalid UTF-8 is reported with its position,
//! numbers must be finite, and nothing panics on any input (see the tests and the fuzz target).

use std::borrow::Cow;
use std::fmt;

/// Where a value starts: its line (from 1), the byte offset of that line's start, and its own
/// byte offset. The column (in characters, from 1) is computed only when a message needs it:
/// counting characters for every value would be quadratic on minified one-line files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub line_start: usize,
    pub offset: usize,
}

impl Pos {
    pub fn column(&self, src: &[u8]) -> u32 {
        let line = src.get(self.line_start..self.offset.min(src.len())).unwrap_or(&[]);
        // Count characters: every byte that is not a UTF-8 continuation byte starts one.
        1 + line.iter().filter(|b| (**b & 0xC0) != 0x80).count() as u32
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// The number as written (to tell `100` from `100.5` and to report it verbatim) and its value.
    Number {
        raw: &'a str,
        value: f64,
    },
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    /// Members in file order; duplicate keys are kept so that rules can report them.
    Object(Vec<(Node<'a>, Node<'a>)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    pub pos: Pos,
}

impl<'a> Node<'a> {
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match &self.value {
            Value::Object(members) => {
                members.iter().find(|(k, _)| matches!(&k.value, Value::String(s) if s == key)).map(|(_, v)| v)
            }
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Number { value, .. } => Some(*value),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }
    /// "string", "number", … for messages such as "expected a string, found a number".
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number { .. } => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_depth: usize,
}

impl Default for Limits {
    /// QPP JSON nests 6 deep (submission → sets → measurements → value → strata → stratum);
    /// 64 leaves room for arrays of submissions and extension fields.
    fn default() -> Limits {
        Limits { max_depth: 64 }
    }
}

/// Why a file could not be read as JSON, with a stable code and the place.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub code: &'static str,
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub offset: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (line {}, column {})", self.message, self.line, self.column)
    }
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    i: usize,
    line: u32,
    line_start: usize,
    limits: Limits,
}

/// Parses one JSON document. Leading UTF-8 byte-order marks are allowed (spreadsheet exports
/// write them); anything after the document other than whitespace is an error.
pub fn parse(input: &[u8], limits: Limits) -> Result<Node<'_>, ParseError> {
    let mut p = Parser::open(input, limits)?;
    let node = p.value(0)?;
    p.skip_ws();
    if p.i < p.bytes.len() {
        return Err(p.error("TrailingContent", "There is more after the end of the JSON document. A file holds one document: for several submissions use an array [ … ]."));
    }
    Ok(node)
}

/// How a file's top level was laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One document (normally a submission object).
    Single,
    /// A JSON array; each element was handed over on its own.
    Array { items: usize },
}

/// Reads a file whose top level is either one value or an array of values (a registry's file of
/// many submissions), handing each value to `each` with its array index (if any) and the byte
/// offset where it ends. Array elements are parsed and handed over one at a time and dropped
/// afterwards, so memory stays proportional to the largest single submission, not to the file.
/// On a syntax error, the elements before it have already been handed over.
pub fn for_each_document<'a>(
    input: &'a [u8], limits: Limits, mut each: impl FnMut(Option<usize>, Node<'a>, usize),
) -> Result<Layout, ParseError> {
    let mut p = Parser::open(input, limits)?;
    let layout = if p.bytes[p.i] == b'[' {
        p.i += 1;
        let mut n = 0;
        p.skip_ws();
        if p.bytes.get(p.i) == Some(&b']') {
            p.i += 1;
        } else {
            loop {
                p.skip_ws();
                if p.bytes.get(p.i) == Some(&b']') {
                    return Err(
                        p.error("TrailingComma", "A comma before ] is not allowed in JSON: remove the last comma.")
                    );
                }
                let node = p.value(1)?;
                each(Some(n), node, p.i);
                n += 1;
                p.skip_ws();
                match p.bytes.get(p.i) {
                    Some(b',') => p.i += 1,
                    Some(b']') => {
                        p.i += 1;
                        break;
                    }
                    None => return Err(p.error("UnexpectedEnd", "The file ends inside an array: it looks cut off.")),
                    _ => {
                        return Err(p.error(
                            "ExpectedCommaOrEnd",
                            format!("Expected ',' or ']' after an item but found {}.", p.found()),
                        ))
                    }
                }
            }
        }
        Layout::Array { items: n }
    } else {
        let node = p.value(0)?;
        let end = p.i;
        p.skip_ws();
        if p.i < p.bytes.len() {
            return Err(p.error("TrailingContent", "There is more after the end of the JSON document. A file holds one document: for several submissions use an array [ … ]."));
        }
        each(None, node, end);
        return Ok(Layout::Single);
    };
    p.skip_ws();
    if p.i < p.bytes.len() {
        return Err(p.error("TrailingContent", "There is more after the end of the JSON array. A file holds one document: put every submission inside the one array."));
    }
    Ok(layout)
}

fn utf8(input: &[u8]) -> Result<&str, ParseError> {
    std::str::from_utf8(input).map_err(|e| {
        let good = &input[..e.valid_up_to()];
        let line = 1 + good.iter().filter(|b| **b == b'\n').count() as u32;
        let line_start = good.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0);
        let pos = Pos { line, line_start, offset: e.valid_up_to() };
        ParseError {
            code: "NotUtf8",
            message: "The file is not UTF-8 text. Save it as UTF-8 (not Windows-1252 or UTF-16) and try again.".into(),
            line,
            column: pos.column(input),
            offset: pos.offset,
        }
    })
}

impl<'a> Parser<'a> {
    /// A parser at the first value of a file: UTF-8 checked, a leading byte-order mark (spreadsheet
    /// exports write one) and whitespace skipped, empty files and XML refused.
    fn open(input: &'a [u8], limits: Limits) -> Result<Parser<'a>, ParseError> {
        let src = utf8(input)?;
        let start = if src.starts_with('\u{FEFF}') { 3 } else { 0 };
        let mut p = Parser { src, bytes: src.as_bytes(), i: start, line: 1, line_start: start, limits };
        p.skip_ws();
        if p.i >= p.bytes.len() {
            return Err(p.error("EmptyFile", "The file is empty: it holds no JSON."));
        }
        if p.bytes[p.i] == b'<' {
            return Err(p.error("NotJson", "This file is XML, not JSON. QPP JSON starts with { or [; a QRDA III file is XML and is read separately."));
        }
        Ok(p)
    }

    fn pos(&self) -> Pos {
        Pos { line: self.line, line_start: self.line_start, offset: self.i }
    }

    fn error_at(&self, pos: Pos, code: &'static str, message: impl Into<String>) -> ParseError {
        ParseError { code, message: message.into(), line: pos.line, column: pos.column(self.bytes), offset: pos.offset }
    }

    fn error(&self, code: &'static str, message: impl Into<String>) -> ParseError {
        self.error_at(self.pos(), code, message)
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.i) {
            match b {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                _ => break,
            }
        }
    }

    fn found(&self) -> String {
        match self.src[self.i..].chars().next() {
            None => "the end of the file".into(),
            Some(c) if c.is_control() => format!("the control character U+{:04X}", c as u32),
            Some(c) => format!("'{c}'"),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, ParseError> {
        let pos = self.pos();
        let Some(&b) = self.bytes.get(self.i) else {
            return Err(self.error("UnexpectedEnd", "The file ends where a value was expected: it looks cut off."));
        };
        let value = match b {
            b'{' | b'[' if depth >= self.limits.max_depth => {
                return Err(self.error("TooDeep", format!("The JSON is nested more than {} levels deep; QPP JSON needs far fewer. The file is probably not a QPP submission.", self.limits.max_depth)))
            }
            b'{' => self.object(depth)?,
            b'[' => self.array(depth)?,
            b'"' => Value::String(self.string()?),
            b't' => self.literal("true", Value::Bool(true))?,
            b'f' => self.literal("false", Value::Bool(false))?,
            b'n' => self.literal("null", Value::Null)?,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => return Err(self.error("UnexpectedCharacter", format!("Expected a value (an object, array, string, number, true, false or null) but found {}.", self.found()))),
        };
        Ok(Node { value, pos })
    }

    fn literal(&mut self, word: &'static str, v: Value<'a>) -> Result<Value<'a>, ParseError> {
        if self.src[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.error(
                "UnexpectedCharacter",
                format!("Expected {word} but found {}. Strings need double quotes.", self.found()),
            ))
        }
    }

    /// After `{` or `[`: true when the container closes at once (it is empty).
    fn opens_empty(&mut self, close: u8) -> bool {
        self.i += 1;
        self.skip_ws();
        let empty = self.bytes.get(self.i) == Some(&close);
        if empty {
            self.i += 1;
        }
        empty
    }

    /// After a member or an item: `Ok(true)` at the closing bracket, `Ok(false)` after a comma.
    fn closes(&mut self, close: u8, inside: &str, after: &str) -> Result<bool, ParseError> {
        self.skip_ws();
        match self.bytes.get(self.i) {
            Some(b',') => {
                self.i += 1;
                Ok(false)
            }
            Some(&c) if c == close => {
                self.i += 1;
                Ok(true)
            }
            None => Err(self.cut_off(inside)),
            _ => {
                let message = format!("Expected ',' or '{}' after {after} but found {}.", close as char, self.found());
                Err(self.error("ExpectedCommaOrEnd", message))
            }
        }
    }

    fn cut_off(&self, inside: &str) -> ParseError {
        self.error("UnexpectedEnd", format!("The file ends inside an {inside}: it looks cut off."))
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, ParseError> {
        let mut members = vec![];
        if self.opens_empty(b'}') {
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            match self.bytes.get(self.i) {
                Some(b'"') => {}
                None => return Err(self.cut_off("object")),
                Some(b'}') => {
                    return Err(
                        self.error("TrailingComma", "A comma before } is not allowed in JSON: remove the last comma.")
                    )
                }
                _ => {
                    return Err(self.error(
                        "ExpectedKey",
                        format!("Expected a field name in double quotes but found {}.", self.found()),
                    ))
                }
            }
            let key_pos = self.pos();
            let key = Node { value: Value::String(self.string()?), pos: key_pos };
            self.skip_ws();
            if self.bytes.get(self.i) != Some(&b':') {
                return Err(self
                    .error("ExpectedColon", format!("Expected ':' after the field name but found {}.", self.found())));
            }
            self.i += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push((key, value));
            if self.closes(b'}', "object", "a field")? {
                return Ok(Value::Object(members));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, ParseError> {
        let mut items = vec![];
        if self.opens_empty(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.i) == Some(&b']') {
                return Err(
                    self.error("TrailingComma", "A comma before ] is not allowed in JSON: remove the last comma.")
                );
            }
            items.push(self.value(depth + 1)?);
            if self.closes(b']', "array", "an item")? {
                return Ok(Value::Array(items));
            }
        }
    }

    fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        self.i += 1; // opening quote
        let start = self.i;
        // Fast path: no escapes, borrow from the input.
        while let Some(&b) = self.bytes.get(self.i) {
            match b {
                b'"' => {
                    let s = &self.src[start..self.i];
                    self.i += 1;
                    return Ok(Cow::Borrowed(s));
                }
                b'\\' => break,
                b'\n' | b'\r' | 0..=0x1f => return Err(self.error("ControlCharacterInString", "A string contains a line break or control character; write it as \\n or \\u00XX, or close the string's quote.")),
                _ => self.i += 1,
            }
        }
        if self.i >= self.bytes.len() {
            return Err(self.error("UnexpectedEnd", "The file ends inside a string: a closing \" is missing."));
        }
        let mut out = String::from(&self.src[start..self.i]);
        loop {
            let Some(&b) = self.bytes.get(self.i) else {
                return Err(self.error("UnexpectedEnd", "The file ends inside a string: a closing \" is missing."));
            };
            match b {
                b'"' => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    let esc = self.bytes.get(self.i + 1).copied();
                    let c = match esc {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.i += 2;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.bytes.get(self.i) == Some(&b'\\') && self.bytes.get(self.i + 1) == Some(&b'u') {
                                    self.i += 2;
                                    let lo = self.hex4()?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return Err(self.error("InvalidEscape", "A \\u escape holds half of a surrogate pair without its other half."));
                                    }
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    return Err(self.error("InvalidEscape", "A \\u escape holds half of a surrogate pair without its other half."));
                                }
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return Err(self.error("InvalidEscape", "A \\u escape holds half of a surrogate pair without its other half."));
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).expect("surrogates were excluded"));
                            continue;
                        }
                        _ => return Err(self.error("InvalidEscape", "A backslash in a string must start an escape such as \\n, \\\" or \\u00e9.")),
                    };
                    out.push(c);
                    self.i += 2;
                }
                b'\n' | b'\r' | 0..=0x1f => return Err(self.error("ControlCharacterInString", "A string contains a line break or control character; write it as \\n or \\u00XX, or close the string's quote.")),
                _ => {
                    let ch = self.src[self.i..].chars().next().expect("in bounds");
                    out.push(ch);
                    self.i += ch.len_utf8();
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self.src.get(self.i..self.i + 4).filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits {
            Some(d) => {
                self.i += 4;
                Ok(u32::from_str_radix(d, 16).expect("hex digits"))
            }
            None => Err(self.error("InvalidEscape", "\\u must be followed by four hexadecimal digits.")),
        }
    }

    fn number(&mut self) -> Result<Value<'a>, ParseError> {
        let start = self.i;
        let start_pos = self.pos();
        let b = self.bytes;
        if b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        match b.get(self.i) {
            Some(b'0') => {
                self.i += 1;
                if matches!(b.get(self.i), Some(b'0'..=b'9')) {
                    return Err(self.error(
                        "InvalidNumber",
                        "Numbers can't have leading zeros in JSON; identifiers such as TINs must be strings in quotes.",
                    ));
                }
            }
            Some(b'1'..=b'9') => {
                while matches!(b.get(self.i), Some(b'0'..=b'9')) {
                    self.i += 1;
                }
            }
            _ => return Err(self.error("InvalidNumber", "A '-' must be followed by digits.")),
        }
        if b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !matches!(b.get(self.i), Some(b'0'..=b'9')) {
                return Err(self.error("InvalidNumber", "A decimal point must be followed by digits."));
            }
            while matches!(b.get(self.i), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        if matches!(b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !matches!(b.get(self.i), Some(b'0'..=b'9')) {
                return Err(self.error("InvalidNumber", "An exponent must have digits."));
            }
            while matches!(b.get(self.i), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        let raw = &self.src[start..self.i];
        let value: f64 = raw.parse().map_err(|_| self.error("InvalidNumber", format!("{raw} is not a number.")))?;
        if !value.is_finite() {
            return Err(self.error_at(
                start_pos,
                "NumberOutOfRange",
                format!("The number {} is too large to be a count or rate.", shorten(raw)),
            ));
        }
        Ok(Value::Number { raw, value })
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 24 {
        format!("{}…", s.chars().take(24).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests;
