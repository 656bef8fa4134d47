//! A modal dialog: the native `<dialog>` opened with `showModal()`, so focus is trapped, the page
//! behind is inert and Escape closes it, in every engine. Written once for every dialog.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Focuses the element with `id`, if it is there.
pub fn focus_id(id: &str) {
    if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Focuses after the next render (the element may be about to appear or be replaced).
pub fn focus_later(id: &'static str) {
    request_animation_frame(move || focus_id(id));
}

/// `open` shows and hides it; when the person closes it (Escape, or a button setting `open`
/// false), `on_close` runs and focus returns to `return_focus`. `on_open` runs before it shows
/// (to reset its content); `focus` names what takes focus when it opens. While `busy`, Escape
/// does not close it (a request is on its way).
#[component]
pub fn Modal(
    #[prop(into)] open: Signal<bool>, on_close: Callback<()>, labelledby: &'static str,
    #[prop(optional)] describedby: Option<&'static str>, #[prop(optional)] class: &'static str,
    #[prop(optional)] focus: Option<&'static str>, #[prop(optional)] return_focus: Option<&'static str>,
    #[prop(optional)] on_open: Option<Callback<()>>, #[prop(into, optional)] busy: Signal<bool>, children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let want = open.get();
        let Some(d) = dialog.get() else { return };
        if want && !d.open() {
            if let Some(f) = on_open {
                f.run(());
            }
            let _ = d.show_modal();
            if let Some(id) = focus {
                focus_id(id);
            }
        } else if !want && d.open() {
            d.close();
        }
    });
    view! {
        <dialog class=class node_ref=dialog aria-labelledby=labelledby aria-describedby=describedby
            on:cancel=move |ev: leptos::ev::Event| { if busy.get_untracked() { ev.prevent_default(); } }
            on:close=move |_| {
                on_close.run(());
                if let Some(id) = return_focus {
                    focus_later(id);
                }
            }>
            {children()}
        </dialog>
    }
}
