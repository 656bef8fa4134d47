//! Every endpoint of the API, once: method, path, request body and response body. The server's
//! handlers take their path from here (`#[utoipa::path(path = …)]`), the router and the OpenAPI
//! document are built from those handlers (`server::routes`), and the browser's client calls
//! these constants (`app::client`), so the three can't drift apart; a router test checks that
//! each endpoint here is routed and documented with these types.

use super::eligibility::*;
use super::session::{SessionInfo, SignInRequest};
use super::uploads::*;
use std::marker::PhantomData;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Delete => "delete",
        }
    }
}

/// An endpoint taking `Req` (`()`: no JSON body) and answering `Res`.
pub struct Endpoint<Req, Res> {
    pub method: Method,
    /// The route template as axum and OpenAPI write it: `/api/practices/{tin}`.
    pub path: &'static str,
    body: PhantomData<fn(Req) -> Res>,
}

const fn endpoint<Req, Res>(method: Method, path: &'static str) -> Endpoint<Req, Res> {
    Endpoint { method, path, body: PhantomData }
}

impl<Req, Res> Endpoint<Req, Res> {
    /// The path with its `{…}` segments filled in order.
    pub fn url(&self, params: &[&str]) -> String {
        let mut out = String::with_capacity(self.path.len() + 16);
        let mut rest = self.path;
        let mut params = params.iter();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').map(|c| open + c + 1).unwrap_or(rest.len());
            out.push_str(params.next().copied().unwrap_or(""));
            rest = &rest[close..];
        }
        out.push_str(rest);
        out
    }

    /// The endpoint as data, for the router test.
    pub fn describe(&self) -> Described {
        Described {
            method: self.method,
            path: self.path,
            request: short_type_name::<Req>(),
            response: short_type_name::<Res>(),
        }
    }
}

/// An endpoint's method, path and body type names (`""` for none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Described {
    pub method: Method,
    pub path: &'static str,
    pub request: String,
    pub response: String,
}

/// `crate::api::PracticeCard` → `PracticeCard`; `Option<…>` → its inner name; `()` → "".
fn short_type_name<T>() -> String {
    let full = std::any::type_name::<T>();
    let inner = full.strip_prefix("core::option::Option<").and_then(|s| s.strip_suffix('>')).unwrap_or(full);
    if inner == "()" {
        return String::new();
    }
    inner.rsplit("::").next().unwrap_or(inner).to_string()
}

/// A body the client sends or receives as raw bytes (a QPP JSON file, a multipart upload).
pub struct RawBody;
/// `{"status":"ok"}`.
pub struct Health;
/// The OpenAPI 3.1 document.
pub struct OpenApiDocument;

use Method::{Delete, Get, Post};

pub const HEALTH: Endpoint<(), Health> = endpoint(Get, "/api/health");
pub const OPENAPI: Endpoint<(), OpenApiDocument> = endpoint(Get, "/api/openapi.json");
/// 200 with the session, 204 when signed out.
pub const SESSION: Endpoint<(), Option<SessionInfo>> = endpoint(Get, "/api/session");
pub const SIGN_IN: Endpoint<SignInRequest, SessionInfo> = endpoint(Post, "/api/session");
pub const SIGN_OUT: Endpoint<(), ()> = endpoint(Delete, "/api/session");
pub const PERFORMANCE_YEARS: Endpoint<(), PerformanceYearsResponse> = endpoint(Get, "/api/performance-years");
/// `?year=`
pub const PRACTICES: Endpoint<(), PracticesResponse> = endpoint(Get, "/api/practices");
/// `{tin}?year=`
pub const PRACTICE: Endpoint<(), PracticeCard> = endpoint(Get, "/api/practices/{tin}");
pub const CLINICIANS: Endpoint<(), CliniciansResponse> = endpoint(Get, "/api/practices/{tin}/clinicians");
pub const CLINICIAN: Endpoint<(), ClinicianCard> = endpoint(Get, "/api/practices/{tin}/clinicians/{npi}");
pub const CONNECTIONS: Endpoint<(), ConnectionsResponse> = endpoint(Get, "/api/connections");
pub const ELECTIONS: Endpoint<ElectionRequest, ElectionResponse> = endpoint(Post, "/api/elections");
pub const PATHWAYS: Endpoint<PathwayRequest, PathwayResponse> = endpoint(Post, "/api/pathways");
/// Public clinician lookup modelled on the QPP Eligibility API: `{npi}?year=`
pub const ELIGIBILITY_NPI: Endpoint<(), NpiEligibilityResponse> = endpoint(Get, "/api/eligibility/npi/{npi}");
/// Opt-in read for the entities named in the `qpp-opt-in-entities` header.
pub const ELIGIBILITY_OPT_IN: Endpoint<(), OptInResponse> = endpoint(Get, "/api/eligibility/opt-in");
/// Validates a posted QPP JSON body (one submission or an array) with the browser's rules.
pub const QPP_VALIDATE: Endpoint<RawBody, QppValidationResponse> = endpoint(Post, "/api/qpp/validate");
/// Registry Submission Details: `?year=`
pub const REGISTRY_SUBMISSIONS: Endpoint<(), RegistrySubmissionsResponse> =
    endpoint(Get, "/api/registries/{registryId}/submissions");
