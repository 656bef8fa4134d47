//! What an election was: choice, when, who, through which channel.

use crate::api::{ElectionChannel, ElectionRecord};
use leptos::prelude::*;

pub(super) fn channel_label(c: ElectionChannel) -> &'static str {
    match c {
        ElectionChannel::Web => "QPP website",
        ElectionChannel::Api => "Eligibility API",
        ElectionChannel::RegistryUpload => "Registry file upload",
    }
}

#[component]
pub(super) fn ElectionFacts(election: ElectionRecord) -> impl IntoView {
    view! {
        <dl class="practice-facts">
            <div><dt>"Election:"</dt><dd>{election.election.label()}</dd></div>
            <div><dt>"Made on:"</dt><dd>{election.elected_at.format_eastern()}</dd></div>
            <div><dt>"Made by:"</dt><dd>{election.elected_by.clone()}</dd></div>
            <div><dt>"Made through:"</dt><dd>{channel_label(election.channel)}</dd></div>
        </dl>
    }
}
