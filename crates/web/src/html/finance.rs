//! The finance page: totals per year (as a table and as our own SVG with the same numbers), per
//! partner and per source, every contribution, the exports; forms to record and revise a
//! contribution, and a contribution's page with all its versions; pots with their split,
//! plans and spending; and the running work whose funding needs attention.

use super::{Form, Page, PageResult, choices, collaboration_access, form_page, render, see_other, with_empty};
use crate::AppState;
use crate::error::AppError;
use crate::finance::{Attention, Overview, PotFigures, source_label};
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::indicator::ExportFormat;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::{Action, Role};
use domain::collaboration::Collaboration;
use domain::finance::{
    Commitment, ContributionContent, ContributionInput, PlanInput, PotInput, ShareInput, Source, SpendingInput, Total, Warning, bar_lengths, percent_text,
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/financien", overview)
        .get("/samenwerkingen/{id}/financien/export.csv", export_csv)
        .get("/samenwerkingen/{id}/financien/export.xlsx", export_xlsx)
        .get("/samenwerkingen/{id}/financien/bijdragen/nieuw", new_contribution)
        .post("/samenwerkingen/{id}/financien/bijdragen", create_contribution)
        .get("/samenwerkingen/{id}/financien/bijdragen/{contribution}", show_contribution)
        .get("/samenwerkingen/{id}/financien/bijdragen/{contribution}/bewerken", edit_contribution)
        .post("/samenwerkingen/{id}/financien/bijdragen/{contribution}/bewerken", update_contribution)
        .get("/samenwerkingen/{id}/financien/potten/nieuw", new_pot)
        .post("/samenwerkingen/{id}/financien/potten", create_pot)
        .get("/samenwerkingen/{id}/financien/potten/{pot}", show_pot)
        .get("/samenwerkingen/{id}/financien/potten/{pot}/bewerken", edit_pot)
        .post("/samenwerkingen/{id}/financien/potten/{pot}/bewerken", update_pot)
        .get("/samenwerkingen/{id}/financien/potten/{pot}/plannen/nieuw", new_plan)
        .post("/samenwerkingen/{id}/financien/potten/{pot}/plannen", create_plan)
        .get("/samenwerkingen/{id}/financien/potten/{pot}/uitgaven/nieuw", new_spending)
        .post("/samenwerkingen/{id}/financien/potten/{pot}/uitgaven", create_spending)
}

fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/financien")
}

async fn frame(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, action: Action, title: &str) -> Result<(Collaboration, Role, Page), AppError> {
    let (c, role) = collaboration_access(state, &visitor.user, id, action).await?;
    let page = Page::new(lang, title).user(&visitor.user).in_collab(&c, role, "finance");
    Ok((c, role, page))
}

/// A refused post: the form again with its errors (400) or a stale version (409).
fn refused(page: &Page, view: Form, err: AppError) -> PageResult {
    match err {
        AppError::Invalid(invalid) => Ok(form_page(page, &view.errors(page, Some(&invalid)), StatusCode::BAD_REQUEST)),
        AppError::Conflict(_) => Ok(form_page(page, &view.message(page.t("error.stale")), StatusCode::CONFLICT)),
        other => Err(other.into()),
    }
}

// ---- the overview ----

/// A row of a totals table, every amount already written as money.
pub struct TotalRow {
    pub label: String,
    pub amount: String,
    pub hours: String,
    pub hours_value: String,
    pub value: String,
    pub secured: String,
}

fn total_row(lang: Lang, label: String, t: &Total) -> TotalRow {
    TotalRow {
        label,
        amount: lang.money(t.amount_cents),
        hours: lang.number(t.hours),
        hours_value: lang.money(t.hours_value_cents),
        value: lang.money(t.value_cents()),
        secured: lang.money(t.secured_cents),
    }
}

pub struct ContributionRow {
    pub id: i64,
    pub partner: String,
    pub year: String,
    pub source: String,
    pub amount: String,
    pub hours: String,
    pub value: String,
    pub status: String,
    pub agreement: String,
}

