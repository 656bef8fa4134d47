//! The browser's API client. The API base URL comes from `/config.json`, read once at start-up,
//! so one build serves any deployment. The CSRF token of the session is attached to every
//! mutating request; a 401 anywhere signs the user out of the SPA.

use crate::api::endpoints::{Endpoint, Method, RawBody};
use crate::api::{ApiErrorBody, ApiErrorDetail, CSRF_HEADER};
use crate::domain::PerformanceYear;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeConfig {
    /// Prefix of every API path: "" when the API is served from the same origin.
    #[serde(default)]
    pub api_base_url: String,
}

#[derive(Default)]
struct ClientState {
    base: String,
    csrf: Option<String>,
    on_unauthorized: Option<Rc<dyn Fn()>>,
}

thread_local! {
    static STATE: RefCell<ClientState> = RefCell::new(ClientState::default());
}

pub fn configure(config: &RuntimeConfig) {
    STATE.with(|s| s.borrow_mut().base = config.api_base_url.trim_end_matches('/').to_string());
}
pub fn set_csrf(token: Option<String>) {
    STATE.with(|s| s.borrow_mut().csrf = token);
}
pub fn on_unauthorized(f: impl Fn() + 'static) {
    STATE.with(|s| s.borrow_mut().on_unauthorized = Some(Rc::new(f)));
}

/// Why a request failed, ready to show to a person.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientError {
    /// The API answered with its error shape.
    Api { status: u16, error: ApiErrorDetail },
    /// The request never got an answer (offline, server down).
    Network(String),
    /// The answer could not be read.
    Decode(String),
}

impl ClientError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
    pub fn kind(&self) -> &str {
        match self {
            ClientError::Api { error, .. } => &error.kind,
            ClientError::Network(_) => "NetworkError",
            ClientError::Decode(_) => "DecodeError",
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Api { error, .. } => f.write_str(&error.message),
            ClientError::Network(_) => {
                f.write_str("We couldn't reach the server. Check your connection and try again; nothing was changed.")
            }
            ClientError::Decode(_) => {
                f.write_str("The server's answer could not be read. Reload the page and try again.")
            }
        }
    }
}

impl std::error::Error for ClientError {}

fn url(path: &str) -> String {
    STATE.with(|s| format!("{}{}", s.borrow().base, path))
}

async fn finish<T: DeserializeOwned>(res: Result<Response, gloo_net::Error>) -> Result<T, ClientError> {
    let res = res.map_err(|e| ClientError::Network(e.to_string()))?;
    let status = res.status();
    if (200..300).contains(&status) {
        if status == 204 {
            return serde_json::from_str("null").map_err(|e| ClientError::Decode(e.to_string()));
        }
        return res.json::<T>().await.map_err(|e| ClientError::Decode(e.to_string()));
    }
    if status == 401 {
        let cb = STATE.with(|s| s.borrow().on_unauthorized.clone());
        if let Some(cb) = cb {
            cb();
        }
    }
    match res.json::<ApiErrorBody>().await {
        Ok(body) => Err(ClientError::Api { status, error: body.error }),
        Err(_) => Err(ClientError::Api {
            status,
            error: ApiErrorDetail {
                kind: "HttpError".into(),
                message: format!("The server answered with HTTP {status}. Please try again."),
                details: vec![],
            },
        }),
    }
}

fn with_csrf(b: RequestBuilder) -> RequestBuilder {
    match STATE.with(|s| s.borrow().csrf.clone()) {
        Some(t) => b.header(CSRF_HEADER, &t),
        None => b,
    }
}

/// Calls an endpoint of `api::endpoints`: its method and path, the path's `{…}` segments from
/// `params`, then `query` (e.g. `?year=2025`), and `body` as JSON. The answer's type is the
/// endpoint's, so a page can't read an answer as the wrong type.
pub async fn call<Req: Serialize, Res: DeserializeOwned>(
    endpoint: &Endpoint<Req, Res>, params: &[&str], query: &str, body: Option<&Req>,
) -> Result<Res, ClientError> {
    let path = format!("{}{query}", endpoint.url(params));
    let builder = match endpoint.method {
        Method::Get => return finish(Request::get(&url(&path)).send().await).await,
        Method::Post => with_csrf(Request::post(&url(&path))),
        Method::Delete => with_csrf(Request::delete(&url(&path))),
    };
    let req = match body {
        Some(b) => builder.json(b).map_err(|e| ClientError::Decode(e.to_string()))?,
        None => builder.build().map_err(|e| ClientError::Decode(e.to_string()))?,
    };
    finish(req.send().await).await
}

/// `?year=2025`
pub fn year_query(year: PerformanceYear) -> String {
    format!("?year={year}")
}

/// Reads `/config.json` beside `index.html`. A missing file means "same origin".
pub async fn load_config() -> RuntimeConfig {
    match Request::get("/config.json").send().await {
        Ok(res) if res.ok() => res.json::<RuntimeConfig>().await.unwrap_or_default(),
        _ => RuntimeConfig::default(),
    }
}

/// Posts a multipart form (files and a JSON manifest); the browser sets the boundary.
pub async fn post_form<Res: DeserializeOwned>(
    endpoint: &Endpoint<RawBody, Res>, params: &[&str], form: &web_sys::FormData, headers: &[(&str, &str)],
) -> Result<Res, ClientError> {
    let mut b = with_csrf(Request::post(&url(&endpoint.url(params))));
    for (k, v) in headers {
        b = b.header(k, v);
    }
    let req = b.body(form).map_err(|e| ClientError::Decode(e.to_string()))?;
    finish(req.send().await).await
}
