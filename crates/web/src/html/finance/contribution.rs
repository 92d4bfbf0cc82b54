//! A contribution: the form to record and revise one, and its page with all its versions.

use super::overview::{ContributionRow, contribution_row};
use super::{base, frame, refused};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Form, Page, PageResult, choices, form_page, render, see_other, with_empty};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::{Action, Role};
use domain::collaboration::Collaboration;
use domain::finance::{Commitment, ContributionContent, ContributionInput, Source};

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

pub(super) async fn new_contribution(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_contribution").await?;
    let form = contribution_form(&state, &page, &c, role, format!("{}/bijdragen", base(id)), &ContributionInput::default()).await?;
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn create_contribution(
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

pub(super) async fn edit_contribution(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, contribution)): Path<(i64, i64)>) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.edit_contribution").await?;
    let x = state.db.contribution(c.id, contribution).await?;
    let form = contribution_form(&state, &page, &c, role, format!("{}/bijdragen/{contribution}/bewerken", base(id)), &x.content.input())
        .await?
        .hidden("version", x.version);
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn update_contribution(
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

pub(super) async fn show_contribution(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, contribution)): Path<(i64, i64)>) -> PageResult {
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