/// One bar of the chart per year: its total value, drawn to scale, labelled with the amount.
pub struct Bar {
    pub label: String,
    pub value: String,
    pub y: i32,
    pub width: String,
    pub secured_width: String,
}

#[derive(Template)]
#[template(path = "finance.html")]
struct OverviewTemplate<'a> {
    page: &'a Page,
    id: i64,
    can_edit: bool,
    years: Vec<TotalRow>,
    partners: Vec<TotalRow>,
    sources: Vec<TotalRow>,
    total: TotalRow,
    contributions: Vec<ContributionRow>,
    bars: Vec<Bar>,
    chart_height: i32,
    chart_desc: String,
    pots: Vec<PotRow>,
    attention: Vec<(i64, String, String)>,
    y: super::continuity::YearsTable,
    can_manage: bool,
}

const BAR_W: f64 = 330.0;
const BAR_ROW: i32 = 36;

fn contribution_row(lang: Lang, o: &Overview, id: i64, k: &ContributionContent) -> ContributionRow {
    ContributionRow {
        id,
        partner: o.partner_name(k.partner),
        year: k.year.clone(),
        source: source_label(lang, k),
        amount: k.amount_cents.map(|c| lang.money(c)).unwrap_or_default(),
        hours: k.hours.map(|h| lang.number(h)).unwrap_or_default(),
        value: lang.money(k.value_cents()),
        status: lang.label("commitment", k.status.code()),
        agreement: o.agreement_title(k.agreement),
    }
}

async fn overview(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Read, "finance.title").await?;
    let o = crate::finance::overview(&state, c.id).await?;
    let values: Vec<i64> = o.by_year.iter().map(|(_, t)| t.value_cents()).collect();
    let secured: Vec<i64> = o.by_year.iter().map(|(_, t)| t.secured_cents).collect();
    let (lengths, max) = (bar_lengths(&values, BAR_W), values.iter().copied().max().unwrap_or(0));
    let bars = o
        .by_year
        .iter()
        .zip(&lengths)
        .zip(&secured)
        .enumerate()
        .map(|(i, (((year, t), length), secured))| Bar {
            label: year.clone(),
            value: lang.money(t.value_cents()),
            y: 10 + i as i32 * BAR_ROW,
            width: format!("{length:.1}"),
            secured_width: format!("{:.1}", if max > 0 { *secured as f64 / max as f64 * BAR_W } else { 0.0 }),
        })
        .collect::<Vec<_>>();
    let chart_desc = o
        .by_year
        .iter()
        .map(|(y, t)| format!("{y}: {} ({} {})", lang.money(t.value_cents()), page.t("finance.of_which_secured"), lang.money(t.secured_cents)))
        .collect::<Vec<_>>()
        .join("; ");
    let pots = crate::finance::pots(&state, c.id).await?.iter().map(|f| pot_row(lang, f)).collect();
    let attention = crate::finance::attention_now(&state, c.id, &crate::today()).await?;
    let today = crate::today();
    let years = crate::finance::years(&state, c.id, &today).await?;
    let y = super::continuity::years_table(lang, &years, |p| o.partner_name(p), crate::finance::horizon(&state, c.id).await?);
    let template = OverviewTemplate {
        y,
        can_manage: role.allows(Action::Manage),
        pots,
        attention: attention.iter().map(|a| attention_line(lang, a)).collect(),
        id,
        can_edit: role.allows(Action::Edit),
        years: o.by_year.iter().map(|(y, t)| total_row(lang, y.clone(), t)).collect(),
        partners: o.by_partner.iter().map(|(p, t)| total_row(lang, o.partner_name(*p), t)).collect(),
        sources: o.by_source.iter().map(|(s, t)| total_row(lang, lang.label("fundingsource", s.code()), t)).collect(),
        total: total_row(lang, page.t("finance.total").to_string(), &o.total),
        contributions: o.contributions.iter().map(|x| contribution_row(lang, &o, x.id, &x.content)).collect(),
        chart_height: 10 + bars.len().max(1) as i32 * BAR_ROW,
        bars,
        chart_desc,
        page: &page,
    };
    Ok(render(&template))
}

