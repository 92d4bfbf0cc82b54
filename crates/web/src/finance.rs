//! The finance module's use cases, below both doors (pages and API): the contributions with
//! their totals per year, partner and source, recording and revising a contribution (a lid
//! proposes, only a beheerder records a commitment), and the totals as CSV or XLSX.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::indicator::ExportFormat;
use crate::xlsx;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::access::{Action, Role};
use domain::collaboration::Collaboration;
use domain::finance::{ContributionContent, ContributionInput, Source, Total, needs_beheerder, total, totals_by};
use domain::ids::CollaborationId;
use domain::partner::Partner;
use store::Actor;
use store::agreement::Agreement;
use store::finance::Contribution;

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
    let euros = |cents: i64| Cell::Number(cents as f64 / 100.0);
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
