//! The finance module's use cases, below both doors (pages and API): the contributions with
//! their totals per year, partner and source, recording and revising a contribution (a lid
//! proposes, only a beheerder records a commitment), and the totals as CSV or XLSX; pots with
//! their split, plans and spending (a spend beyond the pot refused unless it allows that); and
//! running work whose funding ends within the horizon or rests on one year's money.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::indicator::ExportFormat;
use crate::xlsx;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::access::{Action, Role};
use domain::case_review::{Finding, identifying};
use domain::collaboration::Collaboration;
use domain::finance::{
    ContributionContent, ContributionInput, DecisionContent, DecisionInput, DecisionResult, Mandate, PlanContent, PlanInput, PotContent, PotInput, Source,
    SpendingContent, SpendingInput, Total, Warning, available, continuity, decision_results, needs_beheerder, overspend, shares_of, total, totals_by,
    unconfirmed_situation,
};
use domain::ids::CollaborationId;
use domain::partner::Partner;
use store::Actor;
use store::agreement::Agreement;
use store::finance::{Contribution, Decided, Decision, Plan, Pot, Spend, Spending};

/// Everything the finance page and the API's summary show.
pub struct Overview {
    pub contributions: Vec<Contribution>,
    pub partners: Vec<Partner>,
    pub agreements: Vec<Agreement>,
    pub by_year: Vec<(String, Total)>,
    pub by_partner: Vec<(i64, Total)>,
    pub by_source: Vec<(Source, Total)>,
    pub total: Total,
}

impl Overview {
    pub fn partner_name(&self, id: i64) -> String {
        self.partners.iter().find(|p| p.id.0 == id).map(|p| p.name.clone()).unwrap_or_else(|| "—".into())
    }

    pub fn agreement_title(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.agreements.iter().find(|a| a.id == id)).map(|a| a.content.title.clone()).unwrap_or_default()
    }
}

pub async fn overview(state: &AppState, c: CollaborationId) -> Result<Overview, AppError> {
    let contributions = state.db.contributions(c).await?;
    let contents: Vec<ContributionContent> = contributions.iter().map(|x| x.content.clone()).collect();
    let partners = state.db.partners(c).await?;
    let mut by_partner: Vec<(i64, Total)> = totals_by(&contents, |x| x.partner).into_iter().collect();
    let name = |id: i64| partners.iter().find(|p| p.id.0 == id).map(|p| p.name.to_lowercase()).unwrap_or_default();
    by_partner.sort_by_key(|(id, _)| name(*id));
    Ok(Overview {
        by_year: totals_by(&contents, |x| x.year.clone()).into_iter().collect(),
        by_source: totals_by(&contents, |x| x.source).into_iter().collect(),
        by_partner,
        total: total(&contents),
        agreements: state.db.agreements(c).await?,
        partners,
        contributions,
    })
}

/// Refuses a commitment (toegezegd, vastgelegd) or a change to one from anyone but a beheerder,
/// as an error on the status field.
fn may_commit(role: Role, before: Option<&ContributionContent>, after: &ContributionContent) -> Result<(), AppError> {
    if needs_beheerder(before.map(|b| b.status), after.status) && !role.allows(Action::Manage) {
        return Err(domain::Invalid::single("status", "err.commit_beheerder").into());
    }
    Ok(())
}

/// Checks and stores a new contribution.
pub async fn create(state: &AppState, actor: &Actor, c: CollaborationId, role: Role, input: &ContributionInput) -> Result<Contribution, AppError> {
    let content = ContributionContent::parse(input)?;
    may_commit(role, None, &content)?;
    check_pot_of(state, c, &content).await?;
    Ok(state.db.create_contribution(actor, c, &content).await?)
}

/// Saves a revised contribution as its next version if it is still at `version`.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    c: CollaborationId,
    role: Role,
    id: i64,
    version: i64,
    input: &ContributionInput,
) -> Result<Contribution, AppError> {
    let current = state.db.contribution(c, id).await?;
    let content = ContributionContent::parse(input)?;
    may_commit(role, Some(&current.content), &content)?;
    check_pot_of(state, c, &content).await?;
    Ok(state.db.update_contribution(actor, c, id, version, &content).await?)
}

