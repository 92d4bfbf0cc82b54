//! The travel plan: where the collaboration stands on its journey, each theme with its tips,
//! steps to tick off and reflection questions to answer in its own words.

use super::{Page, PageResult, collaboration_access, render, see_other};
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
use domain::access::Action;
use domain::example::Example;
use domain::journey::{StepInput, StepProgress, StepStatus, Tally, Theme, journey, tally};
use std::collections::HashMap;
use store::journey::ReflectionRow;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/reis", overview)
        .get("/samenwerkingen/{id}/reis/{theme}", theme)
        .post("/samenwerkingen/{id}/reis/{theme}/stappen", save_steps)
        .post("/samenwerkingen/{id}/reis/{theme}/reflecties", add_reflection)
}

/// The status choice that removes a hand mark, so the step follows the work again.
pub const AUTO: &str = "volgens_werk";

pub struct ThemeRow<'a> {
    pub theme: &'a Theme,
    pub tally: Tally,
}

#[derive(Template)]
#[template(path = "journey.html")]
struct OverviewTemplate<'a> {
    page: &'a Page,
    id: i64,
    en: bool,
    stages: Vec<(String, Vec<ThemeRow<'a>>)>,
    total: Tally,
}

async fn overview(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "journey.title").user(&visitor.user).in_collab(&c, role, "journey");
    let (hand, work) = crate::journey::progress(&state.db, &c).await?;
    let progress = domain::journey::with_work(&hand, &work);
    let en = lang == Lang::En;
    let j = journey();
    let mut total = Tally::default();
    let stages = j
        .stages
        .iter()
        .map(|stage| {
            let rows: Vec<ThemeRow> = j.themes.iter().filter(|t| t.stage == stage.key).map(|t| ThemeRow { theme: t, tally: tally(t, &progress) }).collect();
            for r in &rows {
                total.done += r.tally.done;
                total.busy += r.tally.busy;
                total.applicable += r.tally.applicable;
            }
            (stage.name.get(en).to_string(), rows)
        })
        .collect();
    Ok(render(&OverviewTemplate { page: &page, id, en, stages, total }))
}

pub struct StepView<'a> {
    pub key: &'a str,
    pub text: &'a str,
    pub place: Option<String>,
    /// Where the product shows the step's work, when it does.
    pub seen: Option<String>,
    /// Whether the status was set by hand (else it follows the work).
    pub by_hand: bool,
    pub status: StepStatus,
    pub note: String,
    pub on: String,
}

#[derive(Template)]
#[template(path = "theme.html")]
struct ThemeTemplate<'a> {
    page: &'a Page,
    id: i64,
    en: bool,
    theme: &'a Theme,
    elements: Vec<&'a str>,
    steps: Vec<StepView<'a>>,
    statuses: Vec<(&'static str, String)>,
    answers: HashMap<String, Vec<ReflectionRow>>,
    examples: Vec<Example>,
    can_edit: bool,
    message: String,
}

/// Where to go to do a step: the page its work lives on, else the page the guide names.
pub fn step_place(id: i64, step: &domain::journey::Step) -> Option<String> {
    let seen = domain::journey::seen_place(&step.key).map(|place| crate::journey::place_href(id, place));
    seen.or_else(|| step.place.as_deref().and_then(|p| place_href(id, p)))
}

/// Where in Reisgenoot a step's work is done.
fn place_href(id: i64, place: &str) -> Option<String> {
    let path = match place {
        "overzicht" => String::new(),
        "partners" | "personen" | "portefeuilles" | "leden" | "voorbeelden" | "knelpunten" => format!("/{place}"),
        _ => return None,
    };
    Some(format!("/samenwerkingen/{id}{path}"))
}

