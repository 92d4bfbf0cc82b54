//! The forms of the programme: ambitions, their goals and the goals' activities, created and
//! changed with a version check.

use super::{base, frame, invalid, refused};
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
use domain::programme::{ActivityContent, ActivityInput, AmbitionContent, AmbitionInput, GoalContent, GoalInput};

// ---- ambitions ----

fn ambition_form(page: &Page, action: String, input: &AmbitionInput, cancel: String) -> Form {
    Form::new(action, page.t("form.save"))
        .intro(page.t("programme.ambition_intro"))
        .text("title", page.t("field.title"), &input.title, true)
        .textarea("description", page.t("field.description"), &input.description)
        .cancel(cancel)
}

pub(super) async fn new_ambition(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (_, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.new_ambition").await?;
    Ok(form_page(&page, &ambition_form(&page, format!("{}/ambities", base(id)), &AmbitionInput::default(), base(id)), StatusCode::OK))
}

pub(super) async fn create_ambition(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.new_ambition").await?;
    let (input, control): (AmbitionInput, _) = body.parse_kept()?;
    let view = ambition_form(&page, format!("{}/ambities", base(id)), &input, base(id));
    match control.before(AmbitionContent::parse(&input)) {
        Err(e) => invalid(&page, view, &e),
        Ok(content) => match state.db.create_ambition(&actor(&visitor, origin), c.id, &content).await {
            Ok(a) => Ok(see_other(&format!("{}#ambitie-{}", base(id), a.id))),
            Err(err) => refused(&page, view, err),
        },
    }
}

pub(super) async fn edit_ambition(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, ambition)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.edit_ambition").await?;
    let a = state.db.ambition(c.id, ambition).await?;
    let input = AmbitionInput { title: a.content.title, description: a.content.description };
    let form = ambition_form(&page, format!("{}/ambities/{ambition}/bewerken", base(id)), &input, base(id)).hidden("version", a.version);
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn update_ambition(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, ambition)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.edit_ambition").await?;
    state.db.ambition(c.id, ambition).await?;
    let ((input, control), version): ((AmbitionInput, _), i64) = (body.parse_kept()?, body.version()?);
    let view = ambition_form(&page, format!("{}/ambities/{ambition}/bewerken", base(id)), &input, base(id)).hidden("version", version);
    match control.before(AmbitionContent::parse(&input)) {
        Err(e) => invalid(&page, view, &e),
        Ok(content) => match state.db.update_ambition(&actor(&visitor, origin), c.id, ambition, version, &content).await {
            Ok(_) => Ok(see_other(&format!("{}#ambitie-{ambition}", base(id)))),
            Err(err) => refused(&page, view, err),
        },
    }
}

// ---- goals ----

fn goal_form(page: &Page, action: String, input: &GoalInput, ambition: &str, cancel: String) -> Form {
    Form::new(action, page.t("form.save"))
        .intro(&format!("{} {ambition}", page.t("programme.goal_intro")))
        .text("title", page.t("field.title"), &input.title, true)
        .textarea("measure", page.t("field.goal_measure"), &input.measure)
        .hint(page.t("programme.measure_hint"))
        .date(page, "target_date", page.t("field.target_date"), &input.target_date, false)
        .cancel(cancel)
}

pub(super) async fn new_goal(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, ambition)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.new_goal").await?;
    let a = state.db.ambition(c.id, ambition).await?;
    let form = goal_form(&page, format!("{}/ambities/{ambition}/doelen", base(id)), &GoalInput::default(), &a.content.title, base(id));
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn create_goal(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, ambition)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.new_goal").await?;
    let a = state.db.ambition(c.id, ambition).await?;
    let (input, control): (GoalInput, _) = body.parse_kept()?;
    let view = goal_form(&page, format!("{}/ambities/{ambition}/doelen", base(id)), &input, &a.content.title, base(id));
    match control.before(GoalContent::parse(&input)) {
        Err(e) => invalid(&page, view, &e),
        Ok(content) => match state.db.create_goal(&actor(&visitor, origin), c.id, ambition, &content).await {
            Ok(g) => Ok(see_other(&format!("{}#doel-{}", base(id), g.id))),
            Err(err) => refused(&page, view, err),
        },
    }
}

pub(super) async fn edit_goal(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, goal)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.edit_goal").await?;
    let g = state.db.goal(c.id, goal).await?;
    let a = state.db.ambition(c.id, g.ambition_id).await?;
    let input = GoalInput { title: g.content.title, measure: g.content.measure, target_date: g.content.target_date };
    let form = goal_form(&page, format!("{}/doelen/{goal}/bewerken", base(id)), &input, &a.content.title, base(id)).hidden("version", g.version);
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn update_goal(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, goal)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.edit_goal").await?;
    let g = state.db.goal(c.id, goal).await?;
    let a = state.db.ambition(c.id, g.ambition_id).await?;
    let ((input, control), version): ((GoalInput, _), i64) = (body.parse_kept()?, body.version()?);
    let view = goal_form(&page, format!("{}/doelen/{goal}/bewerken", base(id)), &input, &a.content.title, base(id)).hidden("version", version);
    match control.before(GoalContent::parse(&input)) {
        Err(e) => invalid(&page, view, &e),
        Ok(content) => match state.db.update_goal(&actor(&visitor, origin), c.id, goal, version, &content).await {
            Ok(_) => Ok(see_other(&format!("{}#doel-{goal}", base(id)))),
            Err(err) => refused(&page, view, err),
        },
    }
}

// ---- activities ----

