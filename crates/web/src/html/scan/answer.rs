//! Answering a self-scan: the questionnaire behind an invitation link, anonymous and without
//! signing in.

use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::{Page, PageResult, choices, render};
use crate::i18n::Lang;
use crate::scan::take_answer;
use crate::security::ClientOrigin;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::partner::Sector;
use domain::scan::{Audience, QuestionKind, RespondentLevel, answers_from_form, check_response};
use store::scan::{Refusal, Round};

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

pub(super) async fn questionnaire(State(state): State<AppState>, lang: Lang, Path(token): Path<String>) -> PageResult {
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

pub(super) async fn answer(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(client): ClientOrigin,
    Path(token): Path<String>,
    body: FormBody,
) -> PageResult {
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