async fn theme_page(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, number: u8, message: Option<&str>, status: StatusCode) -> PageResult {
    let (c, role) = collaboration_access(state, &visitor.user, id, Action::Read).await?;
    let j = journey();
    let theme = j.theme(number).ok_or(AppError::NotFound)?;
    let en = lang == Lang::En;
    let mut page = Page::new(lang, "journey.title").user(&visitor.user).in_collab(&c, role, "journey");
    page.title = format!("{} {} · {}", page.t("journey.theme"), theme.number, theme.title.get(en));
    let (progress, work) = crate::journey::progress(&state.db, &c).await?;
    let steps = theme
        .steps
        .iter()
        .map(|s| {
            let p: Option<&StepProgress> = progress.iter().find(|p| p.step_key == s.key);
            let e = domain::journey::effective(&s.key, &progress, &work);
            StepView {
                key: &s.key,
                text: s.text.get(en),
                place: s.place.as_deref().and_then(|p| place_href(id, p)),
                seen: e.seen.map(|place| crate::journey::place_href(id, place)),
                by_hand: e.by_hand,
                status: e.status,
                note: p.map(|p| p.note.clone()).unwrap_or_default(),
                on: p.map(|p| lang.date(&p.on)).unwrap_or_default(),
            }
        })
        .collect();
    let mut answers: HashMap<String, Vec<ReflectionRow>> = HashMap::new();
    for row in state.db.reflections(c.id).await? {
        answers.entry(row.question_key.clone()).or_default().push(row);
    }
    let mut all = domain::example::built_in().to_vec();
    all.extend(state.db.examples_visible_to(c.id).await?);
    let filter = domain::example::Filter { thema: Some(number.to_string()), ..Default::default() };
    let examples = domain::example::find(&all, &filter).into_iter().take(6).cloned().collect();
    let elements = theme.elements.iter().filter_map(|n| j.elements.iter().find(|e| e.number == *n)).map(|e| e.name.get(en)).collect();
    let statuses = StepStatus::ALL.iter().map(|s| (s.code(), lang.label("stepstatus", s.code()))).collect();
    let mut response = render(&ThemeTemplate {
        page: &page,
        id,
        en,
        theme,
        elements,
        steps,
        statuses,
        answers,
        examples,
        can_edit: role.allows(Action::Edit),
        message: message.unwrap_or_default().to_string(),
    });
    *response.status_mut() = status;
    Ok(response)
}

async fn theme(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, number)): Path<(i64, u8)>) -> PageResult {
    theme_page(&state, lang, &visitor, id, number, None, StatusCode::OK).await
}

async fn save_steps(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, number)): Path<(i64, u8)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let theme = journey().theme(number).ok_or(AppError::NotFound)?;
    let fields: HashMap<String, String> = body.parse::<Vec<(String, String)>>()?.into_iter().collect();
    let current = state.db.journey_progress(c.id).await?;
    let on = crate::today();
    let mut changes = Vec::new();
    let mut cleared = Vec::new();
    for step in &theme.steps {
        let input = StepInput {
            status: fields.get(&format!("status-{}", step.key)).cloned().unwrap_or_default(),
            note: fields.get(&format!("note-{}", step.key)).cloned().unwrap_or_default(),
        };
        if input.status.is_empty() {
            continue;
        }
        // "Volgens het werk": no hand mark, the step follows what the product shows.
        if input.status == AUTO {
            if current.iter().any(|p| p.step_key == step.key) {
                cleared.push(step.key.clone());
            }
            continue;
        }
        let Ok(progress) = domain::journey::parse_step(&step.key, &input, &on) else {
            return theme_page(&state, lang, &visitor, id, number, Some(lang.t("journey.invalid_step")), StatusCode::BAD_REQUEST).await;
        };
        let unchanged = current.iter().any(|p| p.step_key == step.key && p.status == progress.status && p.note == progress.note);
        if !unchanged {
            changes.push(progress);
        }
    }
    let actor = actor(&visitor, origin);
    for progress in &changes {
        state.db.set_step(&actor, c.id, progress).await?;
    }
    for key in &cleared {
        state.db.clear_step(&actor, c.id, key).await?;
    }
    Ok(see_other(&format!("/samenwerkingen/{id}/reis/{number}#stappen")))
}

async fn add_reflection(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, number)): Path<(i64, u8)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let (input, control): (domain::journey::ReflectionInput, _) = body.parse_kept()?;
    match control.before(domain::journey::parse_reflection(&input)) {
        Ok(reflection) => {
            state.db.add_reflection(&actor(&visitor, origin), c.id, &reflection, &crate::today()).await?;
            Ok(see_other(&format!("/samenwerkingen/{id}/reis/{number}#vraag-{}", reflection.question_key)))
        }
        Err(_) => theme_page(&state, lang, &visitor, id, number, Some(lang.t("journey.empty_answer")), StatusCode::BAD_REQUEST).await,
    }
}
