use crate::api::endpoints;
use crate::api::{SignInRequest, STATEMENT_OF_TRUTH};
use crate::app::client::{self, ClientError};
use crate::app::components::{AccountFrame, ErrorSummary, FieldError, InlineError, PageHeading};
use crate::app::context::use_app;
use crate::domain::sign_in::{missing_sign_in_fields, user_id_problem, SignInField, SIGN_IN_LINK_HOURS};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Only a path on this site is followed after sign-in. The browser's own URL parser decides
/// (it reads "/\\evil.example" or "/\t/evil.example" as another host), and the result must
/// keep this origin.
fn safe_next(next: Option<String>) -> String {
    let fallback = || "/".to_string();
    let Some(n) = next else { return fallback() };
    let Ok(origin) = window().location().origin() else { return fallback() };
    if !n.starts_with('/') {
        return fallback();
    }
    match web_sys::Url::new_with_base(&n, &origin) {
        Ok(u) if u.origin() == origin && !u.pathname().starts_with("/sign-in") => {
            format!("{}{}{}", u.pathname(), u.search(), u.hash())
        }
        _ => fallback(),
    }
}

#[component]
pub fn SignIn() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let navigate = use_navigate();
    let user_id = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let show_password = RwSignal::new(false);
    let agreed = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let field_error = move |id: &'static str| {
        Signal::derive(move || errors.get().into_iter().find(|e| e.field_id == id).map(|e| e.message))
    };

    let sign_in = Action::new_local(move |req: &SignInRequest| {
        let req = req.clone();
        async move { client::call(&endpoints::SIGN_IN, &[], "", Some(&req)).await }
    });

    // Already signed in (e.g. the back button): go on.
    let nav = navigate.clone();
    Effect::new(move |_| {
        if app.session.get().is_some() {
            nav(&safe_next(query.get_untracked().get("next")), Default::default());
        }
    });
    Effect::new(move |_| match sign_in.value().get() {
        Some(Ok(session)) => {
            client::set_csrf(Some(session.csrf_token.clone()));
            app.session.set(Some(session));
        }
        Some(Err(e)) => errors.set(server_errors(&e)),
        None => {}
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems: Vec<FieldError> =
            missing_sign_in_fields(&user_id.get_untracked(), &password.get_untracked(), agreed.get_untracked())
                .into_iter()
                .map(|f| FieldError { field_id: field_id(f).into(), message: f.message().into() })
                .collect();
        if let Some(message) = user_id_problem(&user_id.get_untracked()) {
            problems.insert(0, FieldError { field_id: field_id(SignInField::UserId).into(), message });
        }
        errors.set(problems.clone());
        if problems.is_empty() {
            sign_in.dispatch(SignInRequest {
                user_id: user_id.get_untracked().trim().to_string(),
                password: password.get_untracked(),
                agree_statement_of_truth: true,
                sign_in_link: query.get_untracked().get("link"),
            });
        }
    };

    let signed_out = move || query.read().get("signed-out").is_some();
    let with_link = move || query.read().get("link").is_some();
    view! {
        <AccountFrame current="sign-in">
                <PageHeading text="Sign in to QPP"/>
                <Show when=signed_out>
                    <div class="ds-c-alert ds-c-alert--success" role="status"><div class="ds-c-alert__body"><p class="ds-c-alert__text">"You have signed out."</p></div></div>
                </Show>
                <Show when=with_link>
                    <div class="ds-c-alert" role="status"><div class="ds-c-alert__body">
                        <p class="ds-c-alert__text">{format!("You are signing in with a one-time sign-in link. It works once, for the User ID it was made for, within {SIGN_IN_LINK_HOURS} hours of being made, however many failed attempts others have made. You still need your password.")}</p>
                    </div></div>
                </Show>
                <ErrorSummary errors=errors/>
                <form on:submit=submit novalidate>
                    <div class="form-field">
                        <label class="ds-c-label" for="user-id">"User ID"</label>
                        <InlineError id="user-id-error" message=field_error("user-id")/>
                        <input id="user-id" name="username" class="ds-c-field" type="text" autocomplete="username" spellcheck="false"
                            aria-invalid=move || field_error("user-id").get().is_some().to_string()
                            aria-describedby=move || field_error("user-id").get().map(|_| "user-id-error")
                            prop:value=move || user_id.get() on:input=move |ev| user_id.set(event_target_value(&ev))/>
                    </div>
                    <div class="form-field">
                        <label class="ds-c-label" for="password">"Password"</label>
                        <InlineError id="password-error" message=field_error("password")/>
                        <input id="password" name="password" class="ds-c-field" autocomplete="current-password"
                            type=move || if show_password.get() { "text" } else { "password" }
                            aria-invalid=move || field_error("password").get().is_some().to_string()
                            aria-describedby=move || field_error("password").get().map(|_| "password-error")
                            prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                        <div class="ds-c-choice-wrapper">
                            <input id="show-password" class="ds-c-choice ds-c-choice--small" type="checkbox"
                                prop:checked=move || show_password.get() on:change=move |ev| show_password.set(event_target_checked(&ev))/>
                            <label class="ds-c-label" for="show-password">"Show password"</label>
                        </div>
                    </div>
                    <p class="recover">"Forgot your user ID or password? "
                        <a class="ds-c-link" href="https://harp.cms.gov/" rel="external">"Recover ID or reset password (HARP)"</a></p>
                    <p class="aco-note">"If you are a representative of a Shared Savings Program ACO and can access the ACO Management System (ACO-MS), you can sign in to QPP using the same User ID and Password."</p>
                    <fieldset class="ds-c-fieldset statement-of-truth" aria-describedby="sot-text">
                        <legend class="ds-c-label statement-of-truth__legend">"Statement of Truth"</legend>
                        <p id="sot-text">"In order to sign in, you must agree to this: " {STATEMENT_OF_TRUTH}</p>
                        <InlineError id="agree-error" message=field_error("agree")/>
                        <div class="ds-c-choice-wrapper">
                            <input id="agree" class="ds-c-choice" type="checkbox"
                                aria-invalid=move || field_error("agree").get().is_some().to_string()
                                aria-describedby=move || field_error("agree").get().map(|_| "agree-error")
                                prop:checked=move || agreed.get() on:change=move |ev| agreed.set(event_target_checked(&ev))/>
                            <label class="ds-c-label" for="agree">"Yes, I agree"</label>
                        </div>
                    </fieldset>
                    <button type="submit" class="ds-c-button ds-c-button--solid sign-in-button" aria-disabled=move || sign_in.pending().get().then_some("true")>
                        {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
                <p class="register-prompt">"Don't have an account? " <a class="ds-c-link" href="/register">"Register"</a></p>
                <aside class="demo-note" aria-label="Demo accounts">
                    <p>"Trying the demo? Sign in as " <code>"demo-practice"</code> " (practice representative) or " <code>"demo-registry"</code> " with the password " <code>"demo-password-1"</code> ". Demo data is made up."</p>
                </aside>
        </AccountFrame>
    }
}

/// The form element of each field.
fn field_id(f: SignInField) -> &'static str {
    match f {
        SignInField::UserId => "user-id",
        SignInField::Password => "password",
        SignInField::StatementOfTruth => "agree",
    }
}

