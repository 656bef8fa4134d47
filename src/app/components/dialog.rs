//! The "Are You Sure?" confirmation of a group's or clinician's election.

use super::alert::{Alert, AlertKind};
use super::confirm_word::ConfirmWord;
use super::modal::Modal;
use crate::domain::election::check_confirmation;
use crate::domain::{Election, PerformanceYear};
use leptos::prelude::*;

/// `open` holds the election being confirmed; setting it to `None` closes the dialog. A wrong
/// word gets an inline error — the confirm button is never silently disabled.
#[component]
pub fn ConfirmElectionDialog(
    open: RwSignal<Option<Election>>, #[prop(into)] entity_name: String, year: PerformanceYear,
    on_confirm: Callback<(Election, String)>, #[prop(into)] pending: Signal<bool>,
    #[prop(into)] server_error: Signal<Option<String>>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let focus_input = move || {
        if let Some(i) = input.get_untracked() {
            let _ = i.focus();
        }
    };
    let on_open = Callback::new(move |_| {
        typed.set(String::new());
        error.set(None);
    });

    let name = entity_name.clone();
    let consequence = move || open.get().map(|e| e.consequence(&name, year)).unwrap_or_default();
    let confirm_label = move || open.get().map(|e| e.confirm_button()).unwrap_or("Confirm");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Some(election) = open.get_untracked() else { return };
        match check_confirmation(&typed.get_untracked()) {
            Ok(()) => {
                error.set(None);
                on_confirm.run((election, typed.get_untracked()));
            }
            Err(e) => {
                error.set(Some(e.message()));
                focus_input();
            }
        }
    };

    view! {
        <Modal open=Signal::derive(move || open.get().is_some()) on_close=Callback::new(move |_| open.set(None))
            class="confirm-dialog" labelledby="confirm-title" describedby="confirm-consequence" focus="confirm-word" on_open busy=pending>
            <form on:submit=submit novalidate>
                <h2 id="confirm-title" class="ds-text-heading--2xl">"Are You Sure?"</h2>
                <p id="confirm-consequence" class="confirm-dialog__consequence">{consequence}</p>
                <ConfirmWord id="confirm-word" typed error node_ref=input/>
                {move || server_error.get().map(|m| view! { <Alert kind=AlertKind::Error text=m/> })}
                <div class="confirm-dialog__actions">
                    <button type="button" class="ds-c-button" on:click=move |_| open.set(None)>"Cancel and Go Back"</button>
                    <button type="submit" class="ds-c-button ds-c-button--solid" aria-disabled=move || pending.get().then_some("true")>
                        {move || if pending.get() { "Saving your election…" } else { confirm_label() }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
