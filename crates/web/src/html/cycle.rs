//! Learning cycles (PDCA) per period: plan (the indicators' targets), do (the programme's
//! activities), check (figures, stories, findings and the meeting where they were discussed),
//! act (decisions linked to what they change) and successes.

use super::{Form, Kept, Page, PageResult, collaboration_access, form_page, render, see_other, with_empty};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::indicator::published_totals;
use crate::indicator::shown;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::collaboration::Collaboration;
use domain::cycle::{CycleContent, CycleInput, Decision, DecisionInput, covers};
use domain::measure::Published;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/cycli", list)
        .get("/samenwerkingen/{id}/cycli/nieuw", new_form)
        .post("/samenwerkingen/{id}/cycli", create)
        .get("/samenwerkingen/{id}/cycli/{cycle}", show)
        .get("/samenwerkingen/{id}/cycli/{cycle}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/cycli/{cycle}/bewerken", update)
        .post("/samenwerkingen/{id}/cycli/{cycle}/besluiten", add_decision)
}

fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/cycli")
}

#[derive(Template)]
#[template(path = "cycles.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    id: i64,
    rows: Vec<(i64, String, String, usize)>,
    can_edit: bool,
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "cycles.title").user(&visitor.user).in_collab(&c, role, "cycles");
    let rows = state.db.cycles(c.id).await?.into_iter().map(|k| (k.id, k.content.period, k.content.title, k.content.decisions.len())).collect();
    Ok(render(&ListTemplate { page: &page, id, rows, can_edit: role.allows(Action::Edit) }))
}

async fn cycle_form(state: &AppState, page: &Page, c: &Collaboration, action: String, input: &CycleInput, version: Option<i64>) -> Result<Form, AppError> {
    let meetings = state.db.meetings(c.id).await?.into_iter().map(|m| (m.id.to_string(), page.lang.date(&m.content.date))).collect();
    let form = Form::new(action, page.t("form.save"))
        .intro(page.t("cycles.form_intro"))
        .text("period", page.t("field.period"), &input.period, true)
        .hint(page.t("import.lock_hint"))
        .text("title", page.t("field.title"), &input.title, true)
        .textarea("findings", page.t("field.findings"), &input.findings)
        .select("meeting", page.t("field.meeting_discussed"), with_empty("—", meetings), &input.meeting, false)
        .textarea("successes", page.t("field.successes"), &input.successes);
    Ok(match version {
        Some(v) => form.hidden("version", v),
        None => form,
    })
}

fn saved_or_refused(page: &Page, form: Form, result: Result<i64, AppError>, id: i64) -> PageResult {
    match result {
        Ok(cycle) => Ok(see_other(&format!("{}/{cycle}", base(id)))),
        Err(AppError::Invalid(invalid)) => Ok(form_page(page, &form.errors(page, Some(&invalid)), StatusCode::BAD_REQUEST)),
        Err(AppError::Conflict(_)) => Ok(form_page(page, &form.message(page.t("error.stale")), StatusCode::CONFLICT)),
        Err(other) => Err(other.into()),
    }
}

async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "cycles.new").user(&visitor.user).in_collab(&c, role, "cycles");
    let form = cycle_form(&state, &page, &c, base(id), &CycleInput::default(), None).await?.cancel(base(id));
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "cycles.new").user(&visitor.user).in_collab(&c, role, "cycles");
    let (input, control): (CycleInput, _) = body.parse_kept()?;
    let form = cycle_form(&state, &page, &c, base(id), &input, None).await?.cancel(base(id));
    let result = match control.before(CycleContent::parse(&input, None)) {
        Ok(content) => state.db.create_cycle(&actor(&visitor, origin), c.id, &content).await.map(|k| k.id).map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    saved_or_refused(&page, form, result, id)
}

fn input_of(content: &CycleContent) -> CycleInput {
    CycleInput {
        period: content.period.clone(),
        title: content.title.clone(),
        findings: content.findings.clone(),
        meeting: content.meeting.map(|m| m.to_string()).unwrap_or_default(),
        successes: content.successes.clone(),
    }
}

async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, cycle)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "cycles.edit").user(&visitor.user).in_collab(&c, role, "cycles");
    let k = state.db.cycle(c.id, cycle).await?;
    let back = format!("{}/{cycle}", base(id));
    let form = cycle_form(&state, &page, &c, format!("{back}/bewerken"), &input_of(&k.content), Some(k.version)).await?.cancel(back);
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, cycle)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "cycles.edit").user(&visitor.user).in_collab(&c, role, "cycles");
    let k = state.db.cycle(c.id, cycle).await?;
    let (input, control): (CycleInput, _) = body.parse_kept()?;
    let version = body.version()?;
    let back = format!("{}/{cycle}", base(id));
    let form = cycle_form(&state, &page, &c, format!("{back}/bewerken"), &input, Some(version)).await?.cancel(back);
    let result = match control.before(CycleContent::parse(&input, Some(&k.content))) {
        Ok(content) => state.db.update_cycle(&actor(&visitor, origin), c.id, cycle, version, &content).await.map(|k| k.id).map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    saved_or_refused(&page, form, result, id)
}

async fn add_decision(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, cycle)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let (input, control): (DecisionInput, domain::Invalid) = body.parse_kept()?;
    let decision = match control.before(Decision::parse(&input)) {
        Ok(decision) => decision,
        Err(invalid) => {
            let labels = [("text", "cycles.decision"), ("agreement", "cycles.changes_agreement"), ("activity", "cycles.changes_activity")];
            return cycle_view(&state, lang, &visitor, id, cycle, Kept::new(lang, "decision", "f-decision-", &body, &invalid, &labels)).await;
        }
    };
    state.db.add_decision(&actor(&visitor, origin), c.id, cycle, decision).await?;
    Ok(see_other(&format!("{}/{cycle}#handelen", base(id))))
}

