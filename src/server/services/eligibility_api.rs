//! The Eligibility API for programs, modelled on CMS's QPP Eligibility API: the public
//! clinician lookup and the opt-in read. The same domain rules as the screens decide every value.

use super::years::require_threshold;
use crate::api::{
    ElectionRecord, EligibilityScenario, IsEligible, LowVolumeStatusReason, NpiEligibility, NpiEligibilityResponse,
    OptInRow, OrganizationEligibility, MASKED_TIN, MAX_OPT_IN_ENTITIES, OPT_IN_ENTITIES_HEADER,
};
use crate::domain::lookup::Level;
use crate::domain::{
    Election, Exclusion, LowVolumeAssessment, LowVolumeStatus, Npi, PerformanceYear, SpecialStatusFlags, Tin,
};
use crate::server::http::error::ApiError;
use crate::server::state::AppState;
use crate::server::store::practices::EligibilityFacts;

/// One scenario as the Eligibility API gives it. CMS's determination decides `isEligible` and
/// `isOptInEligible`; the figures, when the data gave them, only fill the low-volume fields.
fn scenario(
    level: Level, facts: &EligibilityFacts, year: PerformanceYear, election: Option<&ElectionRecord>,
) -> Result<EligibilityScenario, ApiError> {
    let d = facts.determination;
    let mips_eligible = Some(d.mips_eligible);
    let (low_volume_switch, reasons) = if facts.figures_provided {
        let reason = LowVolumeAssessment::of(&facts.figures(), &require_threshold(year)?).below_reason();
        let reasons = reason.map(|(code, desc)| LowVolumeStatusReason {
            low_vol_stus_rsn_cd: code.into(),
            low_vol_stus_rsn_desc: desc.into(),
        });
        (reason.is_some(), reasons.into_iter().collect())
    } else {
        // Without figures there is no reason to name; below the threshold is what an exempt
        // entity without an exclusion is, by CMS's determination.
        (d.exclusion.is_none() && d.status() != LowVolumeStatus::MipsEligible, vec![])
    };
    Ok(EligibilityScenario {
        is_eligible: match level {
            Level::Individual => IsEligible { individual: mips_eligible, group: None },
            Level::Group => IsEligible { individual: None, group: mips_eligible },
        },
        is_opt_in_eligible: d.opt_in_eligible,
        // A decision exists only where an election was recorded (the QPP Eligibility API's
        // opt-in states); one made before a later run changed the determination still stands.
        is_opted_in: election.map(|e| e.election == Election::OptIn),
        opt_in_decision_date: election.map(|e| e.elected_at),
        low_volume_switch,
        low_volume_status_reasons: reasons,
        low_volume_services: facts.covered_services,
        mips_eligible_switch: (level == Level::Individual)
            .then_some(d.exclusion != Some(Exclusion::IneligibleClinicianType)),
        special_statuses: SpecialStatusFlags::of(&facts.special_statuses),
    })
}

/// The public lookup of one NPI in a year. `viewer` is the signed-in user, if any: TINs are
/// PII, so each is masked unless the viewer is connected to it.
pub async fn npi_lookup(
    state: &AppState, viewer: Option<&str>, npi: &Npi, year: PerformanceYear,
) -> Result<NpiEligibilityResponse, ApiError> {
    let rows = state.store.clinician_by_npi(year, npi).await?;
    let first = rows.first().ok_or_else(|| {
        ApiError::not_found("NoProviderInformation", "No individual clinician information exists for this NPI")
    })?;
    let mut organizations = vec![];
    for c in &rows {
        let Some(p) = state.store.practice(year, &c.tin).await? else { continue };
        let visible = match viewer {
            Some(user_id) => state.store.is_connected(user_id, &c.tin).await?,
            None => false,
        };
        let individual_election = state.store.election(year, &c.tin, Some(npi)).await?;
        let group_election = state.store.election(year, &c.tin, None).await?;
        organizations.push(OrganizationEligibility {
            tin: if visible { c.tin.to_string() } else { MASKED_TIN.to_string() },
            prvdr_org_name: p.name.clone(),
            address_line_one: p.address_line1.clone(),
            city: p.city.clone(),
            state: p.state.clone(),
            zip: p.zip.clone(),
            individual_scenario: scenario(Level::Individual, &c.facts, year, individual_election.as_ref())?,
            group_scenario: scenario(Level::Group, &p.facts, year, group_election.as_ref())?,
        });
    }
    Ok(NpiEligibilityResponse {
        data: NpiEligibility {
            npi: npi.clone(),
            first_name: first.first_name.clone(),
            last_name: first.last_name.clone(),
            performance_year: year,
            qp_status: if rows
                .iter()
                .any(|c| c.facts.determination.exclusion == Some(Exclusion::QualifyingApmParticipant))
            {
                "Y".into()
            } else {
                "N".into()
            },
            newly_enrolled: rows.iter().any(|c| c.facts.determination.exclusion == Some(Exclusion::NewlyEnrolled)),
            organizations,
        },
    })
}

