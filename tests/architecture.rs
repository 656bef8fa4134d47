//! The code's shape, enforced: which room may import which, no module importing one that imports
//! it back, and the size limits a newcomer can read (files under 700 lines, functions under 120).
//! It reads `src/` as text, so it runs in a second and fails with the offending places named.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 700;
const MAX_FUNCTION_LINES: usize = 120;

/// What each room of `src/` may import from the crate (besides itself).
const ROOMS: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("qpp", &["domain"]),
    ("api", &["domain", "qpp"]),
    ("app", &["api", "domain", "qpp"]),
    ("server", &["api", "domain", "qpp"]),
];

struct Module {
    /// Source without `#[cfg(test)]` modules and comments.
    code: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` → `a::b`, `src/a/mod.rs` → `a`; the crate root and the binary have no name here.
fn module_name(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?.with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.is_empty() || parts == ["lib"] || parts == ["main"] {
        return None;
    }
    Some(parts.join("::"))
}

/// Drops line comments and everything from the first `#[cfg(test)]` on: test modules sit at the
/// end of a file and may use anything.
fn production_code(text: &str) -> String {
    let cut = ["#[cfg(test)]", "#[cfg(all(test"].iter().filter_map(|m| text.find(m)).min().unwrap_or(text.len());
    text[..cut].lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

fn load(src: &Path) -> BTreeMap<String, Module> {
    let mut files = vec![];
    rust_files(src, &mut files);
    let mut modules = BTreeMap::new();
    for path in files {
        let text = fs::read_to_string(&path).expect("UTF-8 source");
        if let Some(name) = module_name(src, &path) {
            modules.insert(name, Module { code: production_code(&text) });
        }
    }
    modules
}

/// Every path `a::b::…` in the code (`use` trees expanded); `resolve` keeps those that name a
/// module of the crate (`crate::`, `super::`, `self::` or a child module's name).
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut out = vec![];
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        if starts_word && (c.is_alphabetic() || c == '_') {
            let mut end = i;
            while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                end += 1;
            }
            if code_at(&chars, end, "::") {
                let (trees, stop) = parse_tree(&chars, i);
                out.extend(trees);
                i = stop.max(i + 1);
            } else {
                i = end;
            }
            continue;
        }
        i += 1;
    }
    out
}

fn code_at(chars: &[char], i: usize, s: &str) -> bool {
    s.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c))
}

/// Parses `a::b::{c, d::e}` from `i`; returns the expanded paths and where it stopped.
fn parse_tree(chars: &[char], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = vec![];
    loop {
        let start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        if i > start {
            prefix.push(chars[start..i].iter().collect::<String>());
        }
        if code_at(chars, i, "::") {
            i += 2;
            if chars.get(i) == Some(&'{') {
                i += 1;
                let mut all = vec![];
                loop {
                    while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                        i += 1;
                    }
                    if i >= chars.len() || chars[i] == '}' {
                        break;
                    }
                    let (subs, end) = parse_tree(chars, i);
                    for s in subs {
                        all.push(prefix.iter().cloned().chain(s).collect());
                    }
                    i = end;
                    while i < chars.len() && !matches!(chars[i], ',' | '}') {
                        i += 1;
                    }
                }
                return (all, i + 1);
            }
            continue;
        }
        return (vec![prefix], i);
    }
}

/// The module a path names: the longest prefix that is a module (relative paths resolved).
fn resolve(from: &str, path: &[String], modules: &BTreeMap<String, Module>) -> Option<String> {
    let mut base: Vec<String> = from.split("::").map(str::to_string).collect();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &path[1..];
        }
        Some("self") => rest = &path[1..],
        Some("super") => {
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some(first) if modules.contains_key(&format!("{from}::{first}")) => {}
        _ => return None,
    }
    let mut best = None;
    let mut candidate = base.clone();
    if !candidate.is_empty() && modules.contains_key(&candidate.join("::")) {
        best = Some(candidate.join("::"));
    }
    for seg in rest {
        candidate.push(seg.clone());
        let name = candidate.join("::");
        if modules.contains_key(&name) {
            best = Some(name);
        }
    }
    best
}

fn imports(modules: &BTreeMap<String, Module>) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (name, m) in modules {
        let mut to = BTreeSet::new();
        for p in paths_in(&m.code) {
            if let Some(target) = resolve(name, &p, modules) {
                if &target != name {
                    to.insert(target);
                }
            }
        }
        graph.insert(name.clone(), to);
    }
    graph
}

fn room(module: &str) -> &str {
    module.split("::").next().unwrap_or("")
}

