//! Previous / Next for a paged list. The page change is announced in a status region without
//! moving focus; the caller's caption says which rows show.

use leptos::prelude::*;

#[component]
pub fn Pager(page: RwSignal<usize>, #[prop(into)] pages: Signal<usize>, label: &'static str) -> impl IntoView {
    let first = move || page.get() == 0;
    let last = move || page.get() + 1 >= pages.get();
    view! {
        <nav class="pager no-print" aria-label=label>
            <button type="button" class="ds-c-button" aria-disabled=move || first().then_some("true")
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous page"</button>
            <span role="status">{move || format!("Page {} of {}", page.get() + 1, pages.get())}</span>
            <button type="button" class="ds-c-button" aria-disabled=move || last().then_some("true")
                on:click=move |_| { if page.get_untracked() + 1 < pages.get_untracked() { page.update(|p| *p += 1) } }>"Next page"</button>
        </nav>
    }
}
