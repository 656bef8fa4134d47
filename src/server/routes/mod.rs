//! The API's routes. Each file is one resource and lists its handlers once, in `routes()`;
//! `router()` joins them into the axum router *and* the OpenAPI document (utoipa-axum), so a
//! handler can't be routed without being documented or documented without being routed. The
//! paths come from `api::endpoints`, which the browser's client also uses.

pub mod api_token;
pub mod elections;
pub mod eligibility_api;
pub mod handler;
pub mod practices;
pub mod qpp;
pub mod registries;
pub mod session;
pub mod uploads;

use crate::api::endpoints;
use crate::api::ApiErrorBody;
use crate::server::http::error::ApiError;
use crate::server::state::AppState;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "mips-elections API",
        version = "0.1.0",
        description = "MIPS opt-in and voluntary-reporting elections. Every error has the shape {\"error\":{\"type\",\"message\",\"details\":[{\"path\",\"message\"}]}}. Signed-in calls use the HttpOnly session cookie; mutating calls also need the session's CSRF token in x-csrf-token."
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
        (name = "service", description = "Health and this document"),
    )
)]
struct ApiDoc;

/// Declares the registry API token as the `bearer` security scheme.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        let description = "A registry API token, created by the registry's Security Official (ACCESS API TOKEN).";
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some(description)).build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

#[utoipa::path(get, path = endpoints::HEALTH.path, tag = "service", responses((status = 200, description = "The service is up")))]
pub(crate) async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Every documented route and the document itself.
fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .merge(session::routes())
        .merge(practices::routes())
        .merge(elections::routes())
        .merge(eligibility_api::routes())
        .merge(qpp::routes())
        .merge(registries::routes())
        .merge(uploads::routes())
        .merge(api_token::routes())
}

/// The OpenAPI document of every route (served at `/api/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().into_openapi()
}

/// The API: every route under `/api`, the OpenAPI document, and JSON errors for unknown paths and
/// methods.
pub fn router() -> Router<AppState> {
    let (router, mut doc) = documented().split_for_parts();
    add_document_path(&mut doc);
    let doc = Arc::new(doc);
    router
        .route(endpoints::OPENAPI.path, get(move || std::future::ready(Json(doc.as_ref().clone()))))
        .route("/api/{*rest}", axum::routing::any(not_found))
        .route("/api", axum::routing::any(not_found))
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "This API endpoint does not accept that HTTP method.",
            )
        })
}

async fn not_found() -> ApiError {
    ApiError::not_found("NotFound", "There is no API endpoint at this address.")
}

/// The document describes its own path too.
fn add_document_path(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
    use utoipa::openapi::ResponseBuilder;
    let op = OperationBuilder::new()
        .tag("service")
        .summary(Some("This OpenAPI 3.1 document"))
        .response("200", ResponseBuilder::new().description("The OpenAPI document").build())
        .build();
    doc.paths.paths.insert(endpoints::OPENAPI.path.to_string(), PathItem::new(HttpMethod::Get, op));
}
