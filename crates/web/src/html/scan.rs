//! Self-scans and surveys: start a round from a template (leaving out what does not fit), send
//! invitation links per group, let people answer anonymously without signing in, and read the
//! results — per element, per group when the group is large enough, the divergence between
//! groups, a radar chart, the models now and wanted, and the perspective-shift gaps.

use super::{Form, Page, PageResult, choices, collaboration_access, render, see_other};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::scan::take_answer;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use crate::xlsx;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use domain::access::Action;
use domain::measure::IndicatorKind;
use domain::partner::Sector;
use domain::scan::{
    Audience, DIVERGENCE_MARK, Dimension, Filter, QuestionKind, RespondentLevel, Response, RoundInput, Stat, answers_from_form, check_response, divergence,
    element_means, group_counts, lowest, pair_counts, round_filter, select, shift_gaps, shown_groups, stat, templates,
};
use store::scan::{LinkGroup, Refusal, Round};

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
        .text("opens", page.t("field.opens"), &input.opens, true)
        .hint(page.t("form.date_hint"))
        .text("closes", page.t("field.closes"), &input.closes, true)
        .hint(page.t("form.date_hint"))
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
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
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
    Ok(render(&RoundTemplate {
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
    }))
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
    let Some(count) = count else {
        errors.add("count", "err.number");
        return Err(AppError::Invalid(errors).into());
    };
    if !errors.errors.is_empty() {
        return Err(AppError::Invalid(errors).into());
    }
    let tokens: Vec<String> = (0..count).map(|_| crate::session::new_secret()).collect();
    let group = LinkGroup { label: &label, sector: &form.sector, reusable };
    state.db.create_links(&actor(&visitor, origin), c.id, round, &group, &tokens).await?;
    Ok(see_other(&format!("{}/{round}#links", base(id))))
}

// ---- answering ----

pub struct QuestionView {
    pub name: String,
    pub kind: &'static str,
    pub text: String,
    pub options: Vec<(String, String)>,
    pub left: String,
    pub right: String,
    pub chosen: Vec<String>,
}

pub struct SectionView {
    pub title: String,
    pub questions: Vec<QuestionView>,
}

#[derive(Template)]
#[template(path = "questionnaire.html")]
struct QuestionnaireTemplate<'a> {
    page: &'a Page,
    token: String,
    intro: String,
    partners_audience: bool,
    sectors: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    sector: String,
    level: String,
    sections: Vec<SectionView>,
    errors: Vec<String>,
}

fn questionnaire_page(
    lang: Lang,
    round: &Round,
    token: &str,
    preset: &str,
    fields: &[(String, String)],
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let english = lang == Lang::En;
    let mut page = Page::new(lang, "scans.answer_title");
    page.title = round.template.name.get(english).to_string();
    let get = |name: &str| fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let scale: Vec<(String, String)> = ["1", "2", "3", "4", "5", domain::scan::DONT_KNOW].iter().map(|k| (k.to_string(), lang.label("scale", k))).collect();
    let sections = round
        .template
        .sections
        .iter()
        .map(|s| SectionView {
            title: s.title.get(english).to_string(),
            questions: s
                .questions
                .iter()
                .map(|q| {
                    let name = format!("q-{}", q.key);
                    QuestionView {
                        chosen: get(&name),
                        kind: q.kind.code(),
                        text: q.text.get(english).to_string(),
                        options: match q.kind {
                            QuestionKind::Scale => scale.clone(),
                            // Five steps between the poles: a choice a thumb can make, with no default.
                            QuestionKind::Slider => ["0", "25", "50", "75", "100"].iter().map(|v| (v.to_string(), v.to_string())).collect(),
                            _ => q.options.iter().map(|o| (o.key.clone(), o.label.get(english).to_string())).collect(),
                        },
                        left: q.left.as_ref().map(|t| t.get(english).to_string()).unwrap_or_default(),
                        right: q.right.as_ref().map(|t| t.get(english).to_string()).unwrap_or_default(),
                        name,
                    }
                })
                .collect(),
        })
        .collect();
    let first = |name: &str| get(name).into_iter().next().unwrap_or_default();
    let sector = if fields.is_empty() { preset.to_string() } else { first("sector") };
    let mut sectors = choices(&page, "sector", Sector::ALL, Sector::code);
    sectors.insert(0, (String::new(), page.t("form.choose").to_string()));
    let mut levels = choices(&page, "respondentlevel", RespondentLevel::ALL, RespondentLevel::code);
    levels.insert(0, (String::new(), page.t("form.choose").to_string()));
    let mut response = render(&QuestionnaireTemplate {
        intro: round.template.intro.get(english).to_string(),
        partners_audience: round.template.audience == Audience::Partners,
        token: token.to_string(),
        level: first("level"),
        page: &page,
        sectors,
        levels,
        sector,
        sections,
        errors,
    });
    *response.status_mut() = status;
    Ok(response)
}

