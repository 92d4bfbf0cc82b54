//! The execution programme: ambitions with their goals and activities on one page, forms for
//! each, an activity's page with its status, progress notes and agreements, and a timeline
//! (our own SVG with the same facts as a table). Activities past their end date that are not
//! finished or stopped are flagged "over tijd", computed from today's date.

use super::{Form, Page, PageResult, collaboration_access, form_page, render, see_other, with_empty};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::{Action, Role};
use domain::collaboration::Collaboration;
use domain::programme::{
    ActivityContent, ActivityInput, ActivityStatus, AmbitionContent, AmbitionInput, GoalContent, GoalInput, NoteInput, StatusChange, StatusInput, parse_note,
    timeline,
};
use store::StoreError;
use store::programme::{Activity, Goal};

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/programma", overview)
        .get("/samenwerkingen/{id}/programma/tijdlijn", timeline_page)
        .get("/samenwerkingen/{id}/programma/ambities/nieuw", new_ambition)
        .post("/samenwerkingen/{id}/programma/ambities", create_ambition)
        .get("/samenwerkingen/{id}/programma/ambities/{ambition}/bewerken", edit_ambition)
        .post("/samenwerkingen/{id}/programma/ambities/{ambition}/bewerken", update_ambition)
        .get("/samenwerkingen/{id}/programma/ambities/{ambition}/doelen/nieuw", new_goal)
        .post("/samenwerkingen/{id}/programma/ambities/{ambition}/doelen", create_goal)
        .get("/samenwerkingen/{id}/programma/doelen/{goal}/bewerken", edit_goal)
        .post("/samenwerkingen/{id}/programma/doelen/{goal}/bewerken", update_goal)
        .get("/samenwerkingen/{id}/programma/doelen/{goal}/activiteiten/nieuw", new_activity)
        .post("/samenwerkingen/{id}/programma/doelen/{goal}/activiteiten", create_activity)
        .get("/samenwerkingen/{id}/programma/activiteiten/{activity}", show)
        .get("/samenwerkingen/{id}/programma/activiteiten/{activity}/bewerken", edit_activity)
        .post("/samenwerkingen/{id}/programma/activiteiten/{activity}/bewerken", update_activity)
        .post("/samenwerkingen/{id}/programma/activiteiten/{activity}/status", change_status)
        .post("/samenwerkingen/{id}/programma/activiteiten/{activity}/voortgang", add_note)
}

fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/programma")
}

async fn frame(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, action: Action, title: &str) -> Result<(Collaboration, Role, Page), AppError> {
    let (c, role) = collaboration_access(state, &visitor.user, id, action).await?;
    let page = Page::new(lang, title).user(&visitor.user).in_collab(&c, role, "programme");
    Ok((c, role, page))
}

/// A refused post: the form again with its errors (400), a stale version (409), or a
/// reference outside the collaboration (400).
fn refused(page: &Page, view: Form, err: StoreError) -> PageResult {
    match err {
        StoreError::Conflict(_) => Ok(form_page(page, &view.message(page.t("error.stale")), StatusCode::CONFLICT)),
        StoreError::Reference(field) => {
            Ok(form_page(page, &view.errors(page, Some(&domain::Invalid::single(field, "err.not_in_collaboration"))), StatusCode::BAD_REQUEST))
        }
        other => Err(other.into()),
    }
}

fn invalid(page: &Page, view: Form, invalid: &domain::Invalid) -> PageResult {
    Ok(form_page(page, &view.errors(page, Some(invalid)), StatusCode::BAD_REQUEST))
}

/// A person's name, or a dash.
fn person_name(people: &[domain::person::Person], id: Option<i64>) -> String {
    id.and_then(|id| people.iter().find(|p| p.id.0 == id)).map(|p| p.name.clone()).unwrap_or_else(|| "—".into())
}

// ---- the programme ----

pub struct ActivityRow {
    pub id: i64,
    pub title: String,
    pub period: String,
    pub status: String,
    pub trekker: String,
    pub overdue: bool,
}

pub struct GoalView {
    pub id: i64,
    pub title: String,
    pub measure: String,
    pub target: String,
    pub activities: Vec<ActivityRow>,
    /// The goal's indicators from the three perspectives, as HTML (empty without indicators).
    pub perspectives: String,
}

pub struct AmbitionView {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub goals: Vec<GoalView>,
}

