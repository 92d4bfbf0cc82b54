//! `/api/v1/samenwerkingen/{id}/financien`: the contributions with their totals per year,
//! partner and source (amounts in whole cents), one contribution with all its versions, and
//! the calls that record and revise a contribution; pots with their split, plans and spending;
//! breakthrough decisions; and the coming five years with the horizon (in `continuity`).

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, created, if_match, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::finance::PotFigures;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use domain::access::Action;
use domain::finance::{ContributionContent, ContributionInput, DecisionInput, PlanInput, PotInput, SpendingInput, Total};
use serde::Serialize;
use store::finance::{Contribution, ContributionVersion, Decision, Plan, Spending};
use utoipa::ToSchema;

mod continuity;
mod import;

pub use continuity::*;
pub use import::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/financien", summary)
        .post("/api/v1/samenwerkingen/{id}/financien/bijdragen", create_contribution)
        .get("/api/v1/samenwerkingen/{id}/financien/bijdragen/{contribution}", show_contribution)
        .put("/api/v1/samenwerkingen/{id}/financien/bijdragen/{contribution}", update_contribution)
        .get("/api/v1/samenwerkingen/{id}/financien/potten", pots)
        .post("/api/v1/samenwerkingen/{id}/financien/potten", create_pot)
        .get("/api/v1/samenwerkingen/{id}/financien/potten/{pot}", show_pot)
        .put("/api/v1/samenwerkingen/{id}/financien/potten/{pot}", update_pot)
        .post("/api/v1/samenwerkingen/{id}/financien/potten/{pot}/plannen", create_plan)
        .post("/api/v1/samenwerkingen/{id}/financien/potten/{pot}/uitgaven", create_spending)
        .get("/api/v1/samenwerkingen/{id}/financien/potten/{pot}/besluiten", decisions)
        .post("/api/v1/samenwerkingen/{id}/financien/potten/{pot}/besluiten", create_decision)
        .get("/api/v1/samenwerkingen/{id}/financien/continuiteit", continuity)
        .get("/api/v1/samenwerkingen/{id}/financien/programma", work_money)
        .put("/api/v1/samenwerkingen/{id}/financien/horizon", set_horizon)
        .merge(Routes::new().post("/api/v1/samenwerkingen/{id}/financien/import", import).layer(axum::extract::DefaultBodyLimit::disable()))
}

/// Sums of a group of contributions, in whole cents (hours as whole hours).
#[derive(Serialize, ToSchema)]
pub struct TotalJson {
    /// The year (2026, 2026-2027), the partner's id or the source's code; empty for the total.
    pub key: String,
    pub amount_cents: i64,
    pub hours: i64,
    /// The hours at their hourly rates.
    pub hours_value_cents: i64,
    /// Money and valued hours.
    pub value_cents: i64,
    /// The part that is toegezegd or vastgelegd.
    pub secured_cents: i64,
}

