// The QPP JSON validator's Web Worker: it reads the chosen file, fetches the measures catalogue
// of each performance year the file uses, and runs the validator (the app's own wasm, see
// src/app/worker.rs) off the main thread, so the page never freezes. The file is only read
// here; nothing of it is sent anywhere — the only requests are for the public catalogues.
'use strict';

let bindings = null;

async function load(glue, wasm) {
  if (!bindings) {
    const module = await import(glue);
    await module.default({ module_or_path: wasm });
    bindings = module;
  }
  return bindings;
}

// Fetches and loads the catalogues of `years` not loaded yet; false if one could not be had.
async function ensureCatalogues(m, years) {
  let ok = true;
  for (const year of years) {
    if (m.qpp_has_catalogue(year)) continue;
    const url = m.qpp_catalogue_url(year);
    if (!url) continue; // No catalogue for this year: the rules say so themselves.
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      m.qpp_load_catalogue(await res.text());
    } catch (e) {
      ok = false;
    }
  }
  return ok;
}

async function readWithProgress(id, file) {
  const bytes = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let offset = 0;
  let lastPost = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.length > bytes.length) throw new Error('The file changed while it was being read.');
    bytes.set(value, offset);
    offset += value.length;
    const now = performance.now();
    if (now - lastPost > 50) {
      lastPost = now;
      postMessage({ id, type: 'progress', phase: 'reading', done: offset, total: file.size });
    }
  }
  postMessage({ id, type: 'progress', phase: 'reading', done: offset, total: file.size });
  return offset === bytes.length ? bytes : bytes.subarray(0, offset);
}

self.onmessage = async (event) => {
  const { id, glue, wasm, file, prefetch } = event.data;
  try {
    const m = await load(glue, wasm);
    if (prefetch) {
      await ensureCatalogues(m, Array.from(m.qpp_catalogue_years()));
      postMessage({ id, type: 'prefetched' });
      return;
    }
    const bytes = await readWithProgress(id, file);
    // QRDA III (XML): read the participant and sections; no catalogue is needed. The test is
    // the Rust one the server applies (crate::qpp::qrda::looks_like_xml).
    if (m.qrda_looks_like_xml(bytes.subarray(0, m.qrda_sniff_bytes()))) {
      postMessage({ id, type: 'done', qrda: m.qrda_read(bytes) });
      return;
    }
    await ensureCatalogues(m, Array.from(m.qpp_sniff_years(bytes.subarray(0, 65536))));
    let lastPost = 0;
    const progress = (submissions, offset) => {
      const now = performance.now();
      if (now - lastPost > 50) {
        lastPost = now;
        postMessage({ id, type: 'progress', phase: 'checking', done: offset, total: bytes.length, submissions });
      }
    };
    let report = m.qpp_validate(bytes, progress);
    // Years found beyond the first 64 KB: fetch them and check again (rare: one file, one year).
    const missing = JSON.parse(report).missingYears || [];
    if (missing.length && (await ensureCatalogues(m, missing))) {
      report = m.qpp_validate(bytes, progress);
    }
    postMessage({ id, type: 'done', report });
  } catch (e) {
    postMessage({ id, type: 'failed', message: String((e && e.message) || e) });
  }
};
