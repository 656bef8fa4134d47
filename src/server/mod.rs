//! The thin backend (native only): the JSON API under `/api` and the built SPA (`dist/`) for
//! everything else. `http` is HTTP itself, `routes` the thin handlers, `services` the rules
//! applied to stored facts, `store` the tables, `secrets` passwords and tokens; `app` assembles them and `cli`
//! runs them.

pub mod app;
pub mod cli;
pub mod http;
pub mod listen;
pub mod routes;
pub mod secrets;
pub mod seed;
pub mod services;
pub mod state;
pub mod store;