fn total_json(key: String, t: &Total) -> TotalJson {
    TotalJson {
        key,
        amount_cents: t.amount_cents,
        hours: t.hours,
        hours_value_cents: t.hours_value_cents,
        value_cents: t.value_cents(),
        secured_cents: t.secured_cents,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ContributionJson {
    pub id: i64,
    pub version: i64,
    /// Money and valued hours, in cents.
    pub value_cents: i64,
    /// Partner, year, source (and its text for overig), amount_cents, hours,
    /// hourly_rate_cents, status (indicatief, toegezegd, vastgelegd), agreement, starts, ends, note.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// Every version, oldest first; only when one contribution is asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<ContributionVersionJson>>,
}

#[derive(Serialize, ToSchema)]
pub struct ContributionVersionJson {
    pub version: i64,
    pub changed_by: String,
    /// Unix seconds (UTC).
    pub changed_at: i64,
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct FinanceJson {
    pub contributions: Vec<ContributionJson>,
    pub per_year: Vec<TotalJson>,
    pub per_partner: Vec<TotalJson>,
    pub per_source: Vec<TotalJson>,
    pub total: TotalJson,
}

fn content_json(content: &ContributionContent) -> serde_json::Value {
    serde_json::to_value(content).unwrap_or_default()
}

fn contribution_json(x: &Contribution, versions: Option<Vec<ContributionVersion>>) -> ContributionJson {
    ContributionJson {
        id: x.id,
        version: x.version,
        value_cents: x.content.value_cents(),
        content: content_json(&x.content),
        versions: versions.map(|vs| {
            vs.into_iter()
                .map(|v| ContributionVersionJson { version: v.version, changed_by: v.changed_by, changed_at: v.changed_at, content: content_json(&v.content) })
                .collect()
        }),
    }
}

/// Every contribution and the totals per year, per partner and per source.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/financien", tag = "financien", params(("id" = i64, Path)), responses((status = 200, body = FinanceJson)))]
pub async fn summary(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<FinanceJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let o = crate::finance::overview(&state, c.id).await?;
    Ok(Json(FinanceJson {
        contributions: o.contributions.iter().map(|x| contribution_json(x, None)).collect(),
        per_year: o.by_year.iter().map(|(y, t)| total_json(y.clone(), t)).collect(),
        per_partner: o.by_partner.iter().map(|(p, t)| total_json(p.to_string(), t)).collect(),
        per_source: o.by_source.iter().map(|(s, t)| total_json(s.code().to_string(), t)).collect(),
        total: total_json(String::new(), &o.total),
    }))
}

/// Records a contribution. A lid proposes (indicatief); toegezegd and vastgelegd only a
/// beheerder records, vastgelegd with the agreement that records it.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/financien/bijdragen", tag = "financien", params(("id" = i64, Path)), request_body = ContributionInput,
    responses((status = 201, body = ContributionJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_contribution(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<ContributionInput>,
) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let x = crate::finance::create(&state, &api_actor(&user, origin), c.id, role, &body).await?;
    Ok(created(&contribution_json(&x, None), format!("/api/v1/samenwerkingen/{id}/financien/bijdragen/{}", x.id)))
}

/// One contribution with every version, oldest first.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/financien/bijdragen/{contribution}", tag = "financien", params(("id" = i64, Path), ("contribution" = i64, Path)),
    responses((status = 200, body = ContributionJson)))]
pub async fn show_contribution(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, contribution)): Path<(i64, i64)>) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let x = state.db.contribution(c.id, contribution).await?;
    let versions = state.db.contribution_versions(c.id, contribution).await?;
    Ok(versioned(&contribution_json(&x, Some(versions)), x.version))
}

/// Revises a contribution as its next version; the earlier ones stay. Send the version you
/// read as `If-Match`.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/financien/bijdragen/{contribution}", tag = "financien",
    params(("id" = i64, Path), ("contribution" = i64, Path), ("If-Match" = String, Header)), request_body = ContributionInput,
    responses((status = 200, body = ContributionJson), (status = 400, body = super::meta::ProblemDetails), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update_contribution(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, contribution)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<ContributionInput>,
) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let x = crate::finance::update(&state, &api_actor(&user, origin), c.id, role, contribution, version, &body).await?;
    Ok(versioned(&contribution_json(&x, None), x.version))
}