/// A line for running work whose funding needs attention: the activity, its title, and why.
pub fn attention_line(lang: Lang, a: &Attention) -> (i64, String, String) {
    let why = match &a.warning {
        Warning::NoFunding => lang.t("finance.warn_no_funding").to_string(),
        Warning::EndsWithin { ends } => lang.t("finance.warn_ends").replace("{date}", &lang.date(ends)).replace("{ends}", &lang.date(&a.ends)),
        Warning::OneYearOnly { year } => lang.t("finance.warn_one_year").replace("{year}", year),
    };
    (a.activity, a.title.clone(), why)
}

async fn export(state: AppState, lang: Lang, visitor: Visitor, id: i64, format: ExportFormat) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    Ok(crate::finance::export_file(&state, lang, &c, format).await?)
}

async fn export_csv(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    export(state, lang, visitor, id, ExportFormat::Csv).await
}

async fn export_xlsx(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    export(state, lang, visitor, id, ExportFormat::Xlsx).await
}

// ---- a contribution ----

async fn contribution_form(state: &AppState, page: &Page, c: &Collaboration, role: Role, action: String, input: &ContributionInput) -> Result<Form, AppError> {
    let (partners, agreements, pots) = (state.db.partners(c.id).await?, state.db.agreements(c.id).await?, state.db.pots(c.id).await?);
    let statuses = if role.allows(Action::Manage) {
        choices(page, "commitment", Commitment::ALL, Commitment::code)
    } else {
        choices(page, "commitment", &[Commitment::Indicatief], Commitment::code)
    };
    let agreement_choices =
        agreements.iter().map(|a| (a.id.to_string(), format!("{} ({})", a.content.title, page.lang.label("agreementkind", a.content.kind.code())))).collect();
    Ok(Form::new(action, page.t("form.save"))
        .intro(page.t("finance.contribution_intro"))
        .select(
            "partner",
            page.t("field.partner"),
            with_empty(page.t("form.choose"), partners.iter().map(|p| (p.id.0.to_string(), p.name.clone())).collect()),
            &input.partner,
            true,
        )
        .text("year", page.t("field.finance_year"), &input.year, true)
        .hint(page.t("finance.year_hint"))
        .select(
            "source",
            page.t("field.funding_source"),
            with_empty(page.t("form.choose"), choices(page, "fundingsource", Source::ALL, Source::code)),
            &input.source,
            true,
        )
        .text("source_other", page.t("field.source_other"), &input.source_other, false)
        .hint(page.t("finance.source_other_hint"))
        .text("amount", page.t("field.amount"), &input.amount, false)
        .hint(page.t("finance.amount_hint"))
        .text("hours", page.t("field.hours"), &input.hours, false)
        .hint(page.t("finance.hours_hint"))
        .text("hourly_rate", page.t("field.hourly_rate"), &input.hourly_rate, false)
        .hint(page.t("finance.rate_hint"))
        .select("status", page.t("field.commitment"), statuses, &input.status, true)
        .hint(page.t(if role.allows(Action::Manage) { "finance.status_hint" } else { "finance.status_hint_lid" }))
        .select("agreement", page.t("field.recorded_in"), with_empty(page.t("programme.no_agreement"), agreement_choices), &input.agreement, false)
        .hint(page.t("finance.agreement_hint"))
        .text("starts", page.t("field.starts"), &input.starts, false)
        .hint(page.t("finance.starts_hint"))
        .text("ends", page.t("field.ends"), &input.ends, false)
        .hint(page.t("finance.ends_hint"))
        .select(
            "pot",
            page.t("field.pot"),
            with_empty(page.t("finance.no_pot"), pots.iter().map(|p| (p.id.to_string(), p.content.name.clone())).collect()),
            &input.pot,
            false,
        )
        .hint(page.t("finance.pot_hint"))
        .textarea("note", page.t("field.note"), &input.note)
        .cancel(base(c.id.0)))
}

