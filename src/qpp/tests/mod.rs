//! Every rule has a passing case (the base submission, which yields no finding at all) and a
//! failing case (one change to it), written from CMS's QPP JSON documentation. Measure IDs are real PY2025
//! ones from CMS's measures data. `helpers` holds the base submission; one file per level.

mod files;
mod helpers;
mod measurements;
mod submissions;