#[derive(Serialize, ToSchema)]
pub struct PotJson {
    pub id: i64,
    pub version: i64,
    /// Name, purpose, starts, ends, collective, overspend_allowed and the split (partner and
    /// basis_points, hundredths of a percent).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// Money of its contributions that is toegezegd or vastgelegd, in cents.
    pub available_cents: i64,
    /// Money of its contributions that is still indicatief, in cents.
    pub expected_cents: i64,
    pub planned_cents: i64,
    pub spent_cents: i64,
    /// For a lezer: breakthrough decisions of a running half year, or of one with fewer than the
    /// minimum, are left out of `spent_cents` (their sum would point at a case).
    pub decisions_left_out: bool,
    /// How far spending went beyond what is available, if it did.
    pub overspent_cents: Option<i64>,
    /// Each partner's share of what is available under the split, in cents.
    pub shares: Vec<ShareJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ShareJson {
    pub partner: i64,
    pub basis_points: i64,
    pub cents: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PlanJson {
    pub id: i64,
    pub pot_id: i64,
    pub activity: i64,
    pub year: String,
    pub planned_cents: i64,
}

#[derive(Serialize, ToSchema)]
pub struct SpendingJson {
    pub id: i64,
    pub pot_id: i64,
    pub activity: i64,
    pub date: String,
    pub amount_cents: i64,
    pub description: String,
    pub author: String,
}

fn pot_json(f: &PotFigures) -> PotJson {
    PotJson {
        id: f.pot.id,
        version: f.pot.version,
        content: serde_json::to_value(&f.pot.content).unwrap_or_default(),
        available_cents: f.available,
        expected_cents: f.expected,
        planned_cents: f.planned,
        spent_cents: f.spent,
        decisions_left_out: f.decisions_left_out,
        overspent_cents: f.overspent(),
        shares: f.shares.iter().map(|(partner, basis_points, cents)| ShareJson { partner: *partner, basis_points: *basis_points, cents: *cents }).collect(),
    }
}

fn plan_json(p: &Plan) -> PlanJson {
    PlanJson { id: p.id, pot_id: p.pot_id, activity: p.content.activity, year: p.content.year.clone(), planned_cents: p.content.planned_cents }
}

fn spending_json(s: &Spending) -> SpendingJson {
    SpendingJson {
        id: s.id,
        pot_id: s.pot_id,
        activity: s.content.activity,
        date: s.content.date.clone(),
        amount_cents: s.content.amount_cents,
        description: s.content.description.clone(),
        author: s.author.clone(),
    }
}

/// A line of the programme with what is planned for it and spent on it from the pots.
#[derive(Serialize, ToSchema)]
pub struct WorkMoneyJson {
    /// ambitie, doel or activiteit.
    pub level: String,
    pub id: i64,
    pub title: String,
    pub planned_cents: i64,
    pub spent_cents: i64,
}

/// Money planned and spent per ambition, goal and activity: each ambition, then its goals,
/// each followed by its activities; lines without money left out.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/financien/programma", tag = "financien", params(("id" = i64, Path)), responses((status = 200, body = [WorkMoneyJson])))]
pub async fn work_money(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<WorkMoneyJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let level = |depth: u8| ["ambitie", "doel", "activiteit"][usize::from(depth.min(2))].to_string();
    Ok(Json(
        crate::finance::work_money(&state, c.id)
            .await?
            .into_iter()
            .map(|w| WorkMoneyJson { level: level(w.depth), id: w.id, title: w.title, planned_cents: w.planned_cents, spent_cents: w.spent_cents })
            .collect(),
    ))
}

/// Every pot with what it has available, planned and spent.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/financien/potten", tag = "financien", params(("id" = i64, Path)), responses((status = 200, body = [PotJson])))]
pub async fn pots(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<PotJson>>> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Read).await?;
    let reader = crate::finance::Reader::of(&state, &c, role).await?;
    Ok(Json(crate::finance::pots(&state, c.id, &reader).await?.iter().map(pot_json).collect()))
}

/// Adds a pot. A split's percentages must add up to exactly 100 %.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/financien/potten", tag = "financien", params(("id" = i64, Path)), request_body = PotInput,
    responses((status = 201, body = PotJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_pot(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<PotInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let p = crate::finance::create_pot(&state, &api_actor(&user, origin), c.id, &body).await?;
    let (f, _, _) = crate::finance::pot(&state, c.id, p.id, &crate::finance::Reader::Decisions).await?;
    Ok(created(&pot_json(&f), format!("/api/v1/samenwerkingen/{id}/financien/potten/{}", p.id)))
}

#[derive(Serialize, ToSchema)]
pub struct PotDetailJson {
    pub pot: PotJson,
    pub plans: Vec<PlanJson>,
    pub spendings: Vec<SpendingJson>,
}

/// One pot with its plans and spending.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/financien/potten/{pot}", tag = "financien", params(("id" = i64, Path), ("pot" = i64, Path)),
    responses((status = 200, body = PotDetailJson)))]
pub async fn show_pot(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, pot)): Path<(i64, i64)>) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Read).await?;
    let reader = crate::finance::Reader::of(&state, &c, role).await?;
    let (f, plans, spendings) = crate::finance::pot(&state, c.id, pot, &reader).await?;
    let version = f.pot.version;
    Ok(versioned(
        &PotDetailJson { pot: pot_json(&f), plans: plans.iter().map(plan_json).collect(), spendings: spendings.iter().map(spending_json).collect() },
        version,
    ))
}

