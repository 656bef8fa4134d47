//! What the validator's Web Worker (`public/qpp-worker.js`) calls in this module. The worker
//! loads the app's own wasm, so the rules that run in the browser are byte for byte the ones the
//! server runs (`crate::qpp`); these exports only move bytes, catalogues and progress across.

use crate::qpp::catalogue::Index;
use crate::qpp::rules::Catalogues;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// Catalogues the worker has fetched, by year. Kept for the worker's life: a user checking
    /// several files of the same year fetches and parses the year once.
    static LOADED: RefCell<Vec<Index>> = const { RefCell::new(Vec::new()) };
}

struct Loaded<'a>(&'a [Index]);

impl Catalogues for Loaded<'_> {
    fn get(&self, year: u16) -> Option<&Index> {
        self.0.iter().find(|i| i.year() == year)
    }
}

/// The static path of a year's catalogue, or undefined for a year without one.
#[wasm_bindgen]
pub fn qpp_catalogue_url(year: u16) -> Option<String> {
    crate::qpp::catalogue_files::url(year)
}

/// Every year with a catalogue (the page prefetches them so checks also work offline).
#[wasm_bindgen]
pub fn qpp_catalogue_years() -> Vec<u16> {
    crate::qpp::catalogue_files::years().collect()
}

#[wasm_bindgen]
pub fn qpp_sniff_years(prefix: &[u8]) -> Vec<u16> {
    crate::qpp::sniff_years(prefix)
}

#[wasm_bindgen]
pub fn qpp_has_catalogue(year: u16) -> bool {
    LOADED.with(|l| l.borrow().iter().any(|i| i.year() == year))
}

/// Parses a fetched catalogue and keeps it; returns its year.
#[wasm_bindgen]
pub fn qpp_load_catalogue(text: &str) -> Result<u16, JsError> {
    let index = Index::from_json(text).map_err(|e| JsError::new(&e))?;
    let year = index.year();
    LOADED.with(|l| {
        let mut l = l.borrow_mut();
        l.retain(|i| i.year() != year);
        l.push(index);
    });
    Ok(year)
}

/// Validates a file; `progress(submissionsChecked, byteOffset)` is called every 100
/// submissions. Returns the report as JSON (the page reads it with the same serde types).
#[wasm_bindgen]
pub fn qpp_validate(bytes: &[u8], progress: &js_sys::Function) -> String {
    LOADED.with(|l| {
        let l = l.borrow();
        let report = crate::qpp::validate(bytes, &Loaded(&l), &mut |p| {
            let _ =
                progress.call2(&JsValue::NULL, &JsValue::from(p.submissions as f64), &JsValue::from(p.offset as f64));
        });
        serde_json::to_string(&report).unwrap_or_else(|_| "{}".into())
    })
}

/// How many leading bytes `qrda_looks_like_xml` needs.
#[wasm_bindgen]
pub fn qrda_sniff_bytes() -> usize {
    crate::qpp::qrda::SNIFF_BYTES
}

/// Whether a file (its first `qrda_sniff_bytes()` bytes suffice) is XML rather than JSON: the
/// same test the server applies.
#[wasm_bindgen]
pub fn qrda_looks_like_xml(head: &[u8]) -> bool {
    crate::qpp::qrda::looks_like_xml(head)
}

/// Reads a QRDA III file (well-formedness, participant, year, sections) and returns the
/// summary as JSON. Not full QRDA III validation: see `crate::qpp::qrda`.
#[wasm_bindgen]
pub fn qrda_read(bytes: &[u8]) -> String {
    serde_json::to_string(&crate::qpp::qrda::read(bytes)).unwrap_or_default()
}
