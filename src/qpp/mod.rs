//! QPP JSON validation, shared by the browser (wasm) and the server (native).
//!
//! Work in progress toward issue 4: so far the position-keeping JSON parser that every
//! diagnostic will point through (`json`). The submission rules, the per-year measures
//! catalogue, the Web Worker and the public validator page are still to come.

pub mod json;