#[derive(Template)]
#[template(path = "programme.html")]
struct OverviewTemplate<'a> {
    page: &'a Page,
    id: i64,
    ambitions: Vec<AmbitionView>,
    overdue: Vec<(i64, String, String)>,
    can_edit: bool,
}

fn period(lang: Lang, a: &ActivityContent) -> String {
    format!("{} – {}", lang.date(&a.starts), lang.date(&a.ends))
}

async fn overview(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Read, "programme.title").await?;
    let (ambitions, goals, activities, people) =
        (state.db.ambitions(c.id).await?, state.db.goals(c.id).await?, state.db.activities(c.id).await?, state.db.people(c.id).await?);
    let today = crate::today();
    let row = |a: &Activity| ActivityRow {
        id: a.id,
        title: a.content.title.clone(),
        period: period(lang, &a.content),
        status: lang.label("activitystatus", a.content.status.code()),
        trekker: person_name(&people, a.content.trekker),
        overdue: a.content.overdue(&today),
    };
    let indicators = state.indicators(c.id).await?;
    let mut perspectives = std::collections::HashMap::new();
    for g in &goals {
        perspectives.insert(g.id, super::perspective::render_for_goal(&state, lang, c.id, g.id, &g.content.title, &indicators).await?);
    }
    let goal_view = |g: &Goal| GoalView {
        perspectives: perspectives.get(&g.id).cloned().unwrap_or_default(),
        id: g.id,
        title: g.content.title.clone(),
        measure: g.content.measure.clone(),
        target: if g.content.target_date.is_empty() { String::new() } else { lang.date(&g.content.target_date) },
        activities: activities.iter().filter(|a| a.goal_id == g.id).map(row).collect(),
    };
    let ambitions = ambitions
        .iter()
        .map(|a| AmbitionView {
            id: a.id,
            title: a.content.title.clone(),
            description: a.content.description.clone(),
            goals: goals.iter().filter(|g| g.ambition_id == a.id).map(goal_view).collect(),
        })
        .collect();
    let overdue = activities.iter().filter(|a| a.content.overdue(&today)).map(|a| (a.id, a.content.title.clone(), lang.date(&a.content.ends))).collect();
    Ok(render(&OverviewTemplate { page: &page, id, ambitions, overdue, can_edit: role.allows(Action::Edit) }))
}

// ---- the timeline ----

const LABEL_W: f64 = 230.0;
const CHART_W: f64 = 600.0;
const ROW_H: i32 = 28;
const TOP: i32 = 40;

pub struct TimelineRow {
    pub id: i64,
    pub title: String,
    /// The title as it fits beside the bar.
    pub label: String,
    pub goal: String,
    pub starts: String,
    pub ends: String,
    pub status: String,
    pub status_code: &'static str,
    pub overdue: bool,
    pub x: String,
    pub width: String,
    pub y: i32,
}

#[derive(Template)]
#[template(path = "programme_timeline.html")]
struct TimelineTemplate<'a> {
    page: &'a Page,
    id: i64,
    rows: Vec<TimelineRow>,
    ticks: Vec<(String, String, bool)>,
    today: String,
    today_label: String,
    /// Where the label of today's line is anchored, so it stays inside the chart.
    today_anchor: &'static str,
    width: i32,
    height: i32,
    description: String,
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

