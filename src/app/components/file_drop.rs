//! Choosing files: a real file input (keyboard: Tab to it, Space) inside a drop zone that also
//! takes dragged files. Every page that takes files uses it.

use leptos::prelude::*;

#[component]
pub fn FileDrop(
    id: &'static str, #[prop(into)] label: String, #[prop(into)] hint: String, accept: &'static str,
    on_files: Callback<web_sys::FileList>,
    /// Shown above the label for sighted users ("DRAG & DROP"); the label says it in words.
    #[prop(optional)]
    title: Option<&'static str>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let hint_id = format!("{id}-hint");
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(list) = input.files() {
            on_files.run(list);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            on_files.run(list);
        }
    };
    view! {
        <div class=move || if dragging.get() { "file-drop file-drop--active" } else { "file-drop" }
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop>
            {title.map(|t| view! { <p class="file-drop__title" aria-hidden="true">{t}</p> })}
            <label class="ds-c-label" for=id>{label}</label>
            <p class="ds-c-hint" id=hint_id.clone()>{hint}</p>
            <input id=id class="file-drop__input" type="file" multiple accept=accept aria-describedby=hint_id on:change=on_change/>
        </div>
    }
}
