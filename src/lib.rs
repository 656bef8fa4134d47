//! mips-elections: opt-in and voluntary-reporting elections for MIPS.
//!
//! `domain` and `api` are shared by the browser (wasm) and the server (native). `app` exists
//! only in the wasm build, `server` only in the native build; they never import each other.

pub mod api;
pub mod domain;
pub mod qpp;

#[cfg(target_arch = "wasm32")]
pub mod app;

#[cfg(not(target_arch = "wasm32"))]
pub mod server;
