//! The single-page app (wasm only): pages, components, API client. It talks to the server only
//! through `crate::api` types, and decides nothing itself that `crate::domain` does not say.

pub mod client;
pub mod components;
pub mod context;
pub mod pages;
pub mod validator;
pub mod worker;

use crate::api::endpoints;
use components::SignedInPage;
use context::AppContext;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub fn mount() {
    console_error_panic_hook::set_once();
    register_service_worker();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(None);
    // Config and the current session are read before any page shows, so that a signed-in user
    // reloading a deep link lands on it rather than on the sign-in page.
    let boot = LocalResource::new(move || async move {
        let config = client::load_config().await;
        client::configure(&config);
        // 204 (signed out) reads as None.
        match client::call(&endpoints::SESSION, &[], "", None).await {
            Ok(Some(s)) => {
                client::set_csrf(Some(s.csrf_token.clone()));
                session.set(Some(s));
            }
            _ => session.set(None),
        }
    });
    client::on_unauthorized(move || {
        client::set_csrf(None);
        session.set(None);
    });
    let years = LocalResource::new(|| client::call(&endpoints::PERFORMANCE_YEARS, &[], "", None));
    provide_context(AppContext { session, years });

    view! {
        <Show
            when=move || boot.get().is_some()
            fallback=|| view! { <p class="app-loading" role="status">"Loading the Quality Payment Program…"</p> }
        >
            <Router>
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    <Route path=path!("/sign-in") view=pages::SignIn/>
                    <Route path=path!("/register") view=pages::Register/>
                    <Route path=path!("/validate") view=pages::ValidateFile/>
                    <Route path=path!("/participation-status") view=pages::ParticipationStatus/>
                    <Route path=path!("/") view=|| view! { <SignedInPage><pages::AccountHome/></SignedInPage> }/>
                    <Route path=path!("/eligibility") view=|| view! { <SignedInPage><pages::EligibilityReporting/></SignedInPage> }/>
                    <Route path=path!("/registries/:id") view=|| view! { <SignedInPage><pages::RegistrySubmissionDetails/></SignedInPage> }/>
                    <Route path=path!("/practices/:tin/group-options") view=pages::ReportingOptionsPage/>
                    <Route path=path!("/practices/:tin/election-confirmed") view=pages::ElectionConfirmed/>
                    <Route path=path!("/practices/:tin/reporting-options") view=pages::PathwayOptionsPage/>
                    <Route path=path!("/practices/:tin/overview") view=pages::ReportingOverview/>
                    <Route path=path!("/practices/:tin/clinicians") view=pages::PracticeDetails/>
                    <Route path=path!("/practices/:tin/clinicians/:npi/individual-options") view=pages::ReportingOptionsPage/>
                    <Route path=path!("/practices/:tin/clinicians/:npi/election-confirmed") view=pages::ElectionConfirmed/>
                    <Route path=path!("/practices/:tin/clinicians/:npi/reporting-options") view=pages::PathwayOptionsPage/>
                    <Route path=path!("/practices/:tin/clinicians/:npi/overview") view=pages::ReportingOverview/>
                </Routes>
            </Router>
        </Show>
    }
}

/// The service worker (`public/sw.js`) keeps the app shell, the wasm and the measures
/// catalogues, so "Validate a file" works offline after the first visit.
fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    let container = window.navigator().service_worker();
    // Not registered where the browser has none (e.g. plain http other than localhost).
    if js_sys::Reflect::has(&window.navigator(), &"serviceWorker".into()).unwrap_or(false) {
        let _ = container.register("/sw.js");
    }
}
