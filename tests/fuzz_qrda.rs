//! Fuzzing the QRDA III converter with bolero, for a bounded time inside `cargo test`
//! (`QPP_FUZZ_SECONDS`, default 15): whatever the bytes, the decoder answers with findings or a
//! converted file — never a panic or a loop — and every finding names a place inside the file.
//! With `cargo bolero test` (nightly + libFuzzer) the same target runs as a coverage-guided fuzzer.
#![cfg(not(target_arch = "wasm32"))]

use mips_elections::qpp::convert::convert;
use mips_elections::qpp::embedded;
use mips_elections::qpp::generate::mutate;
use std::time::Duration;

fn budget() -> Duration {
    Duration::from_secs(std::env::var("QPP_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(15))
}

const SEED: &[u8] = include_bytes!("fixtures/qrda/valid/ct-valid-QRDA-III-abridged.xml");

/// A valid QRDA III document with random edits (bytes replaced, inserted, deleted): this reaches
/// the template decoders and the encoder, not only the XML reader.
#[test]
fn mutated_qrda_documents_never_panic() {
    let lines = |b: &[u8]| 1 + b.iter().filter(|c| **c == b'\n').count() as u32;
    bolero::check!().with_test_time(budget()).with_type::<Vec<(u16, u8, u8)>>().for_each(
        |edits: &Vec<(u16, u8, u8)>| {
            let bytes = mutate(SEED, edits, 7);
            let c = convert(&bytes, &embedded::year);
            for f in &c.findings {
                assert!(f.line >= 1 && f.line <= lines(&bytes), "{f:?}");
                assert!(!f.message.is_empty() && f.ct_message.starts_with("CT - "), "{f:?}");
            }
            assert_eq!(c.qpp.is_some(), c.errors() == 0);
        },
    );
}
