//! Design System alerts with their roles: errors are announced at once (`alert`), news politely
//! (`status`). The words carry the meaning; the colour only repeats it.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertKind {
    Error,
    Warning,
    Success,
}

impl AlertKind {
    fn class(self) -> &'static str {
        match self {
            AlertKind::Error => "ds-c-alert ds-c-alert--error",
            AlertKind::Warning => "ds-c-alert ds-c-alert--warn",
            AlertKind::Success => "ds-c-alert ds-c-alert--success",
        }
    }
    fn role(self) -> &'static str {
        match self {
            AlertKind::Error => "alert",
            _ => "status",
        }
    }
}

/// One sentence in an alert.
#[component]
pub fn Alert(kind: AlertKind, #[prop(into)] text: String) -> impl IntoView {
    view! {
        <div class=kind.class() role=kind.role()>
            <div class="ds-c-alert__body"><p class="ds-c-alert__text">{text}</p></div>
        </div>
    }
}

/// "There is a problem" with a list of problems, focusable by `id` so it can be announced.
#[component]
pub fn ProblemList(id: &'static str, #[prop(into)] problems: Signal<Vec<String>>) -> impl IntoView {
    move || {
        let list = problems.get();
        (!list.is_empty()).then(|| {
            view! {
                <div id=id class="ds-c-alert ds-c-alert--error" role="alert" tabindex="-1">
                    <div class="ds-c-alert__body">
                        <h3 class="ds-c-alert__heading">"There is a problem"</h3>
                        <ul class="ds-c-list">{list.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    </div>
                </div>
            }
        })
    }
}
