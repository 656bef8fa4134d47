//! Election Selection for Eligible Participants (2021 guide, registries' step 4): one radio
//! group per participant that needs an election, live counts, a filter, "set all shown", pages,
//! and the lists of participants that need no election or can't be submitted.

use super::upload::Upload;
use crate::api::{EntityRow, ParticipantRow};
use crate::app::components::Pager;
use crate::domain::format::format_count;
use crate::domain::registry::{
    matches_filter, ChoiceCounts, ElectionChoice, EntityKey, ParticipantKey, ParticipantStanding,
};
use leptos::prelude::*;
use std::sync::Arc;

/// Rows of the table per page: small enough to render at once; the caption says which show.
const ROWS_PER_PAGE: usize = 50;
/// At most this many entries of a side list are shown (the count says how many there are).
const SIDE_LIST_MAX: usize = 200;

fn label(r: &ParticipantRow) -> String {
    ParticipantKey { tin: r.tin.clone(), npi: r.npi.clone() }.to_string()
}

#[component]
pub fn ElectionStep(upload: Upload, counts: Memo<ChoiceCounts>) -> impl IntoView {
    let Upload { rows, needs, choices, year, .. } = upload;
    let side_lists = move || {
        view! { <SideLists rows=rows.get_untracked() entity_rows=upload.entity_rows.get_untracked() local_cannot=upload.local_cannot.get_untracked()/> }
    };
    if needs.with_untracked(|n| n.is_empty()) {
        // Nothing to choose: only what is uploaded as it is, and what can't be.
        return view! {
            <p>"No participant in these files needs an election. The lists below say whose data is uploaded and whose can't be; Submit Selections uploads the data that can be submitted."</p>
            {side_lists()}
        }
        .into_any();
    }
    let filter = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let bulk = RwSignal::new(ElectionChoice::OptIn);
    // Positions (into `needs`) of the rows the filter shows.
    let visible = Memo::new(move |_| {
        let f = filter.get();
        let rs = rows.get();
        let shown =
            |i: &usize| matches_filter(&f, rs[*i].tin.as_str(), rs[*i].npi.as_ref().map(|n| n.as_str()), &rs[*i].name);
        needs.get().iter().enumerate().filter(|(_, i)| shown(i)).map(|(k, _)| k).collect::<Vec<_>>()
    });
    let pages = Signal::derive(move || visible.with(|v| v.len().div_ceil(ROWS_PER_PAGE)).max(1));
    let apply = move |_| {
        let (c, vis) = (bulk.get_untracked(), visible.get_untracked());
        choices.update(|cs| vis.iter().for_each(|k| cs[*k] = c));
    };
    let shown = move || format_count(visible.with(|v| v.len()) as i64);
    view! {
        <p>"You'll see a list of all the opt-in eligible groups and clinicians included in the submission. Individual clinicians are identified by TIN/NPI; groups by TIN. Make an election for each:"</p>
        <section class="participant-elections" aria-labelledby="counts-heading">
            <h3 id="counts-heading" class="ds-text-heading--lg">"Participant Elections"</h3>
            <ul class="counts" role="list">
                {ElectionChoice::ALL.into_iter().map(|c| view! {
                    <li><strong>{c.label()}" "<span class="count">{move || format_count(counts.get().get(c) as i64)}</span></strong><br/><span>{c.explanation(year)}</span></li>
                }).collect_view()}
            </ul>
            <p class="ds-u-visibility--screen-reader" aria-live="polite">{move || { let c = counts.get(); format!("No Decision {}, Report Voluntarily {}, Opt-In {}.", c.no_decision, c.voluntary, c.opt_in) }}</p>
        </section>
        <div class="table-tools">
            <div>
                <label class="ds-c-label" for="election-filter">"Filter by TIN, NPI or name"</label>
                <input id="election-filter" class="ds-c-field" type="search" prop:value=move || filter.get() on:input=move |ev| { filter.set(event_target_value(&ev)); page.set(0); }/>
            </div>
            <div>
                <label class="ds-c-label" for="bulk-choice">{move || format!("Set all {} participants shown by the filter to", shown())}</label>
                <select id="bulk-choice" class="ds-c-field" on:change=move |ev| { let v = event_target_value(&ev); if let Some(c) = ElectionChoice::ALL.into_iter().find(|c| c.code() == v) { bulk.set(c); } }>
                    {ElectionChoice::ALL.into_iter().map(|c| view! { <option value=c.code() selected=c == ElectionChoice::OptIn>{c.label()}</option> }).collect_view()}
                </select>
                <button type="button" class="ds-c-button" on:click=apply>"Apply to shown participants"</button>
            </div>
        </div>
        <table class="ds-c-table election-table" id="election-table" tabindex="-1">
            <caption>{move || caption(visible.with(|v| v.len()), page.get(), pages.get())}</caption>
            <thead><tr><th scope="col">"Participant"</th><th scope="col">"Election: No Decision, Report Voluntarily or Opt-In"</th></tr></thead>
            <tbody>{move || table_rows(upload, visible.get(), page.get())}</tbody>
        </table>
        <p class="ds-u-visibility--screen-reader" role="status">{move || format!("{} participants shown.", shown())}</p>
        <Pager page pages label="Election table pages"/>
        {side_lists()}
    }
    .into_any()
}

