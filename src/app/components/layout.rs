use crate::api::endpoints;
use crate::app::client;
use crate::app::context::use_app;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use wasm_bindgen::JsCast;

const SITE: &str = "Quality Payment Program";

/// The page's one `h1`. It sets the document title to match and takes focus when the page
/// mounts, so that after a route change a screen reader announces the new page and keyboard
/// focus starts at its top.
#[component]
pub fn PageHeading(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let h1 = NodeRef::<leptos::html::H1>::new();
    let location = use_location();
    Effect::new(move |_| {
        let t = text.get();
        document().set_title(&format!("{t} | {SITE}"));
    });
    // Any navigation — a new path, or only a new query such as another year or tab — moves
    // focus to the h1, or to the element a #fragment names.
    Effect::new(move |_| {
        location.pathname.track();
        location.search.track();
        let hash = location.hash.get();
        let target = hash
            .strip_prefix('#')
            .filter(|id| !id.is_empty())
            .and_then(|id| document().get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        match (target, h1.get()) {
            (Some(t), _) => {
                let _ = t.focus();
            }
            (None, Some(el)) => {
                let _ = el.focus();
            }
            _ => {}
        }
    });
    view! { <h1 class="ds-text-heading--3xl page-heading" tabindex="-1" node_ref=h1>{move || text.get()}</h1> }
}

/// One problem with one form field, for the error summary.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// The `id` of the field to move to; empty for a problem with no field.
    pub field_id: String,
    pub message: String,
}

/// GOV.UK-style error summary: appears above the form, takes focus so it is announced, and
/// links each problem to its field.
#[component]
pub fn ErrorSummary(#[prop(into)] errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let summary = NodeRef::<leptos::html::Div>::new();
    // Focus moves to the summary once it is in the page, and again whenever the problems
    // change: the effect lives inside what `Show` renders, so the element exists when it runs.
    let focus_when_shown = move || {
        Effect::new(move |_| {
            errors.track();
            if let Some(el) = summary.get() {
                let _ = el.focus();
            }
        });
    };
    view! {
        <Show when=move || !errors.get().is_empty()>
            {focus_when_shown()}
            <div class="ds-c-alert ds-c-alert--error error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title" node_ref=summary>
                <div class="ds-c-alert__body">
                    <h2 class="ds-c-alert__heading" id="error-summary-title">"There is a problem"</h2>
                    <ul class="ds-c-list">
                        {move || errors.get().into_iter().map(|e| {
                            if e.field_id.is_empty() {
                                view! { <li>{e.message}</li> }.into_any()
                            } else {
                                let id = e.field_id.clone();
                                view! {
                                    <li>
                                        <a href=format!("#{}", e.field_id) on:click=move |ev| {
                                            ev.prevent_default();
                                            if let Some(el) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                                                let _ = el.focus();
                                            }
                                        }>{e.message}</a>
                                    </li>
                                }.into_any()
                            }
                        }).collect_view()}
                    </ul>
                </div>
            </div>
        </Show>
    }
}

/// The error line under a field's label; its `id` is what the field's aria-describedby names.
#[component]
pub fn InlineError(#[prop(into)] id: String, #[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        let id = id.clone();
        message.get().map(|m| {
            view! {
                <p class="ds-c-inline-error" id=id><span class="ds-u-visibility--screen-reader">"Error: "</span>{m}</p>
            }
        })
    }
}

/// The frame of the signed-out pages: the programme name and the Sign in / Register tabs.
#[component]
pub fn AccountFrame(current: &'static str, children: Children) -> impl IntoView {
    let aria = move |name: &str| if name == current { Some("page") } else { None };
    view! {
        <div class="account-page">
            <p class="account-page__brand">"Quality Payment Program"</p>
            <nav class="account-tabs" aria-label="QPP Account">
                <a href="/sign-in" class="account-tabs__tab" aria-current=aria("sign-in")>"Sign in"</a>
                <a href="/register" class="account-tabs__tab" aria-current=aria("register")>"Register"</a>
            </nav>
            <main id="main-content" class="account-card" tabindex="-1">{children()}</main>
            <nav class="public-tools" aria-label="Public tools">
                <h2 class="ds-text-heading--lg">"No sign-in needed"</h2>
                <ul class="ds-c-list ds-c-list--bare">
                    <li><a class="ds-c-link" href="/validate">"Validate a file"</a>": check QPP JSON files against CMS's submission rules before you send them."</li>
                    <li><a class="ds-c-link" href="/participation-status">"Participation Status"</a>": look up a clinician's MIPS eligibility and opt-in option by NPI."</li>
                </ul>
            </nav>
        </div>
    }
}

#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! { <p class="loading" role="status">{format!("Loading {what}…")}</p> }
}