async fn timeline_page(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Read, "programme.timeline").await?;
    let (goals, activities) = (state.db.goals(c.id).await?, state.db.activities(c.id).await?);
    let today = crate::today();
    let spans: Vec<(i64, &str, &str)> = activities.iter().map(|a| (a.id, a.content.starts.as_str(), a.content.ends.as_str())).collect();
    let geometry = timeline(&spans, &today, LABEL_W, CHART_W).ok_or_else(|| AppError::Internal("no timeline for today's date".into()))?;
    let rows: Vec<TimelineRow> = activities
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let bar = geometry.bars.iter().find(|b| b.id == a.id);
            let label = if a.content.title.chars().count() > 32 {
                format!("{}…", a.content.title.chars().take(31).collect::<String>())
            } else {
                a.content.title.clone()
            };
            TimelineRow {
                id: a.id,
                title: a.content.title.clone(),
                label,
                goal: goals.iter().find(|g| g.id == a.goal_id).map(|g| g.content.title.clone()).unwrap_or_default(),
                starts: lang.date(&a.content.starts),
                ends: lang.date(&a.content.ends),
                status: lang.label("activitystatus", a.content.status.code()),
                status_code: a.content.status.code(),
                overdue: a.content.overdue(&today),
                x: px(bar.map(|b| b.x).unwrap_or(LABEL_W)),
                width: px(bar.map(|b| b.width).unwrap_or(0.0)),
                y: TOP + i as i32 * ROW_H,
            }
        })
        .collect();
    let ticks = geometry
        .ticks
        .iter()
        .map(|t| {
            let label = if t.year { t.date[..4].to_string() } else { format!("Q{}", (t.date[5..7].parse::<u32>().unwrap_or(1) - 1) / 3 + 1) };
            (px(t.x), label, t.year)
        })
        .collect();
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let description = format!(
        "{} {} {} {}. {}: {}.",
        page.t("programme.timeline_desc"),
        lang.date(&geometry.from),
        page.t("programme.until"),
        lang.date(&domain::date::add_days(&geometry.to, -1).unwrap_or_default()),
        page.t("programme.overdue_count"),
        overdue
    );
    Ok(render(&TimelineTemplate {
        page: &page,
        id,
        height: TOP + rows.len().max(1) as i32 * ROW_H + 10,
        rows,
        ticks,
        today: px(geometry.today),
        today_anchor: if geometry.today > LABEL_W + CHART_W - 80.0 {
            "end"
        } else if geometry.today < LABEL_W + 80.0 {
            "start"
        } else {
            "middle"
        },
        today_label: format!("{} {}", page.t("programme.today"), lang.date(&today)),
        width: (LABEL_W + CHART_W) as i32 + 20,
        description,
    }))
}

// ---- ambitions ----

fn ambition_form(page: &Page, action: String, input: &AmbitionInput, cancel: String) -> Form {
    Form::new(action, page.t("form.save"))
        .intro(page.t("programme.ambition_intro"))
        .text("title", page.t("field.title"), &input.title, true)
        .textarea("description", page.t("field.description"), &input.description)
        .cancel(cancel)
}