async fn new_contribution(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_contribution").await?;
    let form = contribution_form(&state, &page, &c, role, format!("{}/bijdragen", base(id)), &ContributionInput::default()).await?;
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn create_contribution(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_contribution").await?;
    let (input, control): (ContributionInput, _) = body.parse_kept()?;
    let view = contribution_form(&state, &page, &c, role, format!("{}/bijdragen", base(id)), &input).await?;
    if !control.errors.is_empty() {
        return refused(&page, view, AppError::Invalid(control));
    }
    match crate::finance::create(&state, &actor(&visitor, origin), c.id, role, &input).await {
        Ok(x) => Ok(see_other(&format!("{}/bijdragen/{}", base(id), x.id))),
        Err(err) => refused(&page, view, err),
    }
}

async fn edit_contribution(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, contribution)): Path<(i64, i64)>) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.edit_contribution").await?;
    let x = state.db.contribution(c.id, contribution).await?;
    let form = contribution_form(&state, &page, &c, role, format!("{}/bijdragen/{contribution}/bewerken", base(id)), &x.content.input())
        .await?
        .hidden("version", x.version);
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update_contribution(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, contribution)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.edit_contribution").await?;
    state.db.contribution(c.id, contribution).await?;
    let ((input, control), version): ((ContributionInput, _), i64) = (body.parse_kept()?, body.version()?);
    let view = contribution_form(&state, &page, &c, role, format!("{}/bijdragen/{contribution}/bewerken", base(id)), &input).await?.hidden("version", version);
    if !control.errors.is_empty() {
        return refused(&page, view, AppError::Invalid(control));
    }
    match crate::finance::update(&state, &actor(&visitor, origin), c.id, role, contribution, version, &input).await {
        Ok(_) => Ok(see_other(&format!("{}/bijdragen/{contribution}", base(id)))),
        Err(err) => refused(&page, view, err),
    }
}

pub struct VersionRow {
    pub version: i64,
    pub changed: String,
    pub by: String,
    pub row: ContributionRow,
    /// The fields that differ from the version before, by their labels.
    pub changes: String,
}

#[derive(Template)]
#[template(path = "finance_contribution.html")]
struct ContributionTemplate<'a> {
    page: &'a Page,
    id: i64,
    contribution: i64,
    can_edit: bool,
    current: ContributionRow,
    rate: String,
    period: String,
    note: String,
    agreement: Option<i64>,
    versions: Vec<VersionRow>,
}

/// The labels of the fields that differ between two versions.
fn changed_fields(page: &Page, before: &ContributionContent, after: &ContributionContent) -> String {
    let checks = [
        (before.partner != after.partner, "field.partner"),
        (before.year != after.year, "field.finance_year"),
        (before.source != after.source || before.source_other != after.source_other, "field.funding_source"),
        (before.amount_cents != after.amount_cents, "field.amount"),
        (before.hours != after.hours, "field.hours"),
        (before.hourly_rate_cents != after.hourly_rate_cents, "field.hourly_rate"),
        (before.status != after.status, "field.commitment"),
        (before.agreement != after.agreement, "field.recorded_in"),
        (before.starts != after.starts || before.ends != after.ends, "field.period"),
        (before.note != after.note, "field.note"),
    ];
    checks.iter().filter(|(changed, _)| *changed).map(|(_, key)| page.t(key)).collect::<Vec<_>>().join(", ")
}

