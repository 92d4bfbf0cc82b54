//! Self-scans and surveys: start a round from a template (leaving out what does not fit), send
//! invitation links per group, let people answer anonymously without signing in, and read the
//! results — per element, per group when the group is large enough, the divergence between
//! groups, a radar chart, the models now and wanted, and the perspective-shift gaps.

use super::{Form, Kept, Page, PageResult, choices, collaboration_access, render, see_other};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::partner::Sector;
use domain::scan::{Audience, Dimension, RoundInput, templates};
use store::scan::{LinkGroup, Round};

mod answer;
mod export;
mod results;

use answer::{answer, questionnaire};
use export::{export, to_measurement};
use results::results;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/scans", list)
        .get("/samenwerkingen/{id}/scans/nieuw", new_form)
        .post("/samenwerkingen/{id}/scans", create)
        .get("/samenwerkingen/{id}/scans/{round}", show)
        .post("/samenwerkingen/{id}/scans/{round}/links", add_links)
        .post("/samenwerkingen/{id}/scans/{round}/sluiten", close)
        .get("/samenwerkingen/{id}/scans/{round}/resultaten", results)
        .get("/samenwerkingen/{id}/scans/{round}/export/{format}", export)
        .post("/samenwerkingen/{id}/scans/{round}/meting", to_measurement)
        .get("/vragenlijst/{token}", questionnaire)
        .post("/vragenlijst/{token}", answer)
}

fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/scans")
}

pub struct RoundRow {
    pub id: i64,
    pub title: String,
    pub template: String,
    pub period: String,
    pub answers: usize,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "scans.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    id: i64,
    rounds: Vec<RoundRow>,
    templates: Vec<(String, String, String)>,
    can_edit: bool,
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "scans.title").user(&visitor.user).in_collab(&c, role, "scans");
    let english = lang == Lang::En;
    let today = crate::today();
    let mut rounds = Vec::new();
    for r in state.db.rounds(c.id).await? {
        rounds.push(RoundRow {
            id: r.id,
            title: r.title.clone(),
            template: r.template.name.get(english).to_string(),
            period: format!("{} – {}", lang.date(&r.opens), lang.date(&r.closes)),
            answers: state.db.answers(c.id, r.id).await?.len(),
            open: domain::scan::is_open(&r.opens, &r.closes, &today),
        });
    }
    let templates = templates().iter().map(|t| (t.key.clone(), t.name.get(english).to_string(), t.intro.get(english).to_string())).collect();
    Ok(render(&ListTemplate { page: &page, id, rounds, templates, can_edit: role.allows(Action::Edit) }))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    sjabloon: String,
}

/// One question of the new-round form: whether to keep it, and its wording.
pub struct AdaptRow {
    pub key: String,
    pub kind: String,
    pub text: String,
    pub keep: bool,
}

/// One section of the new-round form, with room for an own statement.
pub struct AdaptSection {
    pub key: String,
    pub title: String,
    pub rows: Vec<AdaptRow>,
    pub extra: String,
}

#[derive(Template)]
#[template(path = "scan_new.html")]
struct NewTemplate<'a> {
    page: &'a Page,
    form: &'a Form,
    sections: Vec<AdaptSection>,
}

