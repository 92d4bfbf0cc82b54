//! Server-rendered pages. Most pages are one of three generic views (a form, a table, a
//! confirmation), filled by the handler modules below; only pages with a shape of their own
//! (the collaboration overview, sign-in, second factor) have their own template.

pub mod account;
pub mod admin;
pub mod agreement;
pub mod audit;
pub mod auth;
pub mod body;
pub mod breakthrough;
pub mod case_review;
pub mod collaboration;
pub mod company;
pub mod cycle;
pub mod example;
pub mod finance;
pub mod four_eyes;
pub mod import;
pub mod indicator;
pub mod journey;
pub mod legal;
pub mod meeting;
pub mod member;
pub mod obstacle;
pub mod perspective;
pub mod programme;
pub mod responsibility;
pub mod scan;
pub mod scope;
pub mod views;
pub mod vision;

pub use crate::access::collaboration_access;
use crate::error::{AppError, ErrorPage, PageError};
use crate::i18n::Lang;
use crate::routes::Routes;
use askama::Template;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use domain::access::Role;
use domain::collaboration::Collaboration;
pub use views::*;

pub type PageResult = Result<Response, PageError>;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        PageError(self).into_response()
    }
}

pub fn routes() -> Routes {
    Routes::new()
        .merge(auth::routes())
        .merge(account::routes())
        .merge(admin::routes())
        .merge(collaboration::routes())
        .merge(company::routes())
        .merge(member::routes())
        .merge(audit::routes())
        .merge(journey::routes())
        .merge(example::routes())
        .merge(obstacle::routes())
        .merge(legal::routes())
        .merge(responsibility::routes())
        .merge(agreement::routes())
        .merge(vision::routes())
        .merge(body::routes())
        .merge(meeting::routes())
        .merge(scan::routes())
        .merge(indicator::routes())
        .merge(import::routes())
        .merge(cycle::routes())
        .merge(case_review::routes())
        .merge(programme::routes())
        .merge(finance::routes())
        .merge(four_eyes::routes())
        .merge(breakthrough::routes())
        .merge(scope::routes())
}

/// What every page shows around its content: language, who is signed in, and the
/// collaboration it belongs to.
pub struct Page {
    pub lang: Lang,
    pub title: String,
    pub user: Option<store::user::User>,
    pub collab: Option<CollabNav>,
    /// The navigation entry to mark as current.
    pub current: &'static str,
    /// Only sign-out is offered: the visitor must finish setting up a second factor first.
    pub setup_only: bool,
}

