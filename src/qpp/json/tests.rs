//! The parser's positions and every malformed-input error.

use super::*;

fn p(s: &str) -> Result<Node<'_>, ParseError> {
    parse(s.as_bytes(), Limits::default())
}

#[test]
fn values_keep_their_positions() {
    let doc = "{\n  \"entityType\": \"group\",\n  \"measurementSets\": [\n    {\"category\": \"quality\", \"n\": -1.5e2}\n  ]\n}";
    let root = p(doc).unwrap();
    let src = doc.as_bytes();
    assert_eq!(root.pos, Pos { line: 1, line_start: 0, offset: 0 });
    let et = root.get("entityType").unwrap();
    assert_eq!(et.as_str(), Some("group"));
    assert_eq!((et.pos.line, et.pos.column(src)), (2, 17));
    let set = &root.get("measurementSets").unwrap().as_array().unwrap()[0];
    assert_eq!((set.pos.line, set.pos.column(src)), (4, 5));
    let n = set.get("n").unwrap();
    assert_eq!(n.as_f64(), Some(-150.0));
    assert!(matches!(n.value, Value::Number { raw: "-1.5e2", .. }));
}

#[test]
fn columns_count_characters_not_bytes() {
    let doc = "{\"name\": \"Krajíček\", \"x\": 1}";
    let root = p(doc).unwrap();
    assert_eq!(root.get("x").unwrap().pos.column(doc.as_bytes()), 27);
    assert_eq!(root.get("name").unwrap().as_str(), Some("Krajíček"));
}