/// Maps the server's answer onto the form's fields.
fn server_errors(e: &ClientError) -> Vec<FieldError> {
    let field_for = |path: &str| SignInField::from_json_path(path).map(field_id).unwrap_or("");
    match e {
        ClientError::Api { error, .. } if !error.details.is_empty() => error
            .details
            .iter()
            .map(|d| FieldError { field_id: field_for(&d.path).into(), message: d.message.clone() })
            .collect(),
        ClientError::Api { status: 401, .. } => vec![FieldError { field_id: "user-id".into(), message: e.to_string() }],
        _ => vec![FieldError { field_id: String::new(), message: e.to_string() }],
    }
}

#[component]
pub fn Register() -> impl IntoView {
    view! {
        <AccountFrame current="register">
                <PageHeading text="Register for QPP"/>
                <p>"The Quality Payment Program uses the HCQIS Access Roles and Profile (HARP) system for credential management. You register with HARP, not with this site; once HARP has verified your identity, you sign in here with your HARP User ID and password."</p>
                <p>"If you are a representative of a Shared Savings Program (SSP) ACO, you must contact your ACO to get a QPP Security Official or Staff User role via the ACO Management System (ACO-MS)."</p>
                <h2 class="ds-text-heading--xl">"Register with HARP"</h2>
                <p>"You will be taken to HARP to register. This process could take 5–15 minutes depending on how quickly your data is verified. HARP uses a third-party service provided by Experian to verify your identity, which may require your Social Security number."</p>
                <p>"After registering, ask your practice's or registry's Security Official to connect you to the organization; the QPP Access User Guide explains the roles."</p>
                <p><a class="ds-c-button ds-c-button--solid" href="https://harp.cms.gov/" rel="external">"Register with HARP (opens harp.cms.gov)"</a></p>
                <p><a class="ds-c-link" href="/sign-in">"Back to Sign in"</a></p>
        </AccountFrame>
    }
}
