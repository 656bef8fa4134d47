//! Fuzzing the QPP JSON validator with bolero, for a bounded time inside `cargo test`
//! (`QPP_FUZZ_SECONDS`, default 15 per target). Whatever the bytes, the validator must answer
//! with a report — never panic, never loop — and every listed finding must point inside the file.
//! With `cargo bolero test` (nightly + libFuzzer) the same targets run as coverage-guided fuzzers.
#![cfg(not(target_arch = "wasm32"))]

use mips_elections::qpp::generate::mutate;
use mips_elections::qpp::{embedded, validate};
use std::time::Duration;

fn budget() -> Duration {
    Duration::from_secs(std::env::var("QPP_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(15))
}

fn check(bytes: &[u8]) {
    let report = validate(bytes, &embedded::year, &mut |_| {});
    let lines = 1 + bytes.iter().filter(|b| **b == b'\n').count() as u32;
    for d in &report.diagnostics {
        assert!(d.line >= 1 && d.line <= lines, "line {} of {lines}: {d:?}", d.line);
        assert!(d.offset <= bytes.len(), "{d:?}");
        assert!(!d.message.is_empty());
    }
    assert_eq!(report.errors + report.warnings, report.diagnostics.len() + report.unlisted);
}

/// Arbitrary bytes: mostly syntax errors, which must all be clean findings.
#[test]
fn arbitrary_bytes_never_panic() {
    bolero::check!().with_test_time(budget()).for_each(|bytes: &[u8]| check(bytes));
}

const SEED: &str = include_str!("fixtures/qpp/fuzz-seed.json");

/// A valid multi-participant file with random edits (bytes replaced, inserted, deleted): this
/// reaches the rules, not only the parser.
#[test]
fn mutated_submissions_never_panic() {
    bolero::check!().with_test_time(budget()).with_type::<Vec<(u16, u8, u8)>>().for_each(
        |edits: &Vec<(u16, u8, u8)>| {
            let bytes = mutate(SEED.as_bytes(), edits, 1);
            check(&bytes);
        },
    );
}