#[test]
fn escapes_and_surrogate_pairs() {
    let root = p(r#"["a\"b\\c\/\n\t", "\u00e9\ud83d\ude00"]"#).unwrap();
    let items = root.as_array().unwrap();
    assert_eq!(items[0].as_str(), Some("a\"b\\c/\n\t"));
    assert_eq!(items[1].as_str(), Some("é😀"));
    assert_eq!(p(r#""\ud83d""#).unwrap_err().code, "InvalidEscape");
    assert_eq!(p(r#""\x""#).unwrap_err().code, "InvalidEscape");
    assert_eq!(p(r#""\u12""#).unwrap_err().code, "InvalidEscape");
}

#[test]
fn malformed_input_gets_a_named_place() {
    let cases: &[(&str, &str, u32, u32)] = &[
        ("", "EmptyFile", 1, 1),
        ("   \n ", "EmptyFile", 2, 2),
        ("{\"a\": 1,}", "TrailingComma", 1, 9),
        ("[1,]", "TrailingComma", 1, 4),
        ("{\"a\" 1}", "ExpectedColon", 1, 6),
        ("{\"a\": 1\n \"b\": 2}", "ExpectedCommaOrEnd", 2, 2),
        ("{\"a\": [1, 2", "UnexpectedEnd", 1, 12),
        ("{\"a\": \"cut", "UnexpectedEnd", 1, 11),
        ("{'a': 1}", "ExpectedKey", 1, 2),
        ("{\"tin\": 000123456}", "InvalidNumber", 1, 10),
        ("{\"a\": tru}", "UnexpectedCharacter", 1, 7),
        ("{} {}", "TrailingContent", 1, 4),
        ("<?xml version=\"1.0\"?><ClinicalDocument/>", "NotJson", 1, 1),
        ("\"line\nbreak\"", "ControlCharacterInString", 1, 6),
        ("[1e400]", "NumberOutOfRange", 1, 2),
        ("[-]", "InvalidNumber", 1, 3),
        ("[1.]", "InvalidNumber", 1, 4),
    ];
    for (input, code, line, column) in cases {
        let e = p(input).unwrap_err();
        assert_eq!((e.code, e.line, e.column), (*code, *line, *column), "{input:?}: {e}");
        assert!(e.message.len() > 20, "a readable message for {input:?}");
    }
}

#[test]
fn not_utf8_is_reported_where_it_starts() {
    let mut bytes = b"{\n \"name\": \"Kraj".to_vec();
    bytes.push(0xED); // Windows-1252 'í'
    bytes.extend_from_slice(b"\"}");
    let e = parse(&bytes, Limits::default()).unwrap_err();
    assert_eq!((e.code, e.line, e.column), ("NotUtf8", 2, 15));
}

#[test]
fn deep_nesting_is_refused_without_recursing() {
    let deep = "[".repeat(100_000);
    let e = p(&deep).unwrap_err();
    assert_eq!(e.code, "TooDeep");
    assert_eq!(e.column, 65);
    let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
    assert!(p(&ok).is_ok());
}

#[test]
fn a_long_minified_line_parses_in_linear_time() {
    // 400,000 values on one line: quadratic column counting would take minutes here.
    let doc = format!("[{}1]", "1,".repeat(400_000));
    let root = p(&doc).unwrap();
    let items = root.as_array().unwrap();
    assert_eq!(items.len(), 400_001);
    assert_eq!(items[400_000].pos.column(doc.as_bytes()), 800_002);
}

#[test]
fn byte_order_mark_and_duplicates_are_kept_for_the_rules() {
    let root = p("\u{FEFF}{\"a\": 1, \"a\": 2}").unwrap();
    match &root.value {
        Value::Object(m) => assert_eq!(m.len(), 2),
        _ => panic!("object"),
    }
    assert_eq!(root.get("a").unwrap().as_f64(), Some(1.0), "first wins for lookups");
    assert_eq!(root.kind(), "object");
}

#[test]
fn agrees_with_serde_json_on_values() {
    let doc = r#"{"performanceYear": 2025, "measurementSets": [{"measurements": [{"measureId": "001", "value": {"isEndToEndReported": true, "performanceMet": 10, "eligiblePopulation": 12.0, "x": null}}]}]}"#;
    let ours = p(doc).unwrap();
    let theirs: serde_json::Value = serde_json::from_str(doc).unwrap();
    fn same(n: &Node, v: &serde_json::Value) -> bool {
        match (&n.value, v) {
            (Value::Null, serde_json::Value::Null) => true,
            (Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
            (Value::Number { value, .. }, serde_json::Value::Number(b)) => Some(*value) == b.as_f64(),
            (Value::String(a), serde_json::Value::String(b)) => a == b,
            (Value::Array(a), serde_json::Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
            }
            (Value::Object(a), serde_json::Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter().all(|(k, x)| b.get(k.as_str().unwrap()).map(|y| same(x, y)).unwrap_or(false))
            }
            _ => false,
        }
    }
    assert!(same(&ours, &theirs));
}

#[test]
fn mutated_inputs_never_panic() {
    // Deterministic mutations (xorshift) of a realistic document: flips, cuts and
    // insertions of JSON-significant bytes. Every result is Ok or a positioned error.
    let base = r#"{"entityType":"individual","taxpayerIdentificationNumber":"000456789","nationalProviderIdentifier":"0876543210","performanceYear":2025,"measurementSets":[{"category":"quality","submissionMethod":"registry","performanceStart":"2025-01-01","performanceEnd":"2025-12-31","measurements":[{"measureId":"001","value":{"isEndToEndReported":false,"performanceMet":10,"eligiblePopulation":12,"strata":[{"stratum":"a","performanceMet":1e2}]}}]}],"name":"Krajíček ✓"}"#.as_bytes();
    let specials = b"{}[]\",:\\u0-.eE \n\xff\xc3";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let mut doc = base.to_vec();
        for _ in 0..(1 + next() % 4) {
            let at = (next() as usize) % (doc.len() + 1);
            match next() % 3 {
                0 if at < doc.len() => doc[at] = specials[(next() as usize) % specials.len()],
                1 => doc.truncate(at),
                _ => doc.insert(at.min(doc.len()), specials[(next() as usize) % specials.len()]),
            }
        }
        if let Err(e) = parse(&doc, Limits::default()) {
            assert!(e.line >= 1 && e.column >= 1 && e.offset <= doc.len(), "{e:?}");
        }
    }
}