pub struct CollabNav {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

impl CollabNav {
    pub fn can_edit(&self) -> bool {
        self.role.allows(domain::access::Action::Edit)
    }
    pub fn can_manage(&self) -> bool {
        self.role.allows(domain::access::Action::Manage)
    }
    pub fn role_label(&self, lang: &Lang) -> String {
        lang.label("role", self.role.code())
    }
}

/// One of the guide's five stages in the collaboration's menu, with the pages that serve it.
pub struct NavGroup {
    pub label: String,
    /// Open when it holds the current page.
    pub open: bool,
    pub links: Vec<NavLink>,
}

pub struct NavLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// The collaboration's pages by the guide's five stages: (stage label key, [(current key,
/// path below the collaboration, label key)]).
pub(crate) type NavEntry = (&'static str, &'static str, &'static str);

pub(crate) const NAV_GROUPS: &[(&str, &[NavEntry])] = &[
    ("nav.stage_plan", &[("vision", "visie", "nav.vision"), ("examples", "voorbeelden", "nav.examples")]),
    (
        "nav.stage_company",
        &[
            ("partners", "partners", "nav.partners"),
            ("people", "personen", "nav.people"),
            ("portfolios", "portefeuilles", "nav.portfolios"),
            ("members", "leden", "nav.members"),
        ],
    ),
    (
        "nav.stage_preparation",
        &[
            ("bodies", "overleg", "nav.bodies"),
            ("agreements", "afspraken", "nav.agreements"),
            ("matrix", "verantwoordelijkheden", "nav.matrix"),
            ("finance", "financien", "nav.finance"),
        ],
    ),
    (
        "nav.stage_underway",
        &[
            ("meetings", "vergaderingen", "nav.meetings"),
            ("programme", "programma", "nav.programme"),
            ("indicators", "indicatoren", "nav.indicators"),
            ("scopes", "werkgebieden", "nav.scopes"),
            ("scans", "scans", "nav.scans"),
            ("case_reviews", "casusbesprekingen", "nav.case_reviews"),
            ("obstacles", "knelpunten", "nav.obstacles"),
        ],
    ),
    ("nav.stage_reflect", &[("cycles", "cycli", "nav.cycles"), ("audit", "logboek", "nav.audit")]),
];

impl Page {
    /// The collaboration's menu in the guide's five stages.
    pub fn nav_groups(&self) -> Vec<NavGroup> {
        let Some(c) = &self.collab else { return Vec::new() };
        NAV_GROUPS
            .iter()
            .map(|(label, links)| {
                let links: Vec<NavLink> = links
                    .iter()
                    .filter(|(key, _, _)| *key != "audit" || c.can_manage())
                    .map(|(key, path, label)| {
                        // A reader reads the case reviews' results; editors start at the list.
                        let path = if *key == "case_reviews" && !c.can_edit() { "casusbesprekingen/resultaten" } else { path };
                        NavLink { href: format!("/samenwerkingen/{}/{path}", c.id), label: self.lang.t(label).to_string(), current: self.current == *key }
                    })
                    .collect();
                NavGroup { label: self.lang.t(label).to_string(), open: links.iter().any(|l| l.current), links }
            })
            .collect()
    }

    pub fn new(lang: Lang, title_key: &str) -> Page {
        Page { lang, title: lang.t(title_key).to_string(), user: None, collab: None, current: "", setup_only: false }
    }

    pub fn user(mut self, user: &store::user::User) -> Page {
        self.user = Some(user.clone());
        self
    }

    pub fn in_collab(mut self, collab: &Collaboration, role: Role, current: &'static str) -> Page {
        self.collab = Some(CollabNav { id: collab.id.0, name: collab.name.clone(), role });
        self.current = current;
        self
    }

    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.lang.t(key)
    }

    pub fn is_current(&self, key: &str) -> bool {
        self.current == key
    }
}

/// Answers an unknown path: problem details under `/api/`, else the error page.
pub async fn not_found(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        crate::error::ApiError(AppError::NotFound).into_response()
    } else {
        PageError(AppError::NotFound).into_response()
    }
}

/// Renders a template into a response, or a logged 500 when rendering fails.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => {
            tracing::error!(%err, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate<'a> {
    page: &'a Page,
    message: &'a str,
    status: u16,
}

/// Turns the `ErrorPage` marker a handler left into a page in the visitor's language.
pub async fn render_error_pages(lang: Lang, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let Some(marker) = response.extensions().get::<ErrorPage>().copied() else { return response };
    let status = response.status();
    let page = Page::new(lang, "error.title");
    let mut message = lang.t(marker.message_key).to_string();
    if let Some(field) = marker.field {
        message = format!("{message} {}", lang.t("error.control_field").replace("{field}", &lang.label("field", field)));
    }
    let mut rendered = render(&ErrorTemplate { page: &page, message: &message, status: status.as_u16() });
    *rendered.status_mut() = status;
    if let Some(retry) = response.headers().get(axum::http::header::RETRY_AFTER) {
        rendered.headers_mut().insert(axum::http::header::RETRY_AFTER, retry.clone());
    }
    rendered
}

/// A redirect after a successful form post (303, so the browser follows with GET).
pub fn see_other(to: &str) -> Response {
    axum::response::Redirect::to(to).into_response()
}
