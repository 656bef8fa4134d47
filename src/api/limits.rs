//! Headers, names and limits of the wire contract, as constants both sides read.

/// Programs authenticate with `Authorization: Bearer <registry API token>`; a repeated upload
/// with the same `Idempotency-Key` returns the first answer.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// The longest `Idempotency-Key` accepted.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 200;
/// The largest QPP JSON or QRDA III file (each file of an upload, and `POST /api/qpp/validate`).
pub const MAX_FILE_BYTES: usize = crate::qpp::MAX_FILE_BYTES;
/// The largest registry upload request (all files and the manifest): twice the largest file.
pub const MAX_UPLOAD_BYTES: usize = 2 * MAX_FILE_BYTES;
/// At most this many files in one upload.
pub const MAX_UPLOAD_FILES: usize = 50;
/// At most this many participants in one lookup or one elections request (a registry file may
/// hold 10,000).
pub const MAX_LOOKUP: usize = 100_000;
/// At most this many entities in one opt-in read.
pub const MAX_OPT_IN_ENTITIES: usize = 1000;
/// At most this many problems listed as details of one refused request (all are counted).
pub const MAX_ERROR_DETAILS: usize = 500;

/// The header listing entities for the opt-in read: `TIN|NPI,TIN` (QPP Eligibility API).
pub const OPT_IN_ENTITIES_HEADER: &str = "qpp-opt-in-entities";
/// How the public lookup shows a TIN the caller may not see (as the QPP Eligibility API does).
pub const MASKED_TIN: &str = "XXXXXXXXXX";

/// Mutating requests of a signed-in user carry the session's CSRF token in this header.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The session cookie (HttpOnly: the SPA never reads it).
pub const SESSION_COOKIE: &str = "mips_session";
