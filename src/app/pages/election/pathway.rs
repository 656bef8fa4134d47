//! Reporting Options of a MIPS APM participant: traditional MIPS, the APP, or both; changeable
//! while data can be submitted.

use super::entity::*;
use crate::api::endpoints;
use crate::api::PathwayRequest;
use crate::app::client::{self};
use crate::app::components::{ErrorSummary, FieldError};
use crate::domain::pathway::PathwayRefusal;
use crate::domain::{check_pathway, ReportingPathway};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Reporting Options (MIPS APM participants only): traditional MIPS, the APP, or both.
#[component]
pub fn PathwayOptionsPage() -> impl IntoView {
    entity_page("Reporting Options", |entity| view! { <PathwayOptions entity/> })
}

#[component]
pub(super) fn PathwayOptions(entity: EntityView) -> impl IntoView {
    let e = entity.eligibility.clone();
    let year = entity.year;
    let chosen = RwSignal::new(e.pathway.as_ref().map(|p| p.pathway));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let (tin, npi) = (entity.tin.clone(), entity.npi.clone());
    let save = Action::new_local(move |p: &ReportingPathway| {
        let req = PathwayRequest { performance_year: year, tin: tin.clone(), npi: npi.clone(), pathway: *p };
        async move { client::call(&endpoints::PATHWAYS, &[], "", Some(&req)).await }
    });
    let navigate = use_navigate();
    let overview = entity.href("overview");
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => navigate(&overview, Default::default()),
        Some(Err(err)) => errors.set(vec![FieldError { field_id: String::new(), message: err.to_string() }]),
        None => {}
    });
    // The current choice, and whether it can still be changed.
    let current = e.pathway.clone().map(|p| {
        let changed = match p.earlier_choices {
            0 => String::new(),
            1 => "; it replaced 1 earlier choice".into(),
            n => format!("; it replaced {n} earlier choices"),
        };
        let can_change = if e.offered_pathways.is_empty() {
            "The submission window has closed, so it can no longer be changed."
        } else {
            "You can change it until the submission window closes; every change is recorded."
        };
        format!(
            "{} reports through {} (chosen on {} by {}{changed}). {can_change}",
            entity.name,
            p.pathway.label(),
            p.chosen_at.format_eastern(),
            p.chosen_by
        )
    });
    let has_current = current.is_some();
    let election = e.election.as_ref().map(|x| x.election);
    // Why the APP is missing, when it is: the domain's words.
    let app_refusal =
        check_pathway(entity.year, e.mips_apm_participant, e.low_volume_status, election, ReportingPathway::App)
            .err()
            .map(|r: PathwayRefusal| r.reason());
    let offered = e.offered_pathways.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match chosen.get_untracked() {
            Some(p) => {
                errors.set(vec![]);
                save.dispatch(p);
            }
            None => errors.set(vec![FieldError {
                field_id: format!("pathway-{}", offered.first().map(|p| p.code().to_lowercase()).unwrap_or_default()),
                message: "Choose how you will report.".into(),
            }]),
        }
    };
    view! {
        <EntitySummary entity=entity.clone()/>
        <ErrorSummary errors=errors/>
        {current.map(|text| view! { <p class="current-pathway">{text}</p> })}
        {(e.offered_pathways.is_empty() && !has_current).then(|| view! {
            <p>{app_refusal.clone().unwrap_or_else(|| "There is no reporting pathway to choose for this entity.".into())}</p>
        })}
        {(!e.offered_pathways.is_empty()).then(|| view! {
            <form on:submit=submit novalidate>
                <fieldset class="ds-c-fieldset">
                    <legend class="ds-c-label">{format!("How will {} report for {}?", entity.name, year)}</legend>
                    {e.offered_pathways.clone().into_iter().map(|p| {
                        let id = format!("pathway-{}", p.code().to_lowercase());
                        let hint = format!("{id}-hint");
                        view! {
                            <div class="ds-c-choice-wrapper">
                                <input class="ds-c-choice" type="radio" name="pathway" id=id.clone() aria-describedby=hint.clone()
                                    prop:checked=move || chosen.get() == Some(p) on:change=move |_| chosen.set(Some(p))/>
                                <label class="ds-c-label" for=id>{p.label()}</label>
                                <p class="ds-c-hint" id=hint>{p.description()}</p>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                {app_refusal.clone().map(|r| view! { <p class="note">{r}</p> })}
                <button type="submit" class="ds-c-button ds-c-button--solid save-pathway" aria-disabled=move || save.pending().get().then_some("true")>
                    {if has_current { "Change Reporting Option" } else { "Save Reporting Option" }}
                </button>
            </form>
        })}
        {(e.offered_pathways.is_empty() && has_current).then(|| view! {
            <p><a class="ds-c-button ds-c-button--solid" href=entity.href("overview")>"Reporting Overview"</a></p>
        })}
    }
    .into_any()
}
