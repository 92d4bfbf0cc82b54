//! A pot: its page with the split, the plans and the spending, and the form with a percentage per
//! partner.

use super::overview::{ContributionRow, contribution_row};
use super::{base, frame};
use crate::AppState;
use crate::error::AppError;
use crate::finance::PotFigures;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Form, Page, PageResult, render, see_other, with_empty};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::collaboration::Collaboration;
use domain::finance::{PotInput, ShareInput, percent_text};

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
    /// Spending leaves out breakthrough decisions the reader may not see.
    pub decisions_left_out: bool,
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
        decisions_left_out: f.decisions_left_out,
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

pub(super) async fn new_pot(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_pot").await?;
    pot_form_page(&state, &page, &c, format!("{}/potten", base(id)), &PotInput::default(), None, (None, "", StatusCode::OK)).await
}

pub(super) async fn create_pot(
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

pub(super) async fn edit_pot(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, pot)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.edit_pot").await?;
    let p = state.db.pot(c.id, pot).await?;
    pot_form_page(&state, &page, &c, format!("{}/potten/{pot}/bewerken", base(id)), &p.content.input(), Some(p.version), (None, "", StatusCode::OK)).await
}

pub(super) async fn update_pot(
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
    breakthrough: Option<crate::html::breakthrough::BreakthroughView>,
}

pub(super) async fn show_pot(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, pot)): Path<(i64, i64)>) -> PageResult {
    let (c, role, mut page) = frame(&state, lang, &visitor, id, Action::Read, "finance.pot").await?;
    let reader = crate::finance::Reader::of(&state, &c, role).await?;
    let (f, plans, spendings) = crate::finance::pot(&state, c.id, pot, &reader).await?;
    let o = crate::finance::overview(&state, c.id).await?;
    let activities = state.db.activities(c.id).await?;
    let title = |a: i64| activities.iter().find(|x| x.id == a).map(|x| x.content.title.clone()).unwrap_or_default();
    page.title = f.pot.content.name.clone();
    let breakthrough =
        crate::finance::breakthrough(&state, &c, &f.pot, &reader).await?.map(|b| crate::html::breakthrough::view(lang, &b, role.allows(Action::Edit)));
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
