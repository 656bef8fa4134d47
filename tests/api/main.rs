//! API tests: the router is called in-process (tower::ServiceExt::oneshot) against a real
//! database. Every test runs twice, on SQLite and on PostgreSQL. PostgreSQL comes from
//! `MIPS_TEST_POSTGRES_URL` (an admin URL; each test creates its own database), which
//! `./scripts/test` sets after starting a throwaway server. Without it the PostgreSQL variants
//! fail with a message saying so, rather than passing silently. One file per resource.
#![cfg(not(target_arch = "wasm32"))]

mod harness;
mod registry_harness;

mod elections;
mod eligibility_api;
mod headers;
mod import;
mod practices;
mod registry_api;
mod registry_uploads;
mod service;
mod session;