fn caption(n: usize, page: usize, pages: usize) -> String {
    if n == 0 {
        return "No participant matches the filter.".to_string();
    }
    let start = page * ROWS_PER_PAGE;
    format!(
        "Participants {}–{} of {} needing an election (page {} of {pages})",
        format_count(start as i64 + 1),
        format_count((start + ROWS_PER_PAGE).min(n) as i64),
        format_count(n as i64),
        page + 1
    )
}

/// The rows of one page: each a radio group named by its participant.
fn table_rows(upload: Upload, visible: Vec<usize>, page: usize) -> impl IntoView {
    let (rs, need, choices) = (upload.rows.get(), upload.needs.get(), upload.choices);
    visible
        .into_iter()
        .skip(page * ROWS_PER_PAGE)
        .take(ROWS_PER_PAGE)
        .map(|k| {
            let r = &rs[need[k]];
            let name = if r.name.is_empty() { "—".to_string() } else { r.name.clone() };
            let head_id = format!("participant-{k}");
            let group_name = format!("election-{k}");
            view! {
                <tr>
                    <th scope="row" id=head_id.clone()><span class="participant-id">{label(r)}</span><br/>{name}</th>
                    <td>
                        <div role="radiogroup" aria-labelledby=head_id class="choice-group">
                            {ElectionChoice::ALL.into_iter().map(|c| {
                                let id = format!("{group_name}-{}", c.code());
                                view! {
                                    <span class="choice">
                                        <input type="radio" id=id.clone() name=group_name.clone()
                                            prop:checked=move || choices.with(|cs| cs.get(k) == Some(&c))
                                            on:change=move |_| choices.update(|cs| cs[k] = c)/>
                                        <label for=id>{c.label()}</label>
                                    </span>
                                }
                            }).collect_view()}
                        </div>
                    </td>
                </tr>
            }
        })
        .collect_view()
}

/// (who, name, why) of the participants whose data goes in without an election, and those that can't be submitted.
#[component]
fn SideLists(
    rows: Arc<Vec<ParticipantRow>>, entity_rows: Arc<Vec<EntityRow>>, local_cannot: Arc<Vec<(String, String)>>,
) -> impl IntoView {
    let named = |n: &str| if n.is_empty() { String::new() } else { format!(" {n}") };
    // (who, name, standing) of every participant and entity the server answered for.
    let answered = rows.iter().map(|r| (label(r), named(&r.name), &r.standing)).chain(entity_rows.iter().map(|e| {
        (
            EntityKey { entity_type: e.entity_type, entity_id: e.entity_id.clone() }.to_string(),
            named(&e.name),
            &e.standing,
        )
    }));
    let (mut no_election, mut cannot) = (vec![], vec![]);
    for (who, name, standing) in answered {
        match standing {
            ParticipantStanding::CannotSubmit { reason, .. } => cannot.push((who, String::new(), reason.clone())),
            s => no_election.extend(s.no_election_reason().map(|why| (who, name, why))),
        }
    }
    cannot.extend(local_cannot.iter().map(|(who, why)| (who.clone(), String::new(), why.clone())));
    let (n_no, n_cannot) = (no_election.len(), cannot.len());
    view! {
        {(n_no > 0).then(|| view! {
            <SideList open=false items=no_election
                summary=format!("Participants that need no election ({}) — their data is uploaded", format_count(n_no as i64))/>
        })}
        {(n_cannot > 0).then(|| view! {
            <SideList open=true items=cannot
                summary=format!("Participants that can't be submitted ({}) — their data will not be uploaded", format_count(n_cannot as i64))/>
        })}
    }
}

#[component]
fn SideList(open: bool, items: Vec<(String, String, String)>, summary: String) -> impl IntoView {
    let n = items.len();
    view! {
        <details class="side-list" open=open>
            <summary>{summary}</summary>
            <ul class="ds-c-list">{items.into_iter().take(SIDE_LIST_MAX).map(|(who, name, why)| view! { <li><strong>{who}</strong>{name}": "{why}</li> }).collect_view()}</ul>
            {(n > SIDE_LIST_MAX).then(|| view! { <p>{format!("and {} more.", format_count((n - SIDE_LIST_MAX) as i64))}</p> })}
        </details>
    }
}
