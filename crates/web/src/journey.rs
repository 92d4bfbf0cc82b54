//! The travel plan's use cases, below both doors: what exists of the collaboration's work
//! (read from where it lives), so that steps whose work is there count as done.

use crate::error::AppError;
use domain::agreement::AgreementStatus;
use domain::collaboration::Collaboration;
use domain::indicator::IndicatorStatus;
use domain::journey::{StepProgress, Work};
use domain::partner::{Ring, Sector};
use std::collections::BTreeSet;
use store::Db;

/// Gathers what the travel plan reads of the collaboration's work.
pub async fn work(db: &Db, c: &Collaboration) -> Result<Work, AppError> {
    let id = c.id;
    let partners = db.partners(id).await?;
    let people = db.people(id).await?;
    let check = domain::company::check(c.age_focus, &partners, &people);
    let portfolios = db.portfolios(id).await?;
    let roles: BTreeSet<String> = people.iter().filter(|p| !p.left).flat_map(|p| p.roles.iter().map(|r| r.code().to_string())).collect();
    let (draft, _) = db.vision_draft(id).await?;
    let adopted = db.vision_versions(id).await?;
    let visions: Vec<&domain::vision::VisionContent> = std::iter::once(&draft).chain(adopted.iter().map(|a| &a.content)).collect();
    let bodies = db.bodies(id).await?;
    let agreements = db.agreements(id).await?;
    let contributions = db.contributions(id).await?;
    let contributing: BTreeSet<i64> = contributions.iter().map(|c| c.content.partner).collect();
    let cycles = db.cycles(id).await?;
    let activities = db.activities(id).await?;
    Ok(Work {
        partners: partners.len(),
        inner_ring: partners.iter().filter(|p| p.ring == Ring::Binnenring).count(),
        outer_ring: partners.iter().filter(|p| p.ring == Ring::Buitenring).count(),
        missing_sectors: check.missing.len(),
        inner_without_ambassador: check.inner_ring_without_ambassador.len(),
        partners_with_sector_gemeente: partners.iter().filter(|p| p.sector == Sector::Gemeente).count(),
        roles: roles.into_iter().collect(),
        portfolios: portfolios.len(),
        portfolios_held: portfolios.iter().filter(|p| p.holder_id.is_some()).count(),
        portfolios_with_mandate: portfolios.iter().filter(|p| !p.mandate.trim().is_empty()).count(),
        members: db.members(id).await?.len(),
        vision_data: visions.iter().any(|v| !v.hard_data.is_empty() || !v.soft_signals.is_empty()),
        vision_analysis: visions.iter().any(|v| !v.bottlenecks.trim().is_empty() || !v.improvements.trim().is_empty()),
        vision_definition: visions.iter().any(|v| !v.definition.trim().is_empty()),
        vision_perspective: visions.iter().any(|v| !v.perspective.trim().is_empty()),
        vision_adopted: !adopted.is_empty(),
        bodies: bodies.len(),
        bodies_complete: bodies.iter().filter(|b| b.content.agreements_complete()).count(),
        meetings: db.meetings(id).await?.len(),
        adopted_kinds: agreements.iter().filter(|a| a.content.status == AgreementStatus::Vastgesteld).map(|a| a.content.kind.code().to_string()).collect(),
        legal_marks: db.responsibility_cells(id).await?.len(),
        contributions: contributions.len(),
        contributing_partners: contributing.len(),
        pots: db.pots(id).await?.len(),
        obstacles: db.obstacles().await?.iter().filter(|o| o.collaboration_id == id.0).count(),
        own_examples: db.examples_visible_to(id).await?.iter().filter(|e| e.owner == Some(id.0)).count(),
        scans: db.rounds(id).await?.len(),
        goals: db.goals(id).await?.len(),
        active_indicators: db.indicators(id).await?.iter().filter(|i| i.content.status == IndicatorStatus::Actief).count(),
        cycles: cycles.len(),
        cycles_with_decisions: cycles.iter().filter(|c| !c.content.decisions.is_empty()).count(),
        activities: activities.len(),
        activities_with_trekker: activities.iter().filter(|a| a.content.trekker.is_some()).count(),
    })
}

/// The collaboration's progress (hand marks) and its work, read together.
pub async fn progress(db: &Db, c: &Collaboration) -> Result<(Vec<StepProgress>, Work), AppError> {
    Ok((db.journey_progress(c.id).await?, work(db, c).await?))
}

/// The address of a page below the collaboration where a step's work lives.
pub fn place_href(id: i64, place: &str) -> String {
    if place.is_empty() { format!("/samenwerkingen/{id}") } else { format!("/samenwerkingen/{id}/{place}") }
}