async fn show_contribution(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, contribution)): Path<(i64, i64)>) -> PageResult {
    let (c, role, mut page) = frame(&state, lang, &visitor, id, Action::Read, "finance.contribution").await?;
    let x = state.db.contribution(c.id, contribution).await?;
    let o = crate::finance::overview(&state, c.id).await?;
    let current = contribution_row(lang, &o, x.id, &x.content);
    page.title = format!("{} {} {}", page.t("finance.contribution_of"), current.partner, x.content.year);
    let stored = state.db.contribution_versions(c.id, contribution).await?;
    let mut versions: Vec<VersionRow> = stored
        .iter()
        .enumerate()
        .map(|(i, v)| VersionRow {
            version: v.version,
            changed: lang.datetime(v.changed_at),
            by: v.changed_by.clone(),
            row: contribution_row(lang, &o, x.id, &v.content),
            changes: if i == 0 { page.t("finance.original").to_string() } else { changed_fields(&page, &stored[i - 1].content, &v.content) },
        })
        .collect();
    versions.reverse();
    let template = ContributionTemplate {
        id,
        contribution,
        can_edit: role.allows(Action::Edit),
        rate: x.content.hourly_rate_cents.map(|r| lang.money(r)).unwrap_or_default(),
        period: format!("{} – {}", lang.date(&x.content.starts), lang.date(&x.content.ends)),
        note: x.content.note.clone(),
        agreement: x.content.agreement,
        current,
        versions,
        page: &page,
    };
    Ok(render(&template))
}

// ---- pots ----

pub struct PotRow {
    pub id: i64,
    pub name: String,
    pub period: String,
    pub available: String,
    pub planned: String,
    pub spent: String,
    pub left: String,
    pub overspent: String,
    pub overplanned: String,
    pub collective: bool,
}

pub fn pot_row(lang: Lang, f: &PotFigures) -> PotRow {
    PotRow {
        id: f.pot.id,
        name: f.pot.content.name.clone(),
        period: format!("{} – {}", lang.date(&f.pot.content.starts), lang.date(&f.pot.content.ends)),
        available: lang.money(f.available),
        planned: lang.money(f.planned),
        spent: lang.money(f.spent),
        left: lang.money(f.available - f.spent),
        overspent: f.overspent().map(|c| lang.money(c)).unwrap_or_default(),
        overplanned: f.overplanned().map(|c| lang.money(c)).unwrap_or_default(),
        collective: f.pot.content.collective,
    }
}

/// One partner's line in the pot form's split: its name and the percentage typed.
pub struct SplitLine {
    pub partner: String,
    pub name: String,
    pub percent: String,
}

#[derive(Template)]
#[template(path = "finance_pot_form.html")]
struct PotFormTemplate<'a> {
    page: &'a Page,
    form: &'a Form,
    split: Vec<SplitLine>,
    split_error: String,
}

/// The pot form: the general fields, then a percentage per partner for the split.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PotForm {
    name: String,
    purpose: String,
    starts: String,
    ends: String,
    collective: String,
    overspend_allowed: String,
    split_partner: Vec<String>,
    split_percent: Vec<String>,
    agreement: String,
    breakthrough: String,
    mandate_people: Vec<String>,
    mandate_portfolios: Vec<String>,
    max_per_decision: String,
}

impl PotForm {
    fn input(&self) -> PotInput {
        PotInput {
            name: self.name.clone(),
            purpose: self.purpose.clone(),
            starts: self.starts.clone(),
            ends: self.ends.clone(),
            collective: !self.collective.is_empty(),
            overspend_allowed: !self.overspend_allowed.is_empty(),
            split: self.split_partner.iter().zip(&self.split_percent).map(|(p, v)| ShareInput { partner: p.clone(), percent: v.clone() }).collect(),
            agreement: self.agreement.clone(),
            breakthrough: !self.breakthrough.is_empty(),
            mandate_people: self.mandate_people.clone(),
            mandate_portfolios: self.mandate_portfolios.clone(),
            max_per_decision: self.max_per_decision.clone(),
        }
    }
}