/// Changes a pot. Send the version you read as `If-Match`.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/financien/potten/{pot}", tag = "financien", params(("id" = i64, Path), ("pot" = i64, Path), ("If-Match" = String, Header)),
    request_body = PotInput,
    responses((status = 200, body = PotJson), (status = 400, body = super::meta::ProblemDetails), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update_pot(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, pot)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<PotInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let p = crate::finance::update_pot(&state, &api_actor(&user, origin), c.id, pot, version, &body).await?;
    let (f, _, _) = crate::finance::pot(&state, c.id, p.id, &crate::finance::Reader::Decisions).await?;
    Ok(versioned(&pot_json(&f), p.version))
}

/// Plans an amount of the pot for a programme activity in a year within the pot's period.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/financien/potten/{pot}/plannen", tag = "financien", params(("id" = i64, Path), ("pot" = i64, Path)),
    request_body = PlanInput, responses((status = 201, body = PlanJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_plan(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, pot)): Path<(i64, i64)>,
    Body(body): Body<PlanInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let p = crate::finance::create_plan(&state, &api_actor(&user, origin), c.id, pot, &body).await?;
    Ok(created(&plan_json(&p), format!("/api/v1/samenwerkingen/{id}/financien/potten/{pot}")))
}

/// Books a spend from the pot for a programme activity. Beyond what the pot has secured it is
/// refused (400, naming the amount over) unless the pot allows overspending.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/financien/potten/{pot}/uitgaven", tag = "financien", params(("id" = i64, Path), ("pot" = i64, Path)),
    request_body = SpendingInput, responses((status = 201, body = SpendingJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_spending(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, pot)): Path<(i64, i64)>,
    Body(body): Body<SpendingInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let s = crate::finance::add_spending(&state, &api_actor(&user, origin), c.id, pot, &body).await?;
    Ok(created(&spending_json(&s), format!("/api/v1/samenwerkingen/{id}/financien/potten/{pot}")))
}

// ---- breakthrough budget ----

#[derive(Serialize, ToSchema)]
pub struct DecisionJson {
    pub id: i64,
    pub pot_id: i64,
    /// YYYY-MM-DD
    pub requested: String,
    /// YYYY-MM-DD
    pub decided: String,
    /// Days from the request to the decision.
    pub days: i64,
    pub amount_cents: i64,
    /// The person who decided (0 once that person was removed).
    pub holder: i64,
    pub second_holder: Option<i64>,
    /// At or below the maximum per decision.
    pub within_mandate: bool,
    /// The categories of what stalled (the case reviews' barriers).
    pub stall: Vec<String>,
    pub situation: String,
    /// doorbraak, deels, geen or loopt.
    pub outcome: String,
    pub author: String,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionResultJson {
    /// 2026-H1
    pub half: String,
    /// False when fewer decisions than the minimum fall in the half year: then no figures.
    pub shown: bool,
    pub count: Option<usize>,
    pub total_cents: Option<i64>,
    pub median_days: Option<f64>,
    pub above_mandate: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct BreakthroughJson {
    /// Whether the pot is a breakthrough budget; a plain pot has no mandate nor decisions.
    pub breakthrough: bool,
    /// The people who hold the mandate now (named, or holding a named portfolio).
    pub holders: Vec<i64>,
    /// The most one decision spends on one holder's word.
    pub max_cents: i64,
    /// What the decisions used and what the pot has left of its secured money.
    pub used_cents: i64,
    pub remaining_cents: i64,
    /// The smallest group the results per half year show.
    pub minimum: usize,
    pub results: Vec<DecisionResultJson>,
    pub decisions: Vec<DecisionJson>,
}

fn decision_json(d: &Decision) -> DecisionJson {
    let c = &d.content;
    DecisionJson {
        id: d.id,
        pot_id: d.pot_id,
        requested: c.requested.clone(),
        decided: c.decided.clone(),
        days: c.days(),
        amount_cents: c.amount_cents,
        holder: c.holder,
        second_holder: c.second_holder,
        within_mandate: c.within_mandate,
        stall: c.stall.iter().map(|s| s.code().to_string()).collect(),
        situation: c.situation.clone(),
        outcome: c.outcome.code().to_string(),
        author: d.author.clone(),
    }
}

/// A breakthrough budget's mandate, use and remainder, its results per half year (a half year
/// with fewer decisions than the minimum shows no figures) and every decision (lid and
/// beheerder). A plain pot answers with `breakthrough` false and nothing else.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/financien/potten/{pot}/besluiten", tag = "financien", params(("id" = i64, Path), ("pot" = i64, Path)),
    responses((status = 200, body = BreakthroughJson), (status = 404, body = super::meta::ProblemDetails)))]