/// The source as people read it: "overig" with its own words.
pub fn source_label(lang: Lang, content: &ContributionContent) -> String {
    let label = lang.label("fundingsource", content.source.code());
    if content.source == Source::Overig && !content.source_other.is_empty() { format!("{label}: {}", content.source_other) } else { label }
}

/// The contributions and their totals as a file: each contribution, then the totals per year,
/// per partner and per source. Amounts are numbers in euros (two decimals), hours whole.
pub async fn export_file(state: &AppState, lang: Lang, c: &Collaboration, format: ExportFormat) -> Result<Response, AppError> {
    use xlsx::Cell;
    let o = overview(state, c.id).await?;
    let text = |t: &str| Cell::Text(t.to_string());
    let euros = Cell::Euros;
    let optional = |v: Option<i64>, money: bool| match v {
        Some(v) if money => euros(v),
        Some(v) => Cell::Number(v as f64),
        None => Cell::Empty,
    };
    let mut rows = vec![
        [
            "field.partner",
            "field.finance_year",
            "field.funding_source",
            "field.commitment",
            "field.amount",
            "field.hours",
            "field.hourly_rate",
            "finance.value",
            "field.agreement",
            "field.starts",
            "field.ends",
        ]
        .iter()
        .map(|k| text(lang.t(k)))
        .collect::<Vec<_>>(),
    ];
    for x in &o.contributions {
        let k = &x.content;
        rows.push(vec![
            text(&o.partner_name(k.partner)),
            text(&k.year),
            text(&source_label(lang, k)),
            text(&lang.label("commitment", k.status.code())),
            optional(k.amount_cents, true),
            optional(k.hours, false),
            optional(k.hourly_rate_cents, true),
            euros(k.value_cents()),
            text(&o.agreement_title(k.agreement)),
            text(&k.starts),
            text(&k.ends),
        ]);
    }
    let totals_header = |first: &str| {
        vec![
            text(first),
            text(lang.t("field.amount")),
            text(lang.t("field.hours")),
            text(lang.t("finance.hours_value")),
            text(lang.t("finance.value")),
            text(lang.t("finance.secured")),
        ]
    };
    let totals_row = |label: String, t: &Total| {
        vec![text(&label), euros(t.amount_cents), Cell::Number(t.hours as f64), euros(t.hours_value_cents), euros(t.value_cents()), euros(t.secured_cents)]
    };
    rows.push(vec![]);
    rows.push(totals_header(lang.t("field.finance_year")));
    rows.extend(o.by_year.iter().map(|(y, t)| totals_row(y.clone(), t)));
    rows.push(totals_row(lang.t("finance.total").to_string(), &o.total));
    rows.push(vec![]);
    rows.push(totals_header(lang.t("field.partner")));
    rows.extend(o.by_partner.iter().map(|(p, t)| totals_row(o.partner_name(*p), t)));
    rows.push(vec![]);
    rows.push(totals_header(lang.t("field.funding_source")));
    rows.extend(o.by_source.iter().map(|(s, t)| totals_row(lang.label("fundingsource", s.code()), t)));
    let (body, content_type, extension) = match format {
        ExportFormat::Csv => (xlsx::csv(&rows).into_bytes(), "text/csv; charset=utf-8", "csv"),
        ExportFormat::Xlsx => (xlsx::workbook(lang.t("finance.title"), &rows)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    };
    let disposition = format!("attachment; filename=\"financien-{}.{extension}\"", c.id.0);
    Ok(([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}

// ---- pots, plans and spending ----

/// A pot with what it holds and what is planned and spent from it.
pub struct PotFigures {
    pub pot: Pot,
    /// The contributions that fill it.
    pub contributions: Vec<Contribution>,
    /// Money promised or recorded.
    pub available: i64,
    /// Money still indicatief.
    pub expected: i64,
    pub planned: i64,
    pub spent: i64,
    /// Whether breakthrough decisions the reader may not see were left out of `spent` and the
    /// years (a running half year, or one below the minimum: `published_decisions`).
    pub decisions_left_out: bool,
    /// Per year: (year, secured money, planned, spent).
    pub per_year: Vec<(String, i64, i64, i64)>,
    /// Each partner's share of what is available, under the split.
    pub shares: Vec<(i64, i64, i64)>,
}

impl PotFigures {
    /// How far spending went beyond what is available.
    pub fn overspent(&self) -> Option<i64> {
        overspend(self.available, self.spent, 0)
    }

    /// How far the plans go beyond what is available.
    pub fn overplanned(&self) -> Option<i64> {
        overspend(self.available, self.planned, 0)
    }
}

/// Who reads a pot's figures: someone who sees its breakthrough decisions, or someone who sees
/// only what is published of them (with the minimum group and the day).
#[derive(Clone)]
pub enum Reader {
    Decisions,
    Published { minimum: usize, today: String },
}

impl Reader {
    /// Lid and beheerder see the decisions; a lezer what is published of them.
    pub async fn of(state: &AppState, c: &Collaboration, role: Role) -> Result<Reader, AppError> {
        Ok(if role.allows(Action::Edit) {
            Reader::Decisions
        } else {
            Reader::Published { minimum: crate::case_review::minimum(state, c).await?, today: crate::today() }
        })
    }
}

fn figures(pot: Pot, all: &[Contribution], plans: &[Plan], spendings: &[Spending], decisions: &[Decision], reader: &Reader) -> PotFigures {
    let contributions: Vec<Contribution> = all.iter().filter(|x| x.content.pot == Some(pot.id)).cloned().collect();
    let contents: Vec<&ContributionContent> = contributions.iter().map(|x| &x.content).collect();
    let plans: Vec<&Plan> = plans.iter().filter(|p| p.pot_id == pot.id).collect();
    let spendings: Vec<&Spending> = spendings.iter().filter(|s| s.pot_id == pot.id).collect();
    let decisions: Vec<&DecisionContent> = decisions.iter().filter(|d| d.pot_id == pot.id).map(|d| &d.content).collect();
    let (decisions, decisions_left_out) = match reader {
        Reader::Decisions => (decisions, false),
        Reader::Published { minimum, today } => domain::finance::published_decisions(&decisions, *minimum, today),
    };
    let mut years: std::collections::BTreeMap<String, (i64, i64, i64)> = std::collections::BTreeMap::new();
    for c in &contents {
        if c.status.is_secured() {
            years.entry(c.year.clone()).or_default().0 += c.amount_cents.unwrap_or(0);
        }
    }
    for p in &plans {
        years.entry(p.content.year.clone()).or_default().1 += p.content.planned_cents;
    }
    for s in &spendings {
        years.entry(s.content.date[..4].to_string()).or_default().2 += s.content.amount_cents;
    }
    for d in &decisions {
        years.entry(d.decided[..4].to_string()).or_default().2 += d.amount_cents;
    }
    let available = available(&contents);
    PotFigures {
        shares: shares_of(available, &pot.content.split)
            .into_iter()
            .zip(&pot.content.split)
            .map(|((partner, cents), s)| (partner, s.basis_points, cents))
            .collect(),
        expected: contents.iter().filter(|c| !c.status.is_secured()).map(|c| c.amount_cents.unwrap_or(0)).sum(),
        planned: plans.iter().map(|p| p.content.planned_cents).sum(),
        spent: spendings.iter().map(|s| s.content.amount_cents).sum::<i64>() + decisions.iter().map(|d| d.amount_cents).sum::<i64>(),
        decisions_left_out,
        per_year: years.into_iter().map(|(y, (a, p, s))| (y, a, p, s)).collect(),
        available,
        contributions,
        pot,
    }
}

/// The money planned and spent per ambition, goal and activity of the programme.
pub async fn work_money(state: &AppState, c: CollaborationId) -> Result<Vec<domain::finance::WorkMoney>, AppError> {
    let ambitions: Vec<(i64, String)> = state.db.ambitions(c).await?.into_iter().map(|a| (a.id, a.content.title)).collect();
    let goals: Vec<(i64, i64, String)> = state.db.goals(c).await?.into_iter().map(|g| (g.id, g.ambition_id, g.content.title)).collect();
    let activities: Vec<(i64, i64, String)> = state.db.activities(c).await?.into_iter().map(|a| (a.id, a.goal_id, a.content.title)).collect();
    let (plans, spendings) = (state.db.plans(c, None).await?, state.db.spendings(c, None).await?);
    let plans: Vec<&PlanContent> = plans.iter().map(|p| &p.content).collect();
    let spendings: Vec<&SpendingContent> = spendings.iter().map(|s| &s.content).collect();
    Ok(domain::finance::work_money(&ambitions, &goals, &activities, &plans, &spendings))
}

/// Every pot of the collaboration with its figures as `reader` may see them.
pub async fn pots(state: &AppState, c: CollaborationId, reader: &Reader) -> Result<Vec<PotFigures>, AppError> {
    let (contributions, plans, spendings) = (state.db.contributions(c).await?, state.db.plans(c, None).await?, state.db.spendings(c, None).await?);
    let decisions = state.db.breakthrough_decisions(c, None).await?;
    Ok(state.db.pots(c).await?.into_iter().map(|p| figures(p, &contributions, &plans, &spendings, &decisions, reader)).collect())
}

/// One pot with its figures as `reader` may see them, its plans and spending.
pub async fn pot(state: &AppState, c: CollaborationId, id: i64, reader: &Reader) -> Result<(PotFigures, Vec<Plan>, Vec<Spending>), AppError> {
    let pot = state.db.pot(c, id).await?;
    let (contributions, plans, spendings) = (state.db.contributions(c).await?, state.db.plans(c, Some(id)).await?, state.db.spendings(c, Some(id)).await?);
    let decisions = state.db.breakthrough_decisions(c, Some(id)).await?;
    Ok((figures(pot, &contributions, &plans, &spendings, &decisions, reader), plans, spendings))
}

fn period(pot: &PotContent) -> String {
    format!("{} – {}", pot.starts, pot.ends)
}

/// A contribution that fills a pot lies within the pot's period.
async fn check_pot_of(state: &AppState, c: CollaborationId, content: &ContributionContent) -> Result<(), AppError> {
    let Some(id) = content.pot else { return Ok(()) };
    let pot = state.db.pot(c, id).await.map_err(|e| match e {
        store::StoreError::NotFound => AppError::Invalid(domain::Invalid::single("pot", "err.not_in_collaboration")),
        other => other.into(),
    })?;
    if !pot.content.covers(content) {
        let mut invalid = domain::Invalid::default();
        invalid.add_with("pot", "err.outside_pot", period(&pot.content));
        return Err(invalid.into());
    }
    Ok(())
}

pub async fn create_pot(state: &AppState, actor: &Actor, c: CollaborationId, input: &PotInput) -> Result<Pot, AppError> {
    Ok(state.db.create_pot(actor, c, &PotContent::parse(input)?).await?)
}

/// Changes a pot if it is still at `version`; its period must still hold its contributions.
pub async fn update_pot(state: &AppState, actor: &Actor, c: CollaborationId, id: i64, version: i64, input: &PotInput) -> Result<Pot, AppError> {
    state.db.pot(c, id).await?;
    let content = PotContent::parse(input)?;
    if state.db.contributions(c).await?.iter().any(|x| x.content.pot == Some(id) && !content.covers(&x.content)) {
        return Err(domain::Invalid::single("starts", "err.pot_leaves_contributions").into());
    }
    Ok(state.db.update_pot(actor, c, id, version, &content).await?)
}

pub async fn create_plan(state: &AppState, actor: &Actor, c: CollaborationId, pot: i64, input: &PlanInput) -> Result<Plan, AppError> {
    let p = state.db.pot(c, pot).await?;
    Ok(state.db.create_plan(actor, c, pot, &PlanContent::parse(input, &p.content)?).await?)
}

/// Books a spend from a pot: beyond what the pot has secured it is refused with the amount it
/// goes over, unless the pot allows overspending (then it is stored and the pot flagged).
pub async fn add_spending(state: &AppState, actor: &Actor, c: CollaborationId, pot: i64, input: &SpendingInput) -> Result<Spending, AppError> {
    let p = state.db.pot(c, pot).await?;
    if p.content.breakthrough.is_some() {
        // Money from a breakthrough budget goes out by a mandate holder's decision only.
        return Err(domain::Invalid::single("amount", "err.breakthrough_by_decision").into());
    }
    match state.db.add_spending(actor, c, pot, &SpendingContent::parse(input, &p.content)?).await? {
        Spend::Stored(s) => Ok(s),
        Spend::Over(cents) => {
            let mut invalid = domain::Invalid::default();
            invalid.add_with("amount", "err.overspend", format!("€ {}", domain::finance::euros(cents, '.', ',')));
            Err(invalid.into())
        }
    }
}

// ---- breakthrough budget ----

/// A breakthrough budget's people, decisions and results per half year, as a reader sees them.
pub struct Breakthrough {
    pub mandate: Mandate,
    /// Everyone who holds the mandate now: id and name.
    pub holders: Vec<(i64, String)>,
    /// Every decision, for a reader who may see them; none for any other.
    pub decisions: Vec<Decision>,
    pub results: Vec<DecisionResult>,
    /// What the decisions used, of those the reader may count (`published_decisions`).
    pub used: i64,
    /// The smallest group the results show.
    pub minimum: usize,
}

/// The breakthrough side of a pot, if it is a breakthrough budget.
pub async fn breakthrough(state: &AppState, c: &Collaboration, pot: &Pot, reader: &Reader) -> Result<Option<Breakthrough>, AppError> {
    let Some(mandate) = pot.content.breakthrough.clone() else { return Ok(None) };
    let people = state.db.people(c.id).await?;
    let holders = state.db.mandate_holders(c.id, pot.id).await?;
    let decisions = state.db.breakthrough_decisions(c.id, Some(pot.id)).await?;
    let minimum = crate::case_review::minimum(state, c).await?;
    let today = crate::today();
    let contents: Vec<DecisionContent> = decisions.iter().map(|d| d.content.clone()).collect();
    let refs: Vec<&DecisionContent> = contents.iter().collect();
    let counted = match reader {
        Reader::Decisions => refs,
        Reader::Published { .. } => domain::finance::published_decisions(&refs, minimum, &today).0,
    };
    Ok(Some(Breakthrough {
        holders: holders.iter().map(|h| (*h, people.iter().find(|p| p.id.0 == *h).map(|p| p.name.clone()).unwrap_or_default())).collect(),
        results: decision_results(&contents, minimum, &today),
        used: counted.iter().map(|d| d.amount_cents).sum(),
        decisions: if matches!(reader, Reader::Decisions) { decisions } else { Vec::new() },
        mandate,
        minimum,
    }))
}

/// What recording a decision came to: stored, or held back for what in the situation's words
/// might identify a child.
pub enum DecisionSaved {
    Stored(Decision),
    Check(Vec<Finding>),
}

/// Records a decision on a breakthrough budget: checked against the pot and who holds its
/// mandate now, its words searched for what might identify a child (saved once the writer
/// confirms), beyond what the pot has left refused unless it allows overspending.
pub async fn add_decision(state: &AppState, actor: &Actor, c: &Collaboration, pot: i64, input: &DecisionInput) -> Result<DecisionSaved, AppError> {
    let p = state.db.pot(c.id, pot).await?;
    let holders = state.db.mandate_holders(c.id, pot).await?;
    let content = DecisionContent::parse(input, &p.content, &holders, &crate::today())?;
    let findings = unconfirmed_situation(identifying(&content.situation, &crate::case_review::known(state, c).await?), input);
    if !findings.is_empty() {
        return Ok(DecisionSaved::Check(findings));
    }
    match state.db.add_breakthrough_decision(actor, c.id, pot, &content).await? {
        Decided::Stored(d) => Ok(DecisionSaved::Stored(d)),
        Decided::Refused(invalid) => Err(invalid.into()),
        Decided::Over(cents) => {
            let mut invalid = domain::Invalid::default();
            invalid.add_with("amount", "err.overspend", format!("€ {}", domain::finance::euros(cents, '.', ',')));
            Err(invalid.into())
        }
    }
}

// ---- continuity ----

/// Running work whose funding needs attention: the activity and why.
pub struct Attention {
    pub activity: i64,
    /// The pots whose plans fund it.
    pub pots: Vec<i64>,
    pub title: String,
    pub ends: String,
    pub warning: Warning,
}

/// The collaboration's horizon in months (twelve until a beheerder sets another) and the
/// setting's version (0 before the first).
pub async fn horizon(state: &AppState, c: CollaborationId) -> Result<(u32, i64), AppError> {
    let (months, version) = state.db.finance_horizon(c).await?;
    Ok((months.unwrap_or(domain::finance::DEFAULT_HORIZON), version))
}

/// Sets the horizon (1 to 60 months) if nobody changed it since `version`.
pub async fn set_horizon(state: &AppState, actor: &Actor, c: CollaborationId, raw: &str, version: i64) -> Result<u32, AppError> {
    let months = domain::finance::parse_horizon(raw)?;
    state.db.set_finance_horizon(actor, c, months, version).await?;
    Ok(months)
}

/// Running work whose funding needs attention within the collaboration's own horizon.
pub async fn attention_now(state: &AppState, c: CollaborationId, today: &str) -> Result<Vec<Attention>, AppError> {
    let (months, _) = horizon(state, c).await?;
    attention(state, c, today, months).await
}

/// The warnings that belong on the agenda of `body`: running work funded by a pot recorded in
/// an agreement the body owns, or filled by contributions recorded in one.
pub async fn agenda_attention(state: &AppState, c: CollaborationId, body: i64, today: &str) -> Result<Vec<Attention>, AppError> {
    let owned: Vec<i64> = state.db.agreements(c).await?.into_iter().filter(|a| a.content.body == Some(body)).map(|a| a.id).collect();
    if owned.is_empty() {
        return Ok(Vec::new());
    }
    let recorded = |agreement: Option<i64>| agreement.is_some_and(|a| owned.contains(&a));
    let contributions = state.db.contributions(c).await?;
    let pots: Vec<i64> = state
        .db
        .pots(c)
        .await?
        .into_iter()
        .filter(|p| recorded(p.content.agreement) || contributions.iter().any(|x| x.content.pot == Some(p.id) && recorded(x.content.agreement)))
        .map(|p| p.id)
        .collect();
    Ok(attention_now(state, c, today).await?.into_iter().filter(|a| a.pots.iter().any(|p| pots.contains(p))).collect())
}

/// The number of years the continuity view looks ahead.
pub const YEARS_AHEAD: usize = 5;

/// Committed money per partner and the planned need for this year and the four after it.
pub async fn years(state: &AppState, c: CollaborationId, today: &str) -> Result<domain::finance::YearsView, AppError> {
    let first: i32 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026);
    let contents: Vec<ContributionContent> = state.db.contributions(c).await?.into_iter().map(|x| x.content).collect();
    let plans: Vec<PlanContent> = state.db.plans(c, None).await?.into_iter().map(|p| p.content).collect();
    Ok(domain::finance::years_view(&contents, &plans, first, YEARS_AHEAD))
}

/// Every running activity with plans in a pot whose secured funding ends within `months`
/// months of `today` while the work goes on, or rests on one year's money only. Running work
/// with no plan in any pot is not judged: its money is not kept here.
pub async fn attention(state: &AppState, c: CollaborationId, today: &str, months: u32) -> Result<Vec<Attention>, AppError> {
    let plans = state.db.plans(c, None).await?;
    if plans.is_empty() {
        return Ok(Vec::new());
    }
    let contributions = state.db.contributions(c).await?;
    let horizon = domain::date::add_months(today, months).unwrap_or_else(|| today.to_string());
    let mut out = Vec::new();
    for a in state.db.activities(c).await? {
        if a.content.status != domain::programme::ActivityStatus::Lopend || a.content.ends.as_str() < today {
            continue;
        }
        let pots: Vec<i64> = plans.iter().filter(|p| p.content.activity == a.id).map(|p| p.pot_id).collect();
        if pots.is_empty() {
            continue;
        }
        let funding: Vec<(&str, &str)> = contributions
            .iter()
            .filter(|x| x.content.status.is_secured() && x.content.pot.is_some_and(|p| pots.contains(&p)) && x.content.ends.as_str() >= today)
            .map(|x| (x.content.year.as_str(), x.content.ends.as_str()))
            .collect();
        if let Some(warning) = continuity(&a.content.ends, &funding, &horizon) {
            out.push(Attention { activity: a.id, pots: pots.clone(), title: a.content.title.clone(), ends: a.content.ends.clone(), warning });
        }
    }
    Ok(out)
}
