//! The OpenAPI document, generated from the shared `api` and `domain` types (their schemas are
//! derived, not written) and the handlers' path annotations. Served at `/api/openapi.json`.

use super::{eligibility, registry, routes};
use crate::api::ApiErrorBody;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "mips-elections API",
        version = "0.1.0",
        description = "MIPS opt-in and voluntary-reporting elections. Every error has the shape {\"error\":{\"type\",\"message\",\"details\":[{\"path\",\"message\"}]}}. Signed-in calls use the HttpOnly session cookie; mutating calls also need the session's CSRF token in x-csrf-token."
    ),
    paths(
        routes::health,
        routes::sign_in,
        routes::get_session,
        routes::sign_out,
        routes::performance_years,
        routes::list_practices,
        routes::get_practice,
        routes::list_clinicians,
        routes::get_clinician,
        routes::connections,
        routes::make_election,
        routes::choose_pathway,
        super::qpp::validate,
        eligibility::npi_lookup,
        eligibility::opt_in_read,
        registry::submissions,
        registry::participants,
        registry::upload,
        registry::elections,
        registry::opt_in,
        registry::token_info,
        registry::create_token,
        registry::revoke_token,
    ),
    components(schemas(ApiErrorBody)),
    modifiers(&BearerScheme),
    tags(
        (name = "session", description = "Sign in with the Statement of Truth, session, sign out"),
        (name = "eligibility", description = "Practices, clinicians and their eligibility for a performance year"),
        (name = "elections", description = "Final Opt-In / Report Voluntarily elections and APM reporting pathways"),
        (name = "eligibility-api", description = "Program access modelled on the QPP Eligibility API"),
        (name = "qpp", description = "QPP JSON validation: the same rules as the browser's validator"),
        (name = "registries", description = "Qualified Registries and QCDRs: participant lookup, uploads with elections (one transaction), elections and opt-in reads for programs, the registry's API token. Session (cookie + x-csrf-token) or Authorization: Bearer <registry API token>."),
        (name = "service", description = "Health"),
    )
)]
pub struct ApiDoc;

pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// Declares the registry API token as the `bearer` security scheme.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("A registry API token, created by the registry's Security Official (ACCESS API TOKEN).")).build()));
    }
}