/// The fallback of an `ErrorBoundary`: says what failed in words, with a way to retry.
#[component]
pub fn LoadError(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div class="ds-c-alert ds-c-alert--error" role="alert">
            <div class="ds-c-alert__body">
                <h2 class="ds-c-alert__heading">"This page could not be loaded"</h2>
                <ul class="ds-c-list">
                    {move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}
                </ul>
                <p><button type="button" class="ds-c-button ds-c-button--small" on:click=|_| { let _ = window().location().reload(); }>"Reload the page"</button></p>
            </div>
        </div>
    }
}

/// A page for signed-in users, in the site's shell (used by the router).
#[component]
pub fn SignedInPage(children: ChildrenFn) -> impl IntoView {
    let children = StoredValue::new(children);
    view! { <RequireSignIn><Shell>{children.with_value(|c| c())}</Shell></RequireSignIn> }
}

/// Sends a signed-out visitor to the sign-in page, then back here after signing in.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let app = use_app();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if app.session.get().is_none() {
            let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
            navigate(&format!("/sign-in?next={}", js_sys::encode_uri_component(&here)), Default::default());
        }
    });
    view! { <Show when=move || app.session.get().is_some()>{children()}</Show> }
}

/// The signed-in frame: skip link, header with the user and Sign out, side navigation, main.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let sign_out =
        Action::new_local(move |_: &()| async move { client::call(&endpoints::SIGN_OUT, &[], "", None).await });
    let sign_out_error = RwSignal::new(None::<String>);
    Effect::new(move |_| match sign_out.value().get() {
        // A 401 means the session had already ended: signed out either way.
        Some(Ok(())) | Some(Err(client::ClientError::Api { status: 401, .. })) => {
            client::set_csrf(None);
            app.session.set(None);
            navigate("/sign-in?signed-out=1", Default::default());
        }
        Some(Err(e)) => sign_out_error.set(Some(format!("You are still signed in: {e}"))),
        None => {}
    });
    let name = move || app.session.get().map(|s| s.user.display_name).unwrap_or_default();
    view! {
        <a class="ds-c-skip-nav" href="#main-content">"Skip to main content"</a>
        <header class="site-header">
            <div class="site-header__inner">
                <p class="site-header__brand">
                    <span class="site-header__program">"Quality Payment Program"</span>
                    <span class="site-header__app">"MIPS opt-in and voluntary reporting elections"</span>
                </p>
                {move || if app.session.get().is_some() {
                    view! {
                        <div class="site-header__user">
                            <span>{name}</span>
                            <button type="button" class="ds-c-button ds-c-button--ghost ds-c-button--on-dark ds-c-button--small"
                                on:click=move |_| { sign_out.dispatch(()); }
                                disabled=move || sign_out.pending().get()>
                                "Sign out"
                            </button>
                        </div>
                    }.into_any()
                } else {
                    // Public pages (Validate a file) are open to visitors who are not signed in.
                    view! { <div class="site-header__user"><a class="site-header__link" href="/sign-in">"Sign in"</a></div> }.into_any()
                }}
            </div>
        </header>
        {move || sign_out_error.get().map(|m| view! {
            <div class="ds-c-alert ds-c-alert--error sign-out-error" role="alert"><div class="ds-c-alert__body"><p class="ds-c-alert__text">{m}</p></div></div>
        })}
        <div class="site-body">
            <nav class="site-nav" aria-label="Main">
                <ul class="ds-c-vertical-nav">
                    <Show when=move || app.session.get().is_some()>
                        <NavItem href="/" label="Account Home"/>
                        <NavItem href="/eligibility" label="Eligibility & Reporting"/>
                    </Show>
                    <NavItem href="/validate" label="Validate a file"/>
                    <NavItem href="/participation-status" label="Participation Status"/>
                </ul>
            </nav>
            <main id="main-content" class="site-main" tabindex="-1">{children()}</main>
        </div>
        <footer class="site-footer">
            <p>"Questions? Contact the Quality Payment Program at 1-866-288-8292 (TRS: 711), Monday through Friday, 8 a.m.–8 p.m. ET, or QPP@cms.hhs.gov."</p>
        </footer>
    }
}

/// One entry of the left navigation, marked as the current page (in text for screen readers
/// through `aria-current`, and in style) while the location is in its section.
#[component]
fn NavItem(href: &'static str, label: &'static str) -> impl IntoView {
    let location = use_location();
    let current = move || in_section(&location.pathname.get(), href).then_some("page");
    let class = move || {
        if current().is_some() {
            "ds-c-vertical-nav__label ds-c-vertical-nav__label--current"
        } else {
            "ds-c-vertical-nav__label"
        }
    };
    view! {
        <li class="ds-c-vertical-nav__item">
            <a href=href class=class aria-current=current>{label}</a>
        </li>
    }
}

/// Whether `path` lies in the navigation section that starts at `section` (a practice's pages
/// belong to Eligibility & Reporting).
fn in_section(path: &str, section: &str) -> bool {
    match section {
        "/" => path == "/",
        "/eligibility" => path.starts_with("/eligibility") || path.starts_with("/practices"),
        _ => path.starts_with(section),
    }
}