fn round_page(page: &Page, id: i64, floor: usize, input: &RoundInput, invalid: Option<&domain::Invalid>, status: StatusCode) -> PageResult {
    let english = page.lang == Lang::En;
    // Without a (known) template the form offers the first: the eight working elements.
    let t = domain::scan::template(&input.template).unwrap_or(&templates()[0]);
    let form = Form::new(base(id), page.t("scans.start"))
        .intro(t.intro.get(english))
        .hidden("template", &t.key)
        .text("title", page.t("field.title"), &input.title, true)
        .date(page, "opens", page.t("field.opens"), &input.opens, true)
        .date(page, "closes", page.t("field.closes"), &input.closes, true)
        .number("min_group", page.t("field.min_group"), &input.min_group, false)
        .hint(&page.t("scans.min_group_hint").replace("{min}", &floor.to_string()));
    let form = if t.audience == Audience::Partners {
        let splits = vec![
            (String::new(), page.t("scans.split_none").to_string()),
            ("sector".to_string(), page.t("scans.split_sector").to_string()),
            ("niveau".to_string(), page.t("scans.split_level").to_string()),
        ];
        form.select("split_by", page.t("field.split_by"), splits, &input.split_by, false).hint(page.t("scans.split_hint"))
    } else {
        form
    };
    let form = form.cancel(base(id)).errors(page, invalid);
    let sections = t
        .sections
        .iter()
        .map(|s| AdaptSection {
            key: s.key.clone(),
            title: s.title.get(english).to_string(),
            rows: s
                .questions
                .iter()
                .map(|q| AdaptRow {
                    key: q.key.clone(),
                    kind: page.lang.label("questionkind", q.kind.code()),
                    text: input.texts.get(&q.key).cloned().unwrap_or_else(|| q.text.get(english).to_string()),
                    keep: input.questions.is_empty() || input.questions.contains(&q.key),
                })
                .collect(),
            extra: input.extra.get(&s.key).cloned().unwrap_or_default(),
        })
        .collect();
    let mut response = render(&NewTemplate { page, form: &form, sections });
    *response.status_mut() = status;
    Ok(response)
}

async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>, Query(q): Query<NewQuery>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "scans.new").user(&visitor.user).in_collab(&c, role, "scans");
    let today = crate::today();
    let input = RoundInput {
        template: q.sjabloon,
        opens: today.clone(),
        closes: domain::date::add_days(&today, 28).unwrap_or_default(),
        min_group: state.floors().min_group.to_string(),
        split_by: "sector".into(),
        ..Default::default()
    };
    round_page(&page, id, state.floors().min_group, &input, None, StatusCode::OK)
}

/// The form's fields, with the wording read from `text-{key}` and own statements from `extra-{section}`.
fn read_round(body: &FormBody) -> Result<RoundInput, AppError> {
    let mut input: RoundInput = body.parse()?;
    let fields: Vec<(String, String)> = body.parse()?;
    for (name, value) in fields {
        if let Some(key) = name.strip_prefix("text-") {
            input.texts.insert(key.to_string(), value);
        } else if let Some(key) = name.strip_prefix("extra-") {
            input.extra.insert(key.to_string(), value);
        }
    }
    Ok(input)
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
    let page = Page::new(lang, "scans.new").user(&visitor.user).in_collab(&c, role, "scans");
    let input = read_round(&body)?;
    // A form with no question ticked means none, not all.
    let plan = if input.questions.is_empty() { Err(domain::Invalid::single("questions", "err.no_questions")) } else { input.parse(state.floors()) };
    match plan {
        Ok(plan) => {
            let round = state.db.create_round(&actor(&visitor, origin), c.id, &plan).await?;
            Ok(see_other(&format!("{}/{}", base(id), round.id)))
        }
        Err(invalid) => round_page(&page, id, state.floors().min_group, &input, Some(&invalid), StatusCode::BAD_REQUEST),
    }
}

/// A link as its sender sees it: never how often it was used, which would tell who answered.
pub struct LinkView {
    pub url: String,
    pub label: String,
    pub sector: String,
    pub reusable: bool,
}

#[derive(Template)]
#[template(path = "scan_round.html")]
struct RoundTemplate<'a> {
    page: &'a Page,
    id: i64,
    round: &'a Round,
    template: String,
    answers: usize,
    /// Answers the round's links refused for their limits (shown to those who send links).
    refused: i64,
    links: Vec<LinkView>,
    sectors: Vec<(String, String)>,
    partners_audience: bool,
    can_edit: bool,
    open: bool,
    published: bool,
    split: String,
    /// The links form as it was refused, if it was.
    kept: Kept,
}