/// The activity form: the six parts of a programme line. The status is changed on the
/// activity's own page, with a progress note.
async fn activity_form(
    state: &AppState,
    page: &Page,
    c: &Collaboration,
    action: String,
    input: &ActivityInput,
    goal: &str,
    cancel: String,
) -> Result<Form, AppError> {
    let (partners, people, agreements) = (state.db.partners(c.id).await?, state.db.people(c.id).await?, state.db.agreements(c.id).await?);
    let chosen = |id: &str| people.iter().any(|p| p.id.0.to_string() == id);
    let people_choices = with_empty(
        page.t("programme.nobody"),
        people.iter().filter(|p| !p.left || chosen(&input.trekker) || chosen(&input.owner)).map(|p| (p.id.0.to_string(), p.name.clone())).collect(),
    );
    Ok(Form::new(action, page.t("form.save"))
        .intro(&format!("{} {goal}", page.t("programme.activity_intro")))
        .text("title", page.t("field.title"), &input.title, true)
        .date(page, "starts", page.t("field.starts"), &input.starts, true)
        .date(page, "ends", page.t("field.ends"), &input.ends, true)
        .textarea("steps_taken", page.t("field.steps_taken"), &input.steps_taken.join("\n"))
        .hint(page.t("programme.steps_hint"))
        .textarea("steps_planned", page.t("field.steps_planned"), &input.steps_planned.join("\n"))
        .hint(page.t("programme.steps_hint"))
        .checkboxes("partners", page.t("field.carried_by"), partners.iter().map(|p| (p.id.0.to_string(), p.name.clone())).collect(), &input.partners)
        .textarea("results", page.t("field.intended_results"), &input.results)
        .select("trekker", page.t("field.trekker"), people_choices.clone(), &input.trekker, false)
        .select("owner", page.t("field.eindverantwoordelijke"), people_choices, &input.owner, false)
        .textarea("steering", page.t("field.steering"), &input.steering)
        .textarea("monitoring", page.t("field.monitoring"), &input.monitoring)
        .textarea("accountability", page.t("field.accountability"), &input.accountability)
        .textarea("cooperation", page.t("field.cooperation"), &input.cooperation)
        .textarea("communication", page.t("field.communication"), &input.communication)
        .textarea("finances", page.t("field.finances"), &input.finances)
        .select(
            "agreement",
            page.t("field.based_on_agreement"),
            with_empty(page.t("programme.no_agreement"), agreements.iter().map(|a| (a.id.to_string(), a.content.title.clone())).collect()),
            &input.agreement,
            false,
        )
        .cancel(cancel))
}

fn input_of(a: &ActivityContent) -> ActivityInput {
    let id = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    ActivityInput {
        title: a.title.clone(),
        starts: a.starts.clone(),
        ends: a.ends.clone(),
        status: a.status.code().into(),
        steps_taken: a.steps_taken.clone(),
        steps_planned: a.steps_planned.clone(),
        partners: a.partners.iter().map(|p| p.to_string()).collect(),
        results: a.results.clone(),
        trekker: id(a.trekker),
        owner: id(a.owner),
        steering: a.steering.clone(),
        monitoring: a.monitoring.clone(),
        accountability: a.accountability.clone(),
        cooperation: a.cooperation.clone(),
        communication: a.communication.clone(),
        finances: a.finances.clone(),
        agreement: id(a.agreement),
    }
}

pub(super) async fn new_activity(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, goal)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.new_activity").await?;
    let g = state.db.goal(c.id, goal).await?;
    let form =
        activity_form(&state, &page, &c, format!("{}/doelen/{goal}/activiteiten", base(id)), &ActivityInput::default(), &g.content.title, base(id)).await?;
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn create_activity(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, goal)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.new_activity").await?;
    let g = state.db.goal(c.id, goal).await?;
    let input = ActivityInput { status: String::new(), ..body.parse()? };
    let view = activity_form(&state, &page, &c, format!("{}/doelen/{goal}/activiteiten", base(id)), &input, &g.content.title, base(id)).await?;
    match ActivityContent::parse(&input) {
        Err(e) => invalid(&page, view, &e),
        Ok(content) => match state.db.create_activity(&actor(&visitor, origin), c.id, goal, &content).await {
            Ok(a) => Ok(see_other(&format!("{}/activiteiten/{}", base(id), a.id))),
            Err(err) => refused(&page, view, err),
        },
    }
}

pub(super) async fn edit_activity(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, activity)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.edit_activity").await?;
    let a = state.db.activity(c.id, activity).await?;
    let g = state.db.goal(c.id, a.goal_id).await?;
    let back = format!("{}/activiteiten/{activity}", base(id));
    let form =
        activity_form(&state, &page, &c, format!("{back}/bewerken"), &input_of(&a.content), &g.content.title, back.clone()).await?.hidden("version", a.version);
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn update_activity(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, activity)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.edit_activity").await?;
    let current = state.db.activity(c.id, activity).await?;
    let g = state.db.goal(c.id, current.goal_id).await?;
    let ((input, control), version): ((ActivityInput, _), i64) = (body.parse_kept()?, body.version()?);
    // The status is not on this form: it stays as it was at `version`.
    let input = ActivityInput { status: current.content.status.code().into(), ..input };
    let back = format!("{}/activiteiten/{activity}", base(id));
    let view = activity_form(&state, &page, &c, format!("{back}/bewerken"), &input, &g.content.title, back.clone()).await?.hidden("version", version);
    match control.before(ActivityContent::parse(&input)) {
        Err(e) => invalid(&page, view, &e),
        Ok(content) => match state.db.update_activity(&actor(&visitor, origin), c.id, activity, version, &content).await {
            Ok(_) => Ok(see_other(&back)),
            Err(err) => refused(&page, view, err),
        },
    }
}
