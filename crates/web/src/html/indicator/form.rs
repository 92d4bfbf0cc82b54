//! The indicator form: adopt one from the library or define your own, and change it with a
//! version check; publication rules are a beheerder's.

use super::base;
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Form, Page, PageResult, choices, collaboration_access, form_page, see_other, with_empty};
use crate::i18n::Lang;
use crate::indicator::checked;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::access::{Action, Role};
use domain::agreement::AgreementKind;
use domain::collaboration::Collaboration;
use domain::indicator::{Direction, IndicatorContent, IndicatorInput, IndicatorStatus, PeriodType, Perspective, library};
use domain::measure::IndicatorKind;
use store::indicator::Indicator;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct NewQuery {
    bibliotheek: String,
}

/// The indicator form. Publication rules are a beheerder's: others see them, not as fields.
async fn indicator_view(state: &AppState, page: &Page, c: &Collaboration, role: Role, action: String, input: &IndicatorInput) -> Result<Form, AppError> {
    let partners = state.db.partners(c.id).await?;
    let agreements = state.db.agreements(c.id).await?;
    let partner_choices: Vec<(String, String)> = partners.iter().map(|p| (p.id.0.to_string(), p.name.clone())).collect();
    let all_agreements = agreements.iter().map(|a| (a.id.to_string(), a.content.title.clone())).collect();
    let goals = state.db.goals(c.id).await?.into_iter().map(|g| (g.id.to_string(), g.content.title)).collect();
    let sharing = agreements.iter().filter(|a| a.content.kind == AgreementKind::Gegevensdeling).map(|a| (a.id.to_string(), a.content.title.clone())).collect();
    let or = |value: &str, default: &str| if value.is_empty() { default.to_string() } else { value.to_string() };
    let shares_choices: Vec<(String, String)> = std::iter::once(("geen".to_string(), page.t("indicators.shares_none").to_string()))
        .chain(
            state
                .db
                .indicators(c.id)
                .await?
                .into_iter()
                .filter(|i| i.content.code != input.code)
                .map(|i| (i.id.to_string(), format!("{} {}", i.content.code, i.content.name))),
        )
        .collect();
    let floors = state.floors();
    let (round_to, secret_below, min_denominator) = (
        or(&input.round_to, &floors.round_to.to_string()),
        or(&input.secret_below, &floors.secret_below.to_string()),
        or(&input.min_denominator, &floors.min_denominator.to_string()),
    );
    let intro = if role.allows(Action::Manage) {
        page.t("indicators.form_intro").to_string()
    } else {
        format!(
            "{} {} {round_to}, {} {secret_below}, {} {min_denominator}. {}",
            page.t("indicators.form_intro"),
            page.t("indicators.rules_now"),
            page.t("indicators.rule_secret_short"),
            page.t("indicators.rule_denominator_short"),
            page.t("indicators.rules_beheerder_only")
        )
    };
    let form = Form::new(action, page.t("form.save"))
        .intro(&intro)
        .text("code", page.t("field.indicator_code"), &input.code, true)
        .text("name", page.t("field.name"), &input.name, true)
        .textarea("definition", page.t("field.indicator_definition"), &input.definition)
        .text("unit", page.t("field.unit"), &input.unit, false)
        .select("kind", page.t("field.kind"), choices(page, "indicatorkind", IndicatorKind::ALL, IndicatorKind::code), &input.kind, true)
        .text("factor", page.t("field.factor"), &or(&input.factor, "1"), false)
        .hint(page.t("indicators.factor_hint"))
        .select("direction", page.t("field.direction"), choices(page, "direction", Direction::ALL, Direction::code), &input.direction, true)
        .select(
            "perspective",
            page.t("field.indicator_perspective"),
            choices(page, "perspective", Perspective::ALL, Perspective::code),
            &input.perspective,
            true,
        )
        .select("period_type", page.t("field.period_type"), choices(page, "periodtype", PeriodType::ALL, PeriodType::code), &input.period_type, true)
        .text("source", page.t("field.source"), &input.source, false)
        .select("partner", page.t("field.delivering_partner"), with_empty(page.t("form.choose"), partner_choices.clone()), &input.partner, false)
        .text("baseline", page.t("field.baseline"), &input.baseline, false)
        .textarea("targets", page.t("field.targets"), &input.targets)
        .hint(page.t("indicators.targets_hint"))
        .select("agreement", page.t("field.owning_agreement"), with_empty(page.t("indicators.no_agreement"), all_agreements), &input.agreement, false)
        .select("sharing", page.t("field.sharing"), with_empty(page.t("indicators.no_sharing"), sharing), &input.sharing, false)
        .hint(page.t("indicators.sharing_hint"))
        .select("goal", page.t("indicators.goal"), with_empty(page.t("indicators.no_goal"), goals), &input.goal, false)
        .hint(page.t("indicators.goal_hint"))
        .checkboxes("agreed_by", page.t("field.agreed_by"), partner_choices, &input.agreed_by)
        .text("agreed_on", page.t("field.agreed_on"), &input.agreed_on, false)
        .hint(page.t("form.date_hint"));
    let form = if role.allows(Action::Manage) {
        form.text("round_to", page.t("field.round_to"), &round_to, false)
            .text("secret_below", page.t("field.secret_below"), &secret_below, false)
            .text("min_denominator", page.t("field.min_denominator"), &min_denominator, false)
            .hint(
                &page
                    .t("indicators.rules_hint")
                    .replace("{round_to}", &floors.round_to.to_string())
                    .replace("{secret_below}", &floors.secret_below.to_string())
                    .replace("{min_denominator}", &floors.min_denominator.to_string()),
            )
            .select("shares_with", page.t("field.shares_with"), shares_choices, &or(&input.shares_with, "geen"), false)
            .select(
                "shares_part",
                page.t("field.shares_part"),
                vec![
                    ("teller".to_string(), page.t("indicators.shares_teller").to_string()),
                    ("noemer".to_string(), page.t("indicators.shares_noemer").to_string()),
                ],
                &or(&input.shares_part, "teller"),
                false,
            )
            .hint(page.t("indicators.shares_hint"))
    } else {
        form
    };
    Ok(form.select(
        "status",
        page.t("field.status"),
        choices(page, "indicatorstatus", IndicatorStatus::ALL, IndicatorStatus::code),
        &or(&input.status, "concept"),
        true,
    ))
}