async fn pot_form_page(
    state: &AppState,
    page: &Page,
    c: &Collaboration,
    action: String,
    input: &PotInput,
    version: Option<i64>,
    (invalid, message, status): (Option<&domain::Invalid>, &str, StatusCode),
) -> PageResult {
    let partners = state.db.partners(c.id).await?;
    let agreements = state.db.agreements(c.id).await?.into_iter().map(|a| (a.id.to_string(), a.content.title)).collect();
    let people = state.db.people(c.id).await?.into_iter().filter(|p| !p.left).map(|p| (p.id.0.to_string(), p.name)).collect();
    let portfolios = state.db.portfolios(c.id).await?.into_iter().map(|p| (p.id.0.to_string(), p.name)).collect();
    let mut form = Form::new(action, page.t("form.save"))
        .intro(page.t("finance.pot_intro"))
        .text("name", page.t("field.name"), &input.name, true)
        .textarea("purpose", page.t("field.purpose"), &input.purpose)
        .text("starts", page.t("field.starts"), &input.starts, true)
        .hint(page.t("form.date_hint"))
        .text("ends", page.t("field.ends"), &input.ends, true)
        .hint(page.t("form.date_hint"))
        .checkbox("collective", page.t("field.collective"), input.collective)
        .hint(page.t("finance.collective_hint"))
        .checkbox("overspend_allowed", page.t("field.overspend_allowed"), input.overspend_allowed)
        .hint(page.t("finance.overspend_hint"))
        .select("agreement", page.t("field.agreement"), with_empty("—", agreements), &input.agreement, false)
        .hint(page.t("finance.pot_agreement_hint"))
        .checkbox("breakthrough", page.t("field.breakthrough"), input.breakthrough)
        .hint(page.t("finance.breakthrough_hint"))
        .checkboxes("mandate_people", page.t("field.mandate_people"), people, &input.mandate_people)
        .hint(page.t("finance.mandate_hint"))
        .checkboxes("mandate_portfolios", page.t("field.mandate_portfolios"), portfolios, &input.mandate_portfolios)
        .text("max_per_decision", page.t("field.max_per_decision"), &input.max_per_decision, false)
        .hint(page.t("finance.max_hint"))
        .cancel(base(c.id.0));
    if let Some(v) = version {
        form = form.hidden("version", v);
    }
    if let Some(invalid) = invalid {
        form = form.errors(page, Some(invalid));
    }
    if !message.is_empty() {
        form = form.message(message);
    }
    let split_error = invalid.and_then(|i| i.error_for("split")).map(|e| page.lang.error(e)).unwrap_or_default();
    let split = partners
        .iter()
        .map(|p| SplitLine {
            partner: p.id.0.to_string(),
            name: p.name.clone(),
            percent: input.split.iter().find(|s| s.partner == p.id.0.to_string()).map(|s| s.percent.clone()).unwrap_or_default(),
        })
        .collect();
    let mut response = render(&PotFormTemplate { page, form: &form, split, split_error });
    *response.status_mut() = status;
    Ok(response)
}

async fn new_pot(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_pot").await?;
    pot_form_page(&state, &page, &c, format!("{}/potten", base(id)), &PotInput::default(), None, (None, "", StatusCode::OK)).await
}

async fn create_pot(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_pot").await?;
    let (form, control): (PotForm, _) = body.parse_kept()?;
    let input = form.input();
    let action = format!("{}/potten", base(id));
    let result = if control.errors.is_empty() {
        crate::finance::create_pot(&state, &actor(&visitor, origin), c.id, &input).await
    } else {
        Err(AppError::Invalid(control))
    };
    match result {
        Ok(p) => Ok(see_other(&format!("{}/potten/{}", base(id), p.id))),
        Err(AppError::Invalid(invalid)) => pot_form_page(&state, &page, &c, action, &input, None, (Some(&invalid), "", StatusCode::BAD_REQUEST)).await,
        Err(other) => Err(other.into()),
    }
}