async fn questionnaire(State(state): State<AppState>, lang: Lang, Path(token): Path<String>) -> PageResult {
    let (link, round) = state.db.link_by_token(&token).await?;
    if !domain::scan::is_open(&round.opens, &round.closes, &crate::today()) {
        return Ok(closed_page(lang, "scans.closed"));
    }
    if !link.reusable && link.uses > 0 {
        return Ok(closed_page(lang, "scans.used"));
    }
    questionnaire_page(lang, &round, &token, &link.sector, &[], Vec::new(), StatusCode::OK)
}

fn closed_page(lang: Lang, key: &str) -> axum::response::Response {
    let page = Page::new(lang, "scans.answer_title");
    let mut response = render(&crate::html::views::MessageTemplate { page: &page, message: lang.t(key) });
    *response.status_mut() = StatusCode::GONE;
    response
}

async fn answer(State(state): State<AppState>, lang: Lang, ClientOrigin(client): ClientOrigin, Path(token): Path<String>, body: FormBody) -> PageResult {
    let (_, round) = state.db.link_by_token(&token).await?;
    let fields: Vec<(String, String)> = body.parse()?;
    let first = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let answers = answers_from_form(&round.template, &fields);
    let response = match check_response(&round.template, &first("sector"), &first("level"), answers) {
        Ok(response) => response,
        Err(invalid) => {
            let errors = invalid.errors.iter().map(|e| format!("{}: {}", lang.t(&format!("field.{}", e.field)), lang.error(e))).collect();
            return questionnaire_page(lang, &round, &token, "", &fields, errors, StatusCode::BAD_REQUEST);
        }
    };
    match take_answer(&state, &token, &client, &response).await? {
        Ok(()) => Ok(closed_page_ok(lang)),
        Err(Refusal::Used) => Ok(closed_page(lang, "scans.used")),
        Err(Refusal::Closed) => Ok(closed_page(lang, "scans.closed")),
        Err(Refusal::UnknownLink) => Err(AppError::NotFound.into()),
    }
}

fn closed_page_ok(lang: Lang) -> axum::response::Response {
    let page = Page::new(lang, "scans.thanks_title");
    render(&crate::html::views::MessageTemplate { page: &page, message: lang.t("scans.thanks") })
}

// ---- results ----

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ResultsQuery {
    /// "sector:gemeente", "niveau:beleid", or empty for everyone.
    pub groep: String,
}

pub struct ElementRow {
    pub element: u8,
    pub title: String,
    pub mean: String,
    pub groups: Vec<String>,
    pub spread: String,
    pub divergent: bool,
    pub previous: String,
}

pub struct QuestionRow {
    pub section: String,
    pub text: String,
    pub n: usize,
    pub mean: String,
    pub counts: String,
    pub texts: Vec<String>,
}

#[derive(Template)]
#[template(path = "scan_results.html")]
struct ResultsTemplate<'a> {
    page: &'a Page,
    id: i64,
    round: i64,
    total: usize,
    min: usize,
    shown: bool,
    /// Why nothing is shown, when nothing is.
    withheld: String,
    split: String,
    published: bool,
    filters: Vec<(String, String, bool)>,
    hidden: Vec<String>,
    group_names: Vec<String>,
    elements: Vec<ElementRow>,
    radar: Vec<(f64, f64, String)>,
    polygon: String,
    rings: Vec<String>,
    low: Vec<(String, Vec<u8>)>,
    pairs: Vec<(String, String, usize)>,
    gaps: Vec<(String, String, String, String)>,
    questions: Vec<QuestionRow>,
    handoff: Option<Handoff>,
}

/// What the form to record a question's score as a measurement offers.
pub struct Handoff {
    pub indicators: Vec<(String, String)>,
    pub questions: Vec<(String, String)>,
    pub area: String,
}

fn number(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}").replace('.', ",")).unwrap_or_else(|| "—".into())
}