/// How a round's results are split, in words.
fn split_label(lang: &Lang, split: Option<Dimension>) -> String {
    lang.t(match split {
        Some(Dimension::Sector) => "scans.split_sector",
        Some(Dimension::Level) => "scans.split_level",
        None => "scans.split_none",
    })
    .to_string()
}

/// Ends a round before its closing date: from now on it takes no answers and shows its results.
async fn close(State(state): State<AppState>, ClientOrigin(origin): ClientOrigin, visitor: Visitor, Path((id, round)): Path<(i64, i64)>) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let yesterday = domain::date::add_days(&crate::today(), -1).unwrap_or_default();
    state.db.close_round(&actor(&visitor, origin), c.id, round, &yesterday).await?;
    Ok(see_other(&format!("{}/{round}", base(id))))
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, round)): Path<(i64, i64)>) -> PageResult {
    round_view(&state, lang, &visitor, id, round, Kept::default()).await
}

/// A round's page, with its links form as it was refused when `kept` holds one (then 400).
async fn round_view(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, round: i64, kept: Kept) -> PageResult {
    let (c, role) = collaboration_access(state, &visitor.user, id, Action::Read).await?;
    let r = state.db.round(c.id, round).await?;
    let mut page = Page::new(lang, "scans.title").user(&visitor.user).in_collab(&c, role, "scans");
    page.title = r.title.clone();
    let can_edit = role.allows(Action::Edit);
    // Links are for those who send them; readers could otherwise answer in someone's name.
    let stored = if can_edit { state.db.links(c.id, round).await? } else { Vec::new() };
    let refused = stored.iter().map(|l| l.refused).sum();
    let links = if can_edit {
        stored
            .into_iter()
            .map(|l| LinkView {
                url: format!("/vragenlijst/{}", l.token),
                sector: if l.sector.is_empty() { String::new() } else { lang.label("sector", &l.sector) },
                label: l.label,
                reusable: l.reusable,
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut sectors = choices(&page, "sector", Sector::ALL, Sector::code);
    sectors.insert(0, (String::new(), page.t("scans.sector_free").to_string()));
    let today = crate::today();
    let status = if kept.errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut response = render(&RoundTemplate {
        open: domain::scan::is_open(&r.opens, &r.closes, &today),
        published: domain::scan::is_published(&r.closes, &today),
        split: split_label(&lang, r.split_by),
        template: r.template.name.get(lang == Lang::En).to_string(),
        answers: state.db.answers(c.id, round).await?.len(),
        refused,
        partners_audience: r.template.audience == Audience::Partners,
        round: &r,
        page: &page,
        id,
        links,
        sectors,
        can_edit,
        kept,
    });
    *response.status_mut() = status;
    Ok(response)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LinksForm {
    label: String,
    sector: String,
    count: String,
    reusable: String,
}

/// The most single-use links made at once.
const MAX_LINKS: usize = 500;

async fn add_links(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, round)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let form: LinksForm = body.parse()?;
    let mut errors = domain::Invalid::default();
    let label = domain::error::required_text(&mut errors, "label", &form.label, 100);
    if !form.sector.is_empty() && Sector::from_code(&form.sector).is_none() {
        errors.add("sector", "err.choice");
    }
    let reusable = form.reusable == "true";
    let count = if reusable { Some(1) } else { form.count.trim().parse::<usize>().ok().filter(|n| (1..=MAX_LINKS).contains(n)) };
    if count.is_none() {
        errors.add("count", "err.number");
    }
    let Some(count) = count.filter(|_| errors.errors.is_empty()) else {
        let kept = Kept::new(lang, "links", "f-", &body, &errors, &[("label", "field.label"), ("count", "scans.count")]);
        return round_view(&state, lang, &visitor, id, round, kept).await;
    };
    let tokens: Vec<String> = (0..count).map(|_| crate::session::new_secret()).collect();
    let group = LinkGroup { label: &label, sector: &form.sector, reusable };
    state.db.create_links(&actor(&visitor, origin), c.id, round, &group, &tokens).await?;
    Ok(see_other(&format!("{}/{round}#links", base(id))))
}
