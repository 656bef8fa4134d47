//! The typed confirmation of a final election: "Please Type "CONFIRM"" with its hint and error
//! line, wired for screen readers (the error is in the field's description and its name).

use super::layout::InlineError;
use leptos::prelude::*;

/// The field `id`; its hint is `{id}-hint` and its error `{id}-error`.
#[component]
pub fn ConfirmWord(
    id: &'static str, typed: RwSignal<String>, #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] node_ref: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let hint = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_error = move || error.get().is_some();
    let (h, e) = (hint.clone(), error_id.clone());
    view! {
        <div class=move || if has_error() { "confirm-dialog__field confirm-dialog__field--error" } else { "confirm-dialog__field" }>
            <label class="ds-c-label" for=id>
                "Please Type \"CONFIRM\""
                <span class="ds-c-hint" id=hint>"This field is not case sensitive."</span>
            </label>
            <InlineError id=error_id message=error/>
            <input id=id node_ref=node_ref type="text" autocomplete="off" spellcheck="false"
                class=move || if has_error() { "ds-c-field ds-c-field--error" } else { "ds-c-field" }
                aria-invalid=move || if has_error() { "true" } else { "false" }
                aria-describedby=move || if has_error() { format!("{h} {e}") } else { h.clone() }
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev)) />
        </div>
    }
}
