//! ACCESS API TOKEN: the registry's token for programs. Its Security Official creates, rotates
//! or revokes it; rotating and revoking ask first, in the app's own dialog.

use crate::api::endpoints;
use crate::api::ApiTokenInfo;
use crate::app::client;
use crate::app::components::{focus_later, Alert, AlertKind, Modal};
use leptos::prelude::*;

/// What the Security Official is asked to confirm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ask {
    Rotate,
    Revoke,
}

impl Ask {
    fn question(self) -> &'static str {
        match self {
            Ask::Rotate => "Rotate the API token? Programs using the current token will stop working at once.",
            Ask::Revoke => "Revoke the API token? Programs using it will stop working at once.",
        }
    }
    fn button(self) -> &'static str {
        match self {
            Ask::Rotate => "Yes, rotate the API token",
            Ask::Revoke => "Yes, revoke the API token",
        }
    }
}

#[derive(Clone, Copy)]
struct Token {
    id: StoredValue<String>,
    info: RwSignal<Option<Result<Option<ApiTokenInfo>, String>>>,
    created: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
    status: RwSignal<String>,
}

impl Token {
    fn has_token(self) -> bool {
        matches!(self.info.get(), Some(Ok(Some(_))))
    }

    fn load(self) {
        leptos::task::spawn_local(async move {
            let id = self.id.get_value();
            let r = client::call(&endpoints::API_TOKEN, &[&id], "", None).await;
            self.info.set(Some(r.map_err(|e| e.to_string())));
        });
    }

    fn create(self) {
        leptos::task::spawn_local(async move {
            let id = self.id.get_value();
            match client::call(&endpoints::API_TOKEN_CREATE, &[&id], "", None).await {
                Ok(t) => {
                    self.status.set(if t.replaced_earlier {
                        "A new API token was created; the earlier one no longer works.".into()
                    } else {
                        "A new API token was created.".into()
                    });
                    self.created.set(Some(t.token));
                    self.info.set(Some(Ok(Some(t.info))));
                    self.error.set(None);
                    focus_later("new-token");
                }
                Err(e) => self.error.set(Some(e.to_string())),
            }
        });
    }

    fn revoke(self) {
        leptos::task::spawn_local(async move {
            let id = self.id.get_value();
            match client::call(&endpoints::API_TOKEN_REVOKE, &[&id], "", None).await {
                Ok(()) => {
                    self.created.set(None);
                    self.status.set("The API token was revoked; programs using it no longer have access.".into());
                    self.info.set(Some(Ok(None)));
                    self.error.set(None);
                }
                Err(e) => self.error.set(Some(e.to_string())),
            }
        });
    }
}

#[component]
pub fn TokenDialog(
    open: RwSignal<bool>, registry_id: String, #[prop(into)] is_security_official: Signal<bool>,
) -> impl IntoView {
    let t = Token {
        id: StoredValue::new(registry_id),
        info: RwSignal::new(None),
        created: RwSignal::new(None),
        error: RwSignal::new(None),
        status: RwSignal::new(String::new()),
    };
    let asking = RwSignal::new(None::<Ask>);
    let on_open = Callback::new(move |_| {
        t.created.set(None);
        t.error.set(None);
        t.load();
    });
    let on_close = Callback::new(move |_| {
        open.set(false);
        t.created.set(None);
        t.status.set(String::new());
    });
    // Creating the first token needs no question; replacing or revoking one does.
    let create = move |_| if t.has_token() { asking.set(Some(Ask::Rotate)) } else { t.create() };
    let revoke = move |_| {
        if t.has_token() {
            asking.set(Some(Ask::Revoke))
        }
    };
    view! {
        <Modal open on_close class="token-dialog" labelledby="token-heading" focus="token-heading" return_focus="token-open" on_open>
            <h2 id="token-heading" class="ds-text-heading--2xl" tabindex="-1">"API token"</h2>
            <p>"With the registry's API token a program can read its clients' opt-in status, make elections and upload QPP JSON and QRDA III files — with the same rules and error messages as these screens. Send it as "<code>"Authorization: Bearer <token>"</code>"; the calls are described in the "<a href="/api/openapi.json">"OpenAPI document"</a>" (tag “registries”)."</p>
            {move || t.error.get().map(|m| view! { <Alert kind=AlertKind::Error text=m/> })}
            <p role="status" class="token-status">{move || t.status.get()}</p>
            {move || match t.info.get() {
                None => view! { <p role="status">"Loading…"</p> }.into_any(),
                Some(Err(m)) => view! { <p role="alert">{m}</p> }.into_any(),
                Some(Ok(None)) => view! { <p>"The registry has no API token."</p> }.into_any(),
                Some(Ok(Some(i))) => view! { <p>{format!("Current token: ends in …{}, created {} by {}.", i.last_four, i.created_at.format_eastern(), i.created_by)}</p> }.into_any(),
            }}
            {move || t.created.get().map(|token| view! {
                <div class="ds-c-alert ds-c-alert--warn">
                    <div class="ds-c-alert__body">
                        <label class="ds-c-label" for="new-token">"Your new API token — copy it now: it is shown only once"</label>
                        <input id="new-token" class="ds-c-field token-field" type="text" readonly prop:value=token/>
                        <p class="ds-c-alert__text">"Only its fingerprint is stored; any earlier token has stopped working."</p>
                    </div>
                </div>
            })}
            {move || if is_security_official.get() {
                view! {
                    <div class="dialog-actions">
                        <button type="button" id="token-create" class="ds-c-button ds-c-button--solid" on:click=create>{move || if t.has_token() { "Rotate API token" } else { "Create API token" }}</button>
                        <button type="button" id="token-revoke" class="ds-c-button" aria-disabled=move || (!t.has_token()).then_some("true") on:click=revoke>"Revoke API token"</button>
                    </div>
                }.into_any()
            } else {
                view! { <p class="ds-c-hint">"Only the registry's Security Official can create, rotate or revoke the API token."</p> }.into_any()
            }}
            <div class="dialog-actions"><button type="button" class="ds-c-button" on:click=move |_| open.set(false)>"Close"</button></div>
            <AskDialog asking on_yes=Callback::new(move |a| match a { Ask::Rotate => t.create(), Ask::Revoke => t.revoke() })/>
        </Modal>
    }
}

/// "Rotate the API token?" / "Revoke the API token?": a second modal over the first.
#[component]
fn AskDialog(asking: RwSignal<Option<Ask>>, on_yes: Callback<Ask>) -> impl IntoView {
    let question = move || asking.get().map(Ask::question).unwrap_or_default();
    let yes = move |_| {
        if let Some(a) = asking.get_untracked() {
            asking.set(None);
            on_yes.run(a);
        }
    };
    view! {
        <Modal open=Signal::derive(move || asking.get().is_some()) on_close=Callback::new(move |_| asking.set(None))
            class="confirm-dialog" labelledby="token-ask-heading" describedby="token-ask-text" focus="token-ask-no">
            <h2 id="token-ask-heading" class="ds-text-heading--xl">"Are You Sure?"</h2>
            <p id="token-ask-text">{question}</p>
            <div class="dialog-actions">
                <button type="button" id="token-ask-no" class="ds-c-button" on:click=move |_| asking.set(None)>"Cancel and Go Back"</button>
                <button type="button" class="ds-c-button ds-c-button--solid" on:click=yes>{move || asking.get().map(Ask::button).unwrap_or("Yes")}</button>
            </div>
        </Modal>
    }
}