/// A linked object: its id and its name.
type Named = (i64, String);

/// One indicator in the plan and check phases: its target and its published figure.
struct IndicatorLine {
    id: i64,
    name: String,
    perspective: String,
    period: String,
    target: String,
    value: String,
    on_track: String,
    seen: String,
}

#[derive(Template)]
#[template(path = "cycle.html")]
struct CycleTemplate<'a> {
    page: &'a Page,
    id: i64,
    cycle: i64,
    k: &'a CycleContent,
    indicators: Vec<IndicatorLine>,
    activities: Vec<(i64, String, String, bool)>,
    meeting: Option<(i64, String)>,
    decisions: Vec<(String, Option<Named>, Option<Named>)>,
    /// The decisions of the linked meeting: (agenda item, what was decided, the agreement).
    meeting_decisions: Vec<(String, String, Option<Named>)>,
    agreements: Vec<(i64, String)>,
    activity_choices: Vec<(i64, String)>,
    /// The check phase's case-review figures, when the collaboration keeps reviews.
    case_reviews: Option<crate::html::case_review::CycleCheck>,
    can_edit: bool,
    /// The decision form as it was refused, if it was.
    kept: Kept,
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, cycle)): Path<(i64, i64)>) -> PageResult {
    cycle_view(&state, lang, &visitor, id, cycle, Kept::default()).await
}

/// A cycle's page, with the decision form as it was refused when `kept` holds one (then 400).
async fn cycle_view(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, cycle: i64, kept: Kept) -> PageResult {
    let (c, role) = collaboration_access(state, &visitor.user, id, Action::Read).await?;
    let k = state.db.cycle(c.id, cycle).await?;
    let mut page = Page::new(lang, "cycles.title").user(&visitor.user).in_collab(&c, role, "cycles");
    page.title = format!("{} ({})", k.content.title, k.content.period);
    let mut indicators = Vec::new();
    for i in state.indicators(c.id).await? {
        let ic = &i.content;
        let stories = state.db.stories(c.id, i.id).await?;
        let figures: Vec<(String, Published)> = published_totals(state, c.id, i.id).await?.into_iter().filter(|(p, _)| covers(&k.content.period, p)).collect();
        let targets: Vec<&(String, f64)> = ic.targets.iter().filter(|(p, _)| covers(&k.content.period, p)).collect();
        let period = figures.last().map(|(p, _)| p.clone()).or_else(|| targets.first().map(|(p, _)| p.clone()));
        let Some(period) = period else { continue };
        let value = figures.iter().find(|(p, _)| *p == period).map(|(_, figure)| *figure);
        let on_track = match value {
            Some(Published::Value(v)) => {
                ic.on_track(&period, v).map(|on| lang.t(if on { "indicators.on_track" } else { "indicators.off_track" }).to_string()).unwrap_or_default()
            }
            _ => String::new(),
        };
        indicators.push(IndicatorLine {
            id: i.id,
            name: format!("{} {}", ic.code, ic.name),
            perspective: lang.label("perspective", ic.perspective.code()),
            target: ic.target(&period).map(|t| shown(&lang, domain::measure::Published::Value(t))).unwrap_or_else(|| "—".into()),
            value: value.map(|v| shown(&lang, v)).unwrap_or_else(|| "—".into()),
            on_track,
            seen: stories.iter().find(|s| s.period == period).map(|s| s.content.seen.clone()).unwrap_or_default(),
            period,
        });
    }
    let today = crate::today();
    let all_activities = state.db.activities(c.id).await?;
    let activities = all_activities
        .iter()
        .map(|a| (a.id, a.content.title.clone(), lang.label("activitystatus", a.content.status.code()), a.content.overdue(&today)))
        .collect();
    let meetings = state.db.meetings(c.id).await?;
    let meeting = k.content.meeting.and_then(|m| meetings.iter().find(|x| x.id == m)).map(|m| (m.id, lang.date(&m.content.date)));
    let agreements: Vec<(i64, String)> = state.db.agreements(c.id).await?.into_iter().map(|a| (a.id, a.content.title)).collect();
    let activity_choices: Vec<(i64, String)> = all_activities.iter().map(|a| (a.id, a.content.title.clone())).collect();
    let named = |list: &[(i64, String)], id: Option<i64>| id.and_then(|id| list.iter().find(|(x, _)| *x == id).cloned());
    let decisions = k.content.decisions.iter().map(|d| (d.text.clone(), named(&agreements, d.agreement), named(&activity_choices, d.activity))).collect();
    let meeting_decisions = k
        .content
        .meeting
        .and_then(|m| meetings.iter().find(|x| x.id == m))
        .map(|m| domain::cycle::meeting_decisions(&m.content))
        .unwrap_or_default()
        .into_iter()
        .map(|d| (d.item, d.text, named(&agreements, d.agreement)))
        .collect();
    let status = if kept.errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut response = render(&CycleTemplate {
        kept,
        page: &page,
        id,
        cycle,
        k: &k.content,
        indicators,
        activities,
        meeting,
        decisions,
        meeting_decisions,
        agreements,
        activity_choices,
        case_reviews: crate::html::case_review::cycle_check(state, &c, &lang, &k.content.period).await?,
        can_edit: role.allows(Action::Edit),
    });
    *response.status_mut() = status;
    Ok(response)
}