async fn edit_pot(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, pot)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.edit_pot").await?;
    let p = state.db.pot(c.id, pot).await?;
    pot_form_page(&state, &page, &c, format!("{}/potten/{pot}/bewerken", base(id)), &p.content.input(), Some(p.version), (None, "", StatusCode::OK)).await
}

async fn update_pot(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, pot)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.edit_pot").await?;
    state.db.pot(c.id, pot).await?;
    let ((form, control), version): ((PotForm, _), i64) = (body.parse_kept()?, body.version()?);
    let input = form.input();
    let action = format!("{}/potten/{pot}/bewerken", base(id));
    let result = if control.errors.is_empty() {
        crate::finance::update_pot(&state, &actor(&visitor, origin), c.id, pot, version, &input).await
    } else {
        Err(AppError::Invalid(control))
    };
    match result {
        Ok(_) => Ok(see_other(&format!("{}/potten/{pot}", base(id)))),
        Err(AppError::Invalid(invalid)) => pot_form_page(&state, &page, &c, action, &input, Some(version), (Some(&invalid), "", StatusCode::BAD_REQUEST)).await,
        Err(AppError::Conflict(_)) => {
            pot_form_page(&state, &page, &c, action, &input, Some(version), (None, page.t("error.stale"), StatusCode::CONFLICT)).await
        }
        Err(other) => Err(other.into()),
    }
}

pub struct PlanRow {
    pub activity: i64,
    pub title: String,
    pub year: String,
    pub planned: String,
}

pub struct SpendRow {
    pub activity: i64,
    pub title: String,
    pub date: String,
    pub amount: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "finance_pot.html")]
struct PotTemplate<'a> {
    page: &'a Page,
    id: i64,
    pot: i64,
    can_edit: bool,
    row: PotRow,
    purpose: String,
    expected: String,
    overspend_allowed: bool,
    shares: Vec<(String, String, String)>,
    years: Vec<(String, String, String, String)>,
    contributions: Vec<ContributionRow>,
    plans: Vec<PlanRow>,
    spendings: Vec<SpendRow>,
    breakthrough: Option<super::breakthrough::BreakthroughView>,
}

async fn show_pot(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, pot)): Path<(i64, i64)>) -> PageResult {
    let (c, role, mut page) = frame(&state, lang, &visitor, id, Action::Read, "finance.pot").await?;
    let (f, plans, spendings) = crate::finance::pot(&state, c.id, pot).await?;
    let o = crate::finance::overview(&state, c.id).await?;
    let activities = state.db.activities(c.id).await?;
    let title = |a: i64| activities.iter().find(|x| x.id == a).map(|x| x.content.title.clone()).unwrap_or_default();
    page.title = f.pot.content.name.clone();
    let breakthrough = crate::finance::breakthrough(&state, &c, &f.pot).await?.map(|b| super::breakthrough::view(lang, &b, role.allows(Action::Edit)));
    let template = PotTemplate {
        breakthrough,
        id,
        pot,
        can_edit: role.allows(Action::Edit),
        row: pot_row(lang, &f),
        purpose: f.pot.content.purpose.clone(),
        expected: lang.money(f.expected),
        overspend_allowed: f.pot.content.overspend_allowed,
        shares: f
            .shares
            .iter()
            .map(|(p, bp, cents)| (o.partner_name(*p), percent_text(*bp, if lang == Lang::Nl { ',' } else { '.' }), lang.money(*cents)))
            .collect(),
        years: f.per_year.iter().map(|(y, a, p, s)| (y.clone(), lang.money(*a), lang.money(*p), lang.money(*s))).collect(),
        contributions: f.contributions.iter().map(|x| contribution_row(lang, &o, x.id, &x.content)).collect(),
        plans: plans
            .iter()
            .map(|p| PlanRow {
                activity: p.content.activity,
                title: title(p.content.activity),
                year: p.content.year.clone(),
                planned: lang.money(p.content.planned_cents),
            })
            .collect(),
        spendings: spendings
            .iter()
            .map(|s| SpendRow {
                activity: s.content.activity,
                title: title(s.content.activity),
                date: lang.date(&s.content.date),
                amount: lang.money(s.content.amount_cents),
                description: s.content.description.clone(),
            })
            .collect(),
        page: &page,
    };
    Ok(render(&template))
}