fn input_of(c: &IndicatorContent) -> IndicatorInput {
    let id = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    IndicatorInput {
        code: c.code.clone(),
        name: c.name.clone(),
        definition: c.definition.clone(),
        unit: c.unit.clone(),
        kind: c.kind.code().into(),
        factor: c.factor.to_string(),
        direction: c.direction.code().into(),
        perspective: c.perspective.code().into(),
        period_type: c.period_type.code().into(),
        source: c.source.clone(),
        partner: id(c.partner),
        baseline: c.baseline.map(|b| b.to_string()).unwrap_or_default(),
        targets: c.targets.iter().map(|(p, v)| format!("{p}: {v}")).collect::<Vec<_>>().join("\n"),
        agreement: id(c.agreement),
        sharing: id(c.sharing),
        agreed_by: c.agreed_by.iter().map(|p| p.to_string()).collect(),
        agreed_on: c.agreed_on.clone(),
        round_to: c.rules.round_to.to_string(),
        secret_below: c.rules.secret_below.to_string(),
        min_denominator: c.rules.min_denominator.to_string(),
        status: c.status.code().into(),
        goal: id(c.goal),
        shares_with: c.shares.map_or_else(|| "geen".to_string(), |s| s.with.to_string()),
        shares_part: c.shares.map(|s| domain::indicator::SharedPartCode::from(s.part).code().to_string()).unwrap_or_default(),
    }
}

pub(super) async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>, Query(q): Query<NewQuery>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "indicators.new").user(&visitor.user).in_collab(&c, role, "indicators");
    let input = library().iter().find(|e| e.key == q.bibliotheek).map(|e| e.input(lang == Lang::En)).unwrap_or_default();
    let form = indicator_view(&state, &page, &c, role, base(id), &input).await?.cancel(base(id));
    Ok(form_page(&page, &form, StatusCode::OK))
}

fn saved_or_refused(page: &Page, view: Form, result: Result<Indicator, AppError>, id: i64) -> PageResult {
    match result {
        Ok(i) => Ok(see_other(&format!("{}/{}", base(id), i.id))),
        Err(AppError::Invalid(invalid)) => Ok(form_page(page, &view.errors(page, Some(&invalid)), StatusCode::BAD_REQUEST)),
        Err(AppError::ForbiddenBecause(key)) => Ok(form_page(page, &view.message(page.t(key)), StatusCode::FORBIDDEN)),
        Err(AppError::Conflict("version")) => Ok(form_page(page, &view.message(page.t("error.stale")), StatusCode::CONFLICT)),
        Err(AppError::Conflict(_)) => Ok(form_page(page, &view.errors(page, Some(&domain::Invalid::single("code", "err.code_taken"))), StatusCode::CONFLICT)),
        Err(other) => Err(other.into()),
    }
}

pub(super) async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "indicators.new").user(&visitor.user).in_collab(&c, role, "indicators");
    let input: IndicatorInput = body.parse()?;
    let view = indicator_view(&state, &page, &c, role, base(id), &input).await?.cancel(base(id));
    let result = match checked(&state, &c, role, &input, None).await {
        Ok(content) => state.db.create_indicator(&actor(&visitor, origin), c.id, &content).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    crate::publication::settle(&state, c.id).await;
    saved_or_refused(&page, view, result, id)
}

pub(super) async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, indicator)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let i = state.indicator(c.id, indicator).await?;
    let page = Page::new(lang, "indicators.edit").user(&visitor.user).in_collab(&c, role, "indicators");
    let form = indicator_view(&state, &page, &c, role, format!("{}/{indicator}/bewerken", base(id)), &input_of(&i.content))
        .await?
        .hidden("version", i.version)
        .cancel(format!("{}/{indicator}", base(id)));
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, indicator)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "indicators.edit").user(&visitor.user).in_collab(&c, role, "indicators");
    let (input, version): (IndicatorInput, i64) = (body.parse()?, body.version()?);
    let view = indicator_view(&state, &page, &c, role, format!("{}/{indicator}/bewerken", base(id)), &input).await?.hidden("version", version);
    let previous = state.indicator(c.id, indicator).await?;
    let result = match checked(&state, &c, role, &input, Some(&previous)).await {
        Ok(content) => state.db.update_indicator(&actor(&visitor, origin), c.id, indicator, version, &content).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    // The figures the next page shows are worked out with the indicator's new rules.
    crate::publication::settle(&state, c.id).await;
    saved_or_refused(&page, view, result, id)
}
