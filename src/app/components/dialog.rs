use crate::domain::election::check_confirmation;
use crate::domain::{Election, PerformanceYear};
use super::InlineError;
use leptos::prelude::*;

/// The "Are You Sure?" confirmation (native `<dialog>` opened with `showModal()`, so focus is
/// trapped and the page behind is inert). `open` holds the election being confirmed; setting
/// it to `None` closes the dialog. A wrong word gets an inline error — the confirm button is
/// never silently disabled.
#[component]
pub fn ConfirmElectionDialog(
    open: RwSignal<Option<Election>>,
    #[prop(into)] entity_name: String,
    year: PerformanceYear,
    on_confirm: Callback<(Election, String)>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] server_error: Signal<Option<String>>,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let input = NodeRef::<leptos::html::Input>::new();
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    Effect::new(move |_| {
        let want_open = open.get().is_some();
        if let Some(d) = dialog.get() {
            if want_open && !d.open() {
                typed.set(String::new());
                error.set(None);
                let _ = d.show_modal();
                if let Some(i) = input.get_untracked() {
                    let _ = i.focus();
                }
            } else if !want_open && d.open() {
                d.close();
            }
        }
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
                if let Some(i) = input.get_untracked() {
                    let _ = i.focus();
                }
            }
        }
    };

    view! {
        <dialog class="confirm-dialog" node_ref=dialog aria-labelledby="confirm-title" aria-describedby="confirm-consequence"
            on:close=move |_| open.set(None)>
            <form on:submit=submit novalidate>
                <h2 id="confirm-title" class="ds-text-heading--2xl">"Are You Sure?"</h2>
                <p id="confirm-consequence" class="confirm-dialog__consequence">{consequence}</p>
                <div class=move || if error.get().is_some() { "confirm-dialog__field confirm-dialog__field--error" } else { "confirm-dialog__field" }>
                    <label class="ds-c-label" for="confirm-word">
                        "Please Type \"CONFIRM\""
                        <span class="ds-c-hint" id="confirm-word-hint">"This field is not case sensitive."</span>
                    </label>
                    <InlineError id="confirm-word-error" message=error/>
                    <input id="confirm-word" node_ref=input type="text" autocomplete="off" spellcheck="false"
                        class=move || if error.get().is_some() { "ds-c-field ds-c-field--error" } else { "ds-c-field" }
                        aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                        aria-describedby=move || if error.get().is_some() { "confirm-word-hint confirm-word-error" } else { "confirm-word-hint" }
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                </div>
                {move || server_error.get().map(|m| view! {
                    <div class="ds-c-alert ds-c-alert--error" role="alert">
                        <div class="ds-c-alert__body"><p class="ds-c-alert__text">{m}</p></div>
                    </div>
                })}
                <div class="confirm-dialog__actions">
                    <button type="button" class="ds-c-button" on:click=move |_| open.set(None)>"Cancel and Go Back"</button>
                    <button type="submit" class="ds-c-button ds-c-button--solid" aria-disabled=move || pending.get().then_some("true")>
                        {move || if pending.get() { "Saving your election…" } else { confirm_label() }}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
