//! The submissions already made, per participant, with a filter and pages; Print shows them all.

use crate::api::{EntitySubmission, RegistrySubmissionsResponse, StoredMeasurementSet};
use crate::app::components::Pager;
use crate::domain::entity::category_label;
use crate::domain::format::format_count;
use crate::domain::registry::{entity_election_note, matches_filter, EntityKey, ParticipantKey, VOLUNTARY_NO_ELECTION};
use crate::qpp::rules::plural;
use leptos::prelude::*;
use std::sync::Arc;

const PARTICIPANTS_PER_PAGE: usize = 25;

/// Each stored set on a line: category · method · program — measures — source file, time.
#[component]
fn SetList(sets: Vec<StoredMeasurementSet>) -> impl IntoView {
    view! {
        <ul class="set-list">{sets.into_iter().map(|m| view! {
            <li>{format!("{} · {} · {} — {} — {} ({}), {}", category_label(&m.category), m.submission_method, m.program_name, plural(m.measure_count as usize, "measure"), m.source_file, m.source_format.label(), m.submitted_at.format_eastern())}</li>
        }).collect_view()}</ul>
    }
}

/// Submissions named by entity ID: APM Entities, virtual groups and subgroups (no election).
#[component]
fn EntitySubmissions(entities: Vec<EntitySubmission>) -> impl IntoView {
    let n = entities.len();
    (n > 0).then(|| {
        view! {
            <table class="ds-c-table submissions-table">
                <caption>{format!("APM Entities, virtual groups and subgroups {} (all)", format_count(n as i64))}</caption>
                <thead><tr><th scope="col">"Entity"</th><th scope="col">"Election"</th><th scope="col">"Measurement sets (category · method · program — measures — source file, time)"</th></tr></thead>
                <tbody>{entities.into_iter().map(|e| view! {
                    <tr>
                        <th scope="row"><span class="participant-id">{EntityKey { entity_type: e.entity_type, entity_id: e.entity_id.clone() }.to_string()}</span><br/><span>{if e.name.is_empty() { "—".to_string() } else { e.name.clone() }}</span></th>
                        <td>{entity_election_note(e.entity_type)}</td>
                        <td><SetList sets=e.measurement_sets/></td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        }
    })
}

/// The submissions already made, per participant, with pagination and a filter.
#[component]
pub fn SubmissionsList(details: Arc<RegistrySubmissionsResponse>, printing: RwSignal<bool>) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let d = details.clone();
    let matching = Memo::new(move |_| {
        let f = filter.get();
        d.participants
            .iter()
            .enumerate()
            .filter(|(_, p)| matches_filter(&f, p.tin.as_str(), p.npi.as_ref().map(|n| n.as_str()), &p.name))
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
    });
    let total = details.participants.len() + details.entities.len();
    let y = details.performance_year;
    let d = details.clone();
    let rows = move || {
        let m = matching.get();
        let start = page.get() * PARTICIPANTS_PER_PAGE;
        let take = if printing.get() { m.len() } else { PARTICIPANTS_PER_PAGE };
        m.iter().skip(if printing.get() { 0 } else { start }).take(take).map(|i| {
            let p = d.participants[*i].clone();
            let who = ParticipantKey { tin: p.tin.clone(), npi: p.npi.clone() }.to_string();
            let election = match (p.election, p.voluntary_without_election) {
                (Some(e), _) => e.label().to_string(),
                (None, true) => VOLUNTARY_NO_ELECTION.to_string(),
                (None, false) => "No election needed".into(),
            };
            view! {
                <tr>
                    <th scope="row"><span class="participant-id">{who}</span><br/><span>{if p.name.is_empty() { "—".to_string() } else { p.name.clone() }}</span></th>
                    <td>{election}</td>
                    <td><SetList sets=p.measurement_sets/></td>
                </tr>
            }
        }).collect_view()
    };
    let pages = move || matching.with(|m| m.len().div_ceil(PARTICIPANTS_PER_PAGE)).max(1);
    view! {
        <section class="submissions" aria-labelledby="submissions-heading">
            <h2 id="submissions-heading" class="ds-text-heading--2xl">{format!("Submissions for {y} ({})", format_count(total as i64))}</h2>
            {if total == 0 {
                view! { <p>{format!("No data has been uploaded for {y} yet. Use Upload File(s) to upload QPP JSON or QRDA III files.")}</p> }.into_any()
            } else {
                let has_participants = !details.participants.is_empty();
                view! {
                    {has_participants.then(|| view! {
                        <div class="no-print">
                            <label class="ds-c-label" for="submissions-filter">"Filter by TIN, NPI or name"</label>
                            <input id="submissions-filter" class="ds-c-field" type="search" prop:value=move || filter.get() on:input=move |ev| { filter.set(event_target_value(&ev)); page.set(0); }/>
                        </div>
                        <table class="ds-c-table submissions-table">
                            <caption>{move || if printing.get() { format!("Participants {} (all)", format_count(matching.with(|m| m.len()) as i64)) } else { format!("Participants {} (page {} of {})", format_count(matching.with(|m| m.len()) as i64), page.get() + 1, pages()) }}</caption>
                            <thead><tr><th scope="col">"Participant"</th><th scope="col">"Election"</th><th scope="col">"Measurement sets (category · method · program — measures — source file, time)"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                        <Pager page pages=Signal::derive(pages) label="Submissions pages"/>
                    })}
                    <EntitySubmissions entities=details.entities.clone()/>
                }.into_any()
            }}
        </section>
    }
}