#[test]
fn rooms_import_only_what_they_may() {
    let modules = load(Path::new("src"));
    let mut wrong = vec![];
    for (from, targets) in imports(&modules) {
        let allowed = ROOMS.iter().find(|(r, _)| *r == room(&from)).map(|(_, a)| *a).unwrap_or(&[]);
        for to in targets {
            if room(&to) != room(&from) && !allowed.contains(&room(&to)) {
                wrong.push(format!("{from} imports {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports across rooms that are not allowed:\n{}", wrong.join("\n"));
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let modules = load(Path::new("src"));
    let graph = imports(&modules);
    let mut cycles = vec![];
    // A path from `to` back to `from` closes a cycle through the edge from → to.
    for (from, targets) in &graph {
        for to in targets {
            let mut seen = BTreeSet::new();
            let mut stack = vec![(to.clone(), vec![from.clone(), to.clone()])];
            while let Some((at, trail)) = stack.pop() {
                if &at == from {
                    cycles.push(trail.join(" → "));
                    break;
                }
                if !seen.insert(at.clone()) {
                    continue;
                }
                for next in graph.get(&at).into_iter().flatten() {
                    let mut t = trail.clone();
                    if next != from {
                        t.push(next.clone());
                    } else {
                        t.push(from.clone());
                    }
                    stack.push((next.clone(), t));
                }
            }
        }
    }
    cycles.sort();
    cycles.dedup();
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}

#[test]
fn files_and_functions_stay_readable() {
    let mut files = vec![];
    for dir in ["src", "tests", "bench", "examples"] {
        if Path::new(dir).exists() {
            rust_files(Path::new(dir), &mut files);
        }
    }
    let mut problems = vec![];
    for path in files {
        let text = fs::read_to_string(&path).expect("UTF-8 source");
        let n = text.lines().count();
        if n >= MAX_FILE_LINES {
            problems.push(format!("{}: {n} lines (limit {MAX_FILE_LINES})", path.display()));
        }
        for (line, name, len) in functions(&text) {
            if len >= MAX_FUNCTION_LINES {
                problems
                    .push(format!("{}:{line}: fn {name} is {len} lines (limit {MAX_FUNCTION_LINES})", path.display()));
            }
        }
    }
    assert!(problems.is_empty(), "too large:\n{}", problems.join("\n"));
}

/// (first line, name, length in lines) of every `fn` with a body.
fn functions(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = vec![];
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let mut depth = 0i32;
        let mut started = false;
        for (j, l) in lines.iter().enumerate().skip(i) {
            let code = strip_literals(l);
            for c in code.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        started = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if !started && code.trim_end().ends_with(';') {
                break;
            }
            if started && depth <= 0 {
                out.push((i + 1, name.clone(), j - i + 1));
                break;
            }
        }
    }
    out
}

fn fn_name(line: &str) -> Option<String> {
    let mut words = line.split_whitespace().peekable();
    while let Some(w) = words.next() {
        let bare = w.trim_start_matches("pub(crate)").trim_start_matches("pub(super)");
        match bare {
            "pub" | "async" | "const" | "unsafe" | "" => continue,
            "fn" => {
                let n = words.next()?;
                let name: String = n.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                return (!name.is_empty()).then_some(name);
            }
            _ => return None,
        }
    }
    None
}

/// The line without string and char literals and without its comment.
fn strip_literals(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        if in_str {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '\'' => {
                // A char literal such as '{' (a lifetime has no closing quote two chars later).
                let rest: Vec<char> = chars.clone().take(3).collect();
                if rest.len() >= 2 && rest[1] == '\'' {
                    chars.next();
                    chars.next();
                } else if rest.len() >= 3 && rest[0] == '\\' && rest[2] == '\'' {
                    chars.next();
                    chars.next();
                    chars.next();
                }
            }
            '/' if chars.peek() == Some(&'/') => break,
            _ => out.push(c),
        }
    }
    out
}

#[test]
fn the_checker_sees_imports_through_use_trees() {
    let paths = paths_in("use crate::domain::{lvt::X, Tin};\nlet a = super::store::Row::new();");
    assert_eq!(
        paths,
        vec![
            vec!["crate".to_string(), "domain".into(), "lvt".into(), "X".into()],
            vec!["crate".into(), "domain".into(), "Tin".into()],
            vec!["super".into(), "store".into(), "Row".into(), "new".into()],
        ]
    );
    let src = "fn a() {\n    let s = \"}\";\n    if x { y('{') }\n}\n";
    assert_eq!(functions(src), vec![(1, "a".to_string(), 4)]);
}