/// The label of a group code in one dimension.
fn group_label(lang: &Lang, dimension: Dimension, code: &str) -> String {
    match dimension {
        Dimension::Sector => lang.label("sector", code),
        Dimension::Level => lang.label("respondentlevel", code),
    }
}

fn counts_text(lang: &Lang, q: &domain::scan::Question, s: &Stat, english: bool) -> String {
    s.counts
        .iter()
        .map(|(k, n)| {
            let label = match q.kind {
                QuestionKind::Scale => lang.label("scale", k),
                _ => q.options.iter().find(|o| &o.key == k).map(|o| o.label.get(english).split(':').next().unwrap_or_default().to_string()).unwrap_or_default(),
            };
            format!("{label}: {n}")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

async fn results(
    State(state): State<AppState>,
    lang: Lang,
    visitor: Visitor,
    Path((id, round)): Path<(i64, i64)>,
    Query(q): Query<ResultsQuery>,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let r = state.db.round(c.id, round).await?;
    let mut page = Page::new(lang, "scans.results").user(&visitor.user).in_collab(&c, role, "scans");
    page.title = format!("{}: {}", page.t("scans.results"), r.title);
    let english = lang == Lang::En;
    let t = &r.template;
    let min = domain::scan::minimum(r.min_group, state.floors().min_group);
    let published = domain::scan::is_published(&r.closes, &crate::today());
    // Until the round closes nothing here depends on its answers, not even how many there are.
    let all = if published { state.db.answers(c.id, round).await? } else { Vec::new() };
    let total = all.len();
    let filter = round_filter(r.split_by, &q.groep);
    let selected = if published { select(&all, filter, min) } else { None };
    // The groups of the round's one split that may be shown, and those that may not.
    let mut filters = vec![(String::new(), page.t("scans.everyone").to_string(), filter == Filter::All)];
    let mut hidden = Vec::new();
    if let Some(dimension) = r.split_by.filter(|_| published) {
        let visible = shown_groups(&all, dimension, min);
        for g in group_counts(&all, dimension).keys() {
            if visible.contains(g) {
                filters.push((format!("{}:{g}", dimension.code()), group_label(&lang, dimension, g), filter == Filter::Group(dimension, g)));
            } else {
                hidden.push(group_label(&lang, dimension, g));
            }
        }
    }
    let split_groups = r.split_by.map(|d| (d, shown_groups(&all, d, min))).unwrap_or((Dimension::Sector, Vec::new()));
    let means = selected.as_deref().map(|rs| element_means(t, rs)).unwrap_or_default();
    let spread = r.split_by.map(|d| divergence(t, &all, d, min)).unwrap_or_default();
    let per_group: Vec<Vec<(u8, Option<f64>)>> =
        split_groups.1.iter().map(|g| select(&all, Filter::Group(split_groups.0, g), min).map(|rs| element_means(t, &rs)).unwrap_or_default()).collect();
    // The previous round of the same questionnaire, for the change since then.
    let previous_round = state.db.rounds(c.id).await?.into_iter().filter(|o| o.template.key == t.key && o.opens < r.opens).max_by(|a, b| a.opens.cmp(&b.opens));
    let previous = match previous_round.filter(|p| domain::scan::is_published(&p.closes, &crate::today())) {
        Some(p) => {
            let answers = state.db.answers(c.id, p.id).await?;
            select(&answers, Filter::All, domain::scan::minimum(p.min_group, state.floors().min_group))
                .map(|rs| element_means(&p.template, &rs))
                .unwrap_or_default()
        }
        None => Vec::new(),
    };
    let value_of = |list: &[(u8, Option<f64>)], e: u8| list.iter().find(|(x, _)| *x == e).and_then(|(_, v)| *v);
    let elements: Vec<ElementRow> = means
        .iter()
        .map(|(e, m)| {
            let d = value_of(&spread, *e);
            let before = value_of(&previous, *e);
            ElementRow {
                element: *e,
                title: t.sections.iter().find(|s| s.element == Some(*e)).map(|s| s.title.get(english).to_string()).unwrap_or_default(),
                mean: number(*m),
                groups: per_group.iter().map(|g| number(value_of(g, *e))).collect(),
                spread: number(d),
                divergent: d.is_some_and(|d| d >= DIVERGENCE_MARK),
                previous: match (before, m) {
                    (Some(b), Some(m)) => format!("{} ({}{})", number(Some(b)), if m >= &b { "+" } else { "−" }, number(Some((m - b).abs()))),
                    _ => "—".into(),
                },
            }
        })
        .collect();
    // The radar: each element an axis, the mean (1–5) as distance from the centre.
    let (cx, cy, radius) = (160.0, 160.0, 120.0);
    let axis = |i: usize, v: f64| {
        let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / means.len().max(1) as f64;
        (cx + radius * v / 5.0 * angle.cos(), cy + radius * v / 5.0 * angle.sin())
    };
    let radar: Vec<(f64, f64, String)> = means
        .iter()
        .enumerate()
        .map(|(i, (e, _))| {
            let (x, y) = axis(i, 5.6);
            (x, y, e.to_string())
        })
        .collect();
    let polygon = means.iter().enumerate().map(|(i, (_, m))| axis(i, m.unwrap_or(0.0))).map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let rings = (1..=5).map(|v| (0..means.len()).map(|i| axis(i, f64::from(v))).map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ")).collect();
    let low = lowest(t, &means, 3)
        .into_iter()
        .map(|(e, _, themes)| (elements.iter().find(|r| r.element == e).map(|r| r.title.clone()).unwrap_or_default(), themes.to_vec()))
        .collect();
    let rs = selected.clone().unwrap_or_default();
    let label_of = |key: &str| {
        t.questions()
            .flat_map(|(_, q)| q.options.iter())
            .find(|o| o.key == key)
            .map(|o| o.label.get(english).split(':').next().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    let pairs = pair_counts(t, &rs).into_iter().map(|((a, b), n)| (label_of(&a), label_of(&b), n)).collect();
    let gaps = shift_gaps(t, &rs)
        .into_iter()
        .map(|(s, now, wanted)| {
            let q = s.questions.first();
            let pole = |p: Option<&domain::journey::Text>| p.map(|t| t.get(english).to_string()).unwrap_or_default();
            let gap = match (now, wanted) {
                (Some(a), Some(b)) => number(Some(b - a)),
                _ => "—".into(),
            };
            (format!("{} → {}", pole(q.and_then(|q| q.left.as_ref())), pole(q.and_then(|q| q.right.as_ref()))), number(now), number(wanted), gap)
        })
        .collect();
    let questions = t
        .questions()
        .map(|(s, q)| {
            let st = stat(q, &rs);
            // A statement answered by fewer than the minimum shows no more than that.
            let enough = st.n >= min;
            QuestionRow {
                section: s.title.get(english).to_string(),
                text: q.text.get(english).to_string(),
                n: st.n,
                mean: if enough { number(st.mean) } else { "—".into() },
                counts: if enough { counts_text(&lang, q, &st, english) } else { lang.t("withheld.too_few_participants").to_string() },
                texts: if enough { st.texts } else { Vec::new() },
            }
        })
        .collect();
    // Editors can record a statement's score as a measurement of an end-user indicator.
    let handoff = if role.allows(Action::Edit) && published && selected.is_some() && filter == Filter::All {
        let indicators: Vec<(String, String)> = state
            .db
            .indicators(c.id)
            .await?
            .into_iter()
            .filter(|i| matches!(i.content.kind, IndicatorKind::Gemiddelde | IndicatorKind::Schaalscore))
            .map(|i| (i.id.to_string(), format!("{} {}", i.content.code, i.content.name)))
            .collect();
        let questions = t.questions().filter(|(_, q)| q.kind == QuestionKind::Scale).map(|(_, q)| (q.key.clone(), q.text.get(english).to_string())).collect();
        (!indicators.is_empty()).then(|| Handoff { indicators, questions, area: c.area_codes.first().map(|a| a.as_str().to_string()).unwrap_or_default() })
    } else {
        None
    };
    Ok(render(&ResultsTemplate {
        handoff,
        group_names: split_groups.1.iter().map(|g| group_label(&lang, split_groups.0, g)).collect(),
        shown: selected.is_some(),
        withheld: lang.t(if !published { "withheld.after_close" } else { "withheld.too_few_participants" }).to_string(),
        split: split_label(&lang, r.split_by),
        published,
        total,
        page: &page,
        id,
        round,
        min,
        filters,
        hidden,
        elements,
        radar,
        polygon,
        rings,
        low,
        pairs,
        gaps,
        questions,
    }))
}

/// The exported results: one row per statement and slider, for everyone and for every group
/// that may be shown — the same suppression as the page.
fn export_rows(lang: &Lang, r: &Round, all: &[Response], min: usize, published: bool) -> Vec<Vec<xlsx::Cell>> {
    use xlsx::Cell;
    let english = *lang == Lang::En;
    let text = |t: &str| Cell::Text(t.to_string());
    let mut rows = vec![["groep", "sectie", "vraag", "n", "gemiddelde", "1", "2", "3", "4", "5", domain::scan::DONT_KNOW].iter().map(|h| text(h)).collect()];
    if !published {
        rows.push(vec![text(lang.t("withheld.after_close"))]);
        return rows;
    }
    let mut filters = vec![(lang.t("scans.everyone").to_string(), Filter::All)];
    if let Some(dimension) = r.split_by {
        for g in shown_groups(all, dimension, min) {
            filters.push((group_label(lang, dimension, g), Filter::Group(dimension, g)));
        }
    }
    for (label, filter) in filters {
        let Some(rs) = select(all, filter, min) else { continue };
        for (s, q) in r.template.questions().filter(|(_, q)| matches!(q.kind, QuestionKind::Scale | QuestionKind::Slider)) {
            let st = stat(q, &rs);
            if st.n < min {
                rows.push(vec![text(&label), text(s.title.get(english)), text(q.text.get(english)), text(lang.t("withheld.too_few_participants"))]);
                continue;
            }
            let mut row = vec![
                text(&label),
                text(s.title.get(english)),
                text(q.text.get(english)),
                Cell::Number(st.n as f64),
                st.mean.map(Cell::Number).unwrap_or(Cell::Empty),
            ];
            row.extend(st.counts.iter().map(|(_, n)| Cell::Number(*n as f64)));
            rows.push(row);
        }
    }
    rows
}

#[derive(serde::Deserialize)]
struct ExportPath {
    id: i64,
    round: i64,
    format: String,
}

/// The results as `resultaten.csv` or `resultaten.xlsx`.
async fn export(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(p): Path<ExportPath>) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, p.id, Action::Read).await?;
    let r = state.db.round(c.id, p.round).await?;
    let published = domain::scan::is_published(&r.closes, &crate::today());
    let all = if published { state.db.answers(c.id, p.round).await? } else { Vec::new() };
    let rows = export_rows(&lang, &r, &all, domain::scan::minimum(r.min_group, state.floors().min_group), published);
    let (body, content_type) = match p.format.as_str() {
        "csv" => (xlsx::csv(&rows).into_bytes(), "text/csv; charset=utf-8"),
        "xlsx" => (xlsx::workbook(&r.title, &rows)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        _ => return Err(AppError::NotFound.into()),
    };
    let disposition = format!("attachment; filename=\"ronde-{}.{}\"", p.round, p.format);
    Ok(([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct HandoffForm {
    indicator: Option<i64>,
    question: String,
    area: String,
    period: String,
}

/// Records the score on one statement, over everyone who answered, as a draft measurement of
/// an end-user indicator: the sum of the scores over n, so the indicator's own rules apply.
async fn to_measurement(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, round)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let form: HandoffForm = body.parse()?;
    let Some(indicator) = form.indicator else { return Err(AppError::Invalid(domain::Invalid::single("indicator", "err.required")).into()) };
    let r = state.db.round(c.id, round).await?;
    if !domain::scan::is_published(&r.closes, &crate::today()) {
        return Err(AppError::Invalid(domain::Invalid::single("question", "withheld.after_close")).into());
    }
    let all = state.db.answers(c.id, round).await?;
    let indicator = state.indicator(c.id, indicator).await?;
    let q = r.template.questions().map(|(_, q)| q).find(|q| q.key == form.question && q.kind == QuestionKind::Scale);
    let min = domain::scan::minimum(r.min_group, state.floors().min_group);
    let parts = q.zip(select(&all, Filter::All, min)).and_then(|(q, rs)| domain::scan::score_parts(q, &rs, min));
    let Some(parts) = parts else { return Err(AppError::Invalid(domain::Invalid::single("question", "err.too_few_answers")).into()) };
    let input = domain::indicator::MeasurementInput {
        area: form.area,
        period: form.period,
        numerator: parts.numerator.to_string(),
        denominator: parts.denominator.unwrap_or_default().to_string(),
    };
    let m = domain::indicator::Measurement::parse(&input, indicator.content.kind, indicator.content.period_type)?;
    state.db.save_measurements_as(&actor(&visitor, origin), c.id, indicator.id, &[m], role.allows(Action::Manage)).await?;
    Ok(see_other(&format!("/samenwerkingen/{id}/indicatoren/{}#metingen", indicator.id)))
}