/// Looks up the participants found in files.
pub const REGISTRY_PARTICIPANTS: Endpoint<ParticipantsLookupRequest, ParticipantsLookupResponse> =
    endpoint(Post, "/api/registries/{registryId}/participants");
/// Commits an upload (multipart: `manifest` then `file` parts).
pub const REGISTRY_UPLOADS: Endpoint<RawBody, UploadResponse> = endpoint(Post, "/api/registries/{registryId}/uploads");
/// Elections without data (API token programs).
pub const REGISTRY_ELECTIONS: Endpoint<RegistryElectionsRequest, RegistryElectionsResponse> =
    endpoint(Post, "/api/registries/{registryId}/elections");
/// Opt-in read for the registry's clients: `?year=`
pub const REGISTRY_OPT_IN: Endpoint<(), OptInResponse> = endpoint(Get, "/api/registries/{registryId}/opt-in");
/// The live token's last four characters and creator (never the token); null when none.
pub const API_TOKEN: Endpoint<(), Option<ApiTokenInfo>> = endpoint(Get, "/api/registries/{registryId}/api-token");
/// Creates or rotates the token (shown once).
pub const API_TOKEN_CREATE: Endpoint<(), ApiTokenCreated> = endpoint(Post, "/api/registries/{registryId}/api-token");
pub const API_TOKEN_REVOKE: Endpoint<(), ()> = endpoint(Delete, "/api/registries/{registryId}/api-token");

/// Every endpoint above.
pub fn all() -> Vec<Described> {
    vec![
        HEALTH.describe(),
        OPENAPI.describe(),
        SESSION.describe(),
        SIGN_IN.describe(),
        SIGN_OUT.describe(),
        PERFORMANCE_YEARS.describe(),
        PRACTICES.describe(),
        PRACTICE.describe(),
        CLINICIANS.describe(),
        CLINICIAN.describe(),
        CONNECTIONS.describe(),
        ELECTIONS.describe(),
        PATHWAYS.describe(),
        ELIGIBILITY_NPI.describe(),
        ELIGIBILITY_OPT_IN.describe(),
        QPP_VALIDATE.describe(),
        REGISTRY_SUBMISSIONS.describe(),
        REGISTRY_PARTICIPANTS.describe(),
        REGISTRY_UPLOADS.describe(),
        REGISTRY_ELECTIONS.describe(),
        REGISTRY_OPT_IN.describe(),
        API_TOKEN.describe(),
        API_TOKEN_CREATE.describe(),
        API_TOKEN_REVOKE.describe(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_fill_the_path_segments_in_order() {
        assert_eq!(CLINICIAN.url(&["000123456", "1234567893"]), "/api/practices/000123456/clinicians/1234567893");
        assert_eq!(PRACTICES.url(&[]), "/api/practices");
        assert_eq!(API_TOKEN.url(&["QR-0067"]), "/api/registries/QR-0067/api-token");
    }

    #[test]
    fn descriptions_name_the_body_types() {
        let d = PRACTICE.describe();
        assert_eq!((d.method, d.request.as_str(), d.response.as_str()), (Method::Get, "", "PracticeCard"));
        assert_eq!(API_TOKEN.describe().response, "ApiTokenInfo");
        assert_eq!(SIGN_IN.describe().request, "SignInRequest");
        let paths: std::collections::HashSet<_> = all().iter().map(|d| (d.method, d.path)).collect();
        assert_eq!(paths.len(), all().len(), "each method and path once");
    }
}