async fn new_ambition(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (_, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.new_ambition").await?;
    Ok(form_page(&page, &ambition_form(&page, format!("{}/ambities", base(id)), &AmbitionInput::default(), base(id)), StatusCode::OK))
}

async fn create_ambition(
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

async fn edit_ambition(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, ambition)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.edit_ambition").await?;
    let a = state.db.ambition(c.id, ambition).await?;
    let input = AmbitionInput { title: a.content.title, description: a.content.description };
    let form = ambition_form(&page, format!("{}/ambities/{ambition}/bewerken", base(id)), &input, base(id)).hidden("version", a.version);
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update_ambition(
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
        .text("target_date", page.t("field.target_date"), &input.target_date, false)
        .hint(page.t("form.date_hint"))
        .cancel(cancel)
}

async fn new_goal(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, ambition)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.new_goal").await?;
    let a = state.db.ambition(c.id, ambition).await?;
    let form = goal_form(&page, format!("{}/ambities/{ambition}/doelen", base(id)), &GoalInput::default(), &a.content.title, base(id));
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn create_goal(
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

async fn edit_goal(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, goal)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.edit_goal").await?;
    let g = state.db.goal(c.id, goal).await?;
    let a = state.db.ambition(c.id, g.ambition_id).await?;
    let input = GoalInput { title: g.content.title, measure: g.content.measure, target_date: g.content.target_date };
    let form = goal_form(&page, format!("{}/doelen/{goal}/bewerken", base(id)), &input, &a.content.title, base(id)).hidden("version", g.version);
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update_goal(
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
        .text("starts", page.t("field.starts"), &input.starts, true)
        .hint(page.t("form.date_hint"))
        .text("ends", page.t("field.ends"), &input.ends, true)
        .hint(page.t("form.date_hint"))
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

async fn new_activity(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, goal)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.new_activity").await?;
    let g = state.db.goal(c.id, goal).await?;
    let form =
        activity_form(&state, &page, &c, format!("{}/doelen/{goal}/activiteiten", base(id)), &ActivityInput::default(), &g.content.title, base(id)).await?;
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn create_activity(
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

async fn edit_activity(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, activity)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, "programme.edit_activity").await?;
    let a = state.db.activity(c.id, activity).await?;
    let g = state.db.goal(c.id, a.goal_id).await?;
    let back = format!("{}/activiteiten/{activity}", base(id));
    let form =
        activity_form(&state, &page, &c, format!("{back}/bewerken"), &input_of(&a.content), &g.content.title, back.clone()).await?.hidden("version", a.version);
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update_activity(
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

// ---- one activity ----

#[derive(Template)]
#[template(path = "programme_activity.html")]
struct ActivityTemplate<'a> {
    page: &'a Page,
    id: i64,
    activity: i64,
    version: i64,
    a: &'a ActivityContent,
    ambition: String,
    goal: String,
    period: String,
    status: String,
    overdue: bool,
    partners: Vec<String>,
    trekker: String,
    owner: String,
    agreement: Option<(i64, String)>,
    /// The six agreements, (label, text), the empty ones left out.
    arrangements: Vec<(String, String)>,
    notes: Vec<(String, String, String)>,
    statuses: Vec<(String, String)>,
    note_error: String,
    can_edit: bool,
}

async fn activity_page(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, activity: i64, note_error: &str, status: StatusCode) -> PageResult {
    let (c, role, mut page) = frame(state, lang, visitor, id, Action::Read, "programme.title").await?;
    let a = state.db.activity(c.id, activity).await?;
    let g = state.db.goal(c.id, a.goal_id).await?;
    let ambition = state.db.ambition(c.id, g.ambition_id).await?;
    let (partners, people, agreements) = (state.db.partners(c.id).await?, state.db.people(c.id).await?, state.db.agreements(c.id).await?);
    page.title = a.content.title.clone();
    let content = &a.content;
    let arrangements = [
        ("field.steering", &content.steering),
        ("field.monitoring", &content.monitoring),
        ("field.accountability", &content.accountability),
        ("field.cooperation", &content.cooperation),
        ("field.communication", &content.communication),
        ("field.finances", &content.finances),
    ]
    .into_iter()
    .filter(|(_, text)| !text.is_empty())
    .map(|(key, text)| (page.t(key).to_string(), text.clone()))
    .collect();
    let notes = state.db.progress_notes(c.id, Some(activity)).await?.into_iter().map(|n| (lang.date(&n.date), n.author, n.text)).collect();
    let statuses = ActivityStatus::ALL.iter().map(|s| (s.code().to_string(), lang.label("activitystatus", s.code()))).collect();
    let mut response = render(&ActivityTemplate {
        id,
        activity,
        version: a.version,
        a: content,
        ambition: ambition.content.title,
        goal: g.content.title,
        period: period(lang, content),
        status: lang.label("activitystatus", content.status.code()),
        overdue: content.overdue(&crate::today()),
        partners: content.partners.iter().filter_map(|p| partners.iter().find(|x| x.id.0 == *p)).map(|p| p.name.clone()).collect(),
        trekker: person_name(&people, content.trekker),
        owner: person_name(&people, content.owner),
        agreement: content.agreement.and_then(|x| agreements.iter().find(|ag| ag.id == x)).map(|ag| (ag.id, ag.content.title.clone())),
        arrangements,
        notes,
        statuses,
        note_error: note_error.to_string(),
        can_edit: role.allows(Action::Edit),
        page: &page,
    });
    *response.status_mut() = status;
    Ok(response)
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, activity)): Path<(i64, i64)>) -> PageResult {
    activity_page(&state, lang, &visitor, id, activity, "", StatusCode::OK).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct StatusForm {
    status: String,
    note: String,
}

async fn change_status(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, activity)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    state.db.activity(c.id, activity).await?;
    let form: StatusForm = body.parse()?;
    let change = StatusChange::parse(&StatusInput { status: form.status, note: form.note })?;
    let version = body.version()?;
    match state.db.change_activity_status(&actor(&visitor, origin), c.id, activity, version, &change, &crate::today()).await {
        Ok(_) => Ok(see_other(&format!("{}/activiteiten/{activity}#voortgang", base(id)))),
        Err(StoreError::Conflict(_)) => activity_page(&state, lang, &visitor, id, activity, lang.t("error.stale"), StatusCode::CONFLICT).await,
        Err(other) => Err(other.into()),
    }
}

async fn add_note(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, activity)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    state.db.activity(c.id, activity).await?;
    let text = match parse_note(&body.parse::<NoteInput>()?) {
        Ok(text) => text,
        Err(e) => {
            let message = e.for_field("text").map(|code| lang.t(code)).unwrap_or_default();
            return activity_page(&state, lang, &visitor, id, activity, message, StatusCode::BAD_REQUEST).await;
        }
    };
    state.db.add_progress_note(&actor(&visitor, origin), c.id, activity, &crate::today(), &text).await?;
    Ok(see_other(&format!("{}/activiteiten/{activity}#voortgang", base(id))))
}
