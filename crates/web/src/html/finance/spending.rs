//! What a pot pays for: the plans per activity and the spending against them.

use super::{base, frame, refused};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Form, Page, PageResult, form_page, see_other, with_empty};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::collaboration::Collaboration;
use domain::finance::{PlanInput, SpendingInput};

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

pub(super) async fn new_plan(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, pot)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_plan").await?;
    state.db.pot(c.id, pot).await?;
    Ok(form_page(&page, &plan_form(&state, &page, &c, pot, &PlanInput::default()).await?, StatusCode::OK))
}

pub(super) async fn create_plan(
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

pub(super) async fn new_spending(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, pot)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "finance.new_spending").await?;
    state.db.pot(c.id, pot).await?;
    Ok(form_page(&page, &spending_form(&state, &page, &c, pot, &SpendingInput::default()).await?, StatusCode::OK))
}

pub(super) async fn create_spending(
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