pub async fn decisions(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, pot)): Path<(i64, i64)>) -> ApiResult<Json<BreakthroughJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let (f, _, _) = crate::finance::pot(&state, c.id, pot, &crate::finance::Reader::Decisions).await?;
    let Some(b) = crate::finance::breakthrough(&state, &c, &f.pot, &crate::finance::Reader::Decisions).await? else {
        let remaining_cents = f.available - f.spent;
        let minimum = crate::case_review::minimum(&state, &c).await?;
        let (holders, results, decisions) = (Vec::new(), Vec::new(), Vec::new());
        return Ok(Json(BreakthroughJson { breakthrough: false, holders, max_cents: 0, used_cents: 0, remaining_cents, minimum, results, decisions }));
    };
    Ok(Json(BreakthroughJson {
        breakthrough: true,
        holders: b.holders.iter().map(|(h, _)| *h).collect(),
        max_cents: b.mandate.max_cents,
        used_cents: b.used,
        remaining_cents: f.available - f.spent,
        minimum: b.minimum,
        results: b
            .results
            .iter()
            .map(|r| DecisionResultJson {
                half: r.half.clone(),
                shown: r.figures.is_some(),
                count: r.figures.as_ref().map(|x| x.count),
                total_cents: r.figures.as_ref().map(|x| x.total_cents),
                median_days: r.figures.as_ref().map(|x| x.median_days),
                above_mandate: r.figures.as_ref().map(|x| x.above_mandate),
            })
            .collect(),
        decisions: b.decisions.iter().map(decision_json).collect(),
    }))
}

/// Records a decision on a breakthrough budget by a mandate holder; above the maximum per
/// decision a second, other holder must be named. Beyond what the pot has left it is refused
/// unless the pot allows overspending. A situation whose words might identify a child answers
/// 422 with the findings; send it again with `"bevestigd": true` when none of them does.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/financien/potten/{pot}/besluiten", tag = "financien", params(("id" = i64, Path), ("pot" = i64, Path)),
    request_body = DecisionInput,
    responses((status = 201, body = DecisionJson), (status = 400, body = super::meta::ProblemDetails), (status = 422, body = super::case_review::FindingsProblem)))]
pub async fn create_decision(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, pot)): Path<(i64, i64)>,
    Body(body): Body<DecisionInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    match crate::finance::add_decision(&state, &api_actor(&user, origin), &c, pot, &body).await? {
        crate::finance::DecisionSaved::Stored(d) => Ok(created(&decision_json(&d), format!("/api/v1/samenwerkingen/{id}/financien/potten/{pot}/besluiten"))),
        crate::finance::DecisionSaved::Check(findings) => Ok(super::case_review::findings_problem_for("situation", "finance.check_api", &findings)),
    }
}