async fn activity_choices(state: &AppState, page: &Page, c: &Collaboration) -> Result<Vec<(String, String)>, AppError> {
    let activities = state.db.activities(c.id).await?;
    Ok(with_empty(page.t("form.choose"), activities.iter().map(|a| (a.id.to_string(), a.content.title.clone())).collect()))
}

async fn plan_form(state: &AppState, page: &Page, c: &Collaboration, pot: i64, input: &PlanInput) -> Result<Form, AppError> {
    Ok(Form::new(format!("{}/potten/{pot}/plannen", base(c.id.0)), page.t("form.save"))
        .intro(page.t("finance.plan_intro"))
        .select("activity", page.t("field.activity"), activity_choices(state, page, c).await?, &input.activity, true)
        .text("year", page.t("field.finance_year"), &input.year, true)
        .hint(page.t("finance.year_hint"))
        .text("planned", page.t("field.planned"), &input.planned, true)
        .hint(page.t("finance.amount_hint_plain"))
        .cancel(format!("{}/potten/{pot}", base(c.id.0))))
}

async fn new_plan(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, pot)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_plan").await?;
    state.db.pot(c.id, pot).await?;
    Ok(form_page(&page, &plan_form(&state, &page, &c, pot, &PlanInput::default()).await?, StatusCode::OK))
}

async fn create_plan(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, pot)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_plan").await?;
    state.db.pot(c.id, pot).await?;
    let (input, control): (PlanInput, _) = body.parse_kept()?;
    let view = plan_form(&state, &page, &c, pot, &input).await?;
    if !control.errors.is_empty() {
        return refused(&page, view, AppError::Invalid(control));
    }
    match crate::finance::create_plan(&state, &actor(&visitor, origin), c.id, pot, &input).await {
        Ok(_) => Ok(see_other(&format!("{}/potten/{pot}#plannen", base(id)))),
        Err(err) => refused(&page, view, err),
    }
}

async fn spending_form(state: &AppState, page: &Page, c: &Collaboration, pot: i64, input: &SpendingInput) -> Result<Form, AppError> {
    Ok(Form::new(format!("{}/potten/{pot}/uitgaven", base(c.id.0)), page.t("form.save"))
        .intro(page.t("finance.spending_intro"))
        .select("activity", page.t("field.activity"), activity_choices(state, page, c).await?, &input.activity, true)
        .text("date", page.t("field.date"), &input.date, true)
        .hint(page.t("form.date_hint"))
        .text("amount", page.t("field.amount"), &input.amount, true)
        .hint(page.t("finance.amount_hint_plain"))
        .text("description", page.t("field.description"), &input.description, true)
        .cancel(format!("{}/potten/{pot}", base(c.id.0))))
}

async fn new_spending(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, pot)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_spending").await?;
    state.db.pot(c.id, pot).await?;
    Ok(form_page(&page, &spending_form(&state, &page, &c, pot, &SpendingInput::default()).await?, StatusCode::OK))
}

async fn create_spending(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, pot)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_spending").await?;
    state.db.pot(c.id, pot).await?;
    let (input, control): (SpendingInput, _) = body.parse_kept()?;
    let view = spending_form(&state, &page, &c, pot, &input).await?;
    if !control.errors.is_empty() {
        return refused(&page, view, AppError::Invalid(control));
    }
    match crate::finance::add_spending(&state, &actor(&visitor, origin), c.id, pot, &input).await {
        Ok(_) => Ok(see_other(&format!("{}/potten/{pot}#uitgaven", base(id)))),
        Err(err) => refused(&page, view, err),
    }
}