/// Parses `TIN|NPI,TIN` into entities, naming the position of any that is malformed.
pub fn parse_entities(header: &str) -> Result<Vec<(Tin, Option<Npi>)>, ApiError> {
    let items: Vec<&str> = header.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    if items.is_empty() {
        return Err(ApiError::bad_request(
            "MissingOptInEntities",
            format!("Name the entities in the {OPT_IN_ENTITIES_HEADER} header, e.g. 000456789|1234567890,000987654."),
        ));
    }
    let mut out = vec![];
    let mut err =
        ApiError::bad_request("InvalidOptInEntities", "One or more entities in the header are not a TIN or a TIN|NPI.");
    for (i, item) in items.iter().enumerate() {
        let (tin, npi) = match item.split_once('|') {
            Some((t, n)) => (Tin::parse(t), Some(Npi::parse(n))),
            None => (Tin::parse(item), None),
        };
        match (tin, npi) {
            (Ok(t), None) => out.push((t, None)),
            (Ok(t), Some(Ok(n))) => out.push((t, Some(n))),
            (Err(e), _) | (_, Some(Err(e))) => err = err.with_detail(&format!("{OPT_IN_ENTITIES_HEADER}[{i}]"), e.0),
        }
    }
    if err.details.is_empty() {
        Ok(out)
    } else {
        Err(err)
    }
}

/// Refuses more entities than one opt-in read answers.
pub fn check_entity_count(entities: &[(Tin, Option<Npi>)]) -> Result<(), ApiError> {
    if entities.len() > MAX_OPT_IN_ENTITIES {
        return Err(ApiError::bad_request(
            "TooManyEntities",
            format!("Ask for at most {MAX_OPT_IN_ENTITIES} entities at a time."),
        ));
    }
    Ok(())
}

/// The opt-in read's rows for entities the caller has been allowed to see.
pub async fn opt_in_rows(
    state: &AppState, year: PerformanceYear, entities: Vec<(Tin, Option<Npi>)>,
) -> Result<Vec<OptInRow>, ApiError> {
    let run_num = state
        .store
        .data_runs()
        .await?
        .iter()
        .filter(|r| r.performance_year == year)
        .map(|r| r.run_number)
        .max()
        .unwrap_or(1);
    let mut data = vec![];
    for (tin, npi) in entities {
        let facts = match &npi {
            None => state.store.practice(year, &tin).await?.map(|p| p.facts),
            Some(n) => state.store.clinician(year, &tin, n).await?.map(|c| c.facts),
        };
        let facts = facts.ok_or_else(|| {
            let who = npi.as_ref().map(|n| format!("{tin}|{n}")).unwrap_or_else(|| tin.to_string());
            ApiError::not_found(
                "NoEligibilityInformation",
                format!("There is no eligibility information for {who} in performance year {year}."),
            )
        })?;
        let election = state.store.election(year, &tin, npi.as_ref()).await?;
        let level = if npi.is_some() { Level::Individual } else { Level::Group };
        let s = scenario(level, &facts, year, election.as_ref())?;
        data.push(OptInRow {
            tin,
            npi,
            is_opt_in_eligible: s.is_opt_in_eligible,
            opt_in_decision_date: s.opt_in_decision_date,
            is_opted_in: s.is_opted_in,
            year,
            run_num,
        });
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::parse_entities;

    #[test]
    fn parses_the_reference_header_and_names_bad_entries() {
        let e = parse_entities("000456789|1234567890,000987654").unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].1.as_ref().unwrap().as_str(), "1234567890");
        assert!(e[1].1.is_none());
        let err = parse_entities("000456789|12,abc").unwrap_err();
        assert_eq!(err.details.len(), 2);
        assert_eq!(err.details[0].path, "qpp-opt-in-entities[0]");
        assert!(parse_entities(" , ").is_err());
    }
}
