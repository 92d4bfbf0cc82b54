//! The web layer: server-rendered pages (`html`) and the JSON API (`api`) over the same
//! domain and store. Handlers stay thin: extract, parse into a domain type, call the store,
//! render. Security that holds for every route (headers, cross-site refusal, sessions) lives
//! in `security` and `session`, so no handler can forget it.

pub mod access;
pub mod accounts;
pub mod api;
pub mod assets;
pub mod body;
pub mod case_review;
pub mod collaboration;
pub mod company;
pub mod error;
pub mod example;
pub mod finance;
pub mod form;
pub mod health;
pub mod html;
pub mod i18n;
pub mod import;
pub mod indicator;
pub mod journey;
pub mod meeting;
pub mod password;
pub mod publication;
pub mod refusals;
pub mod routes;
pub mod scan;
pub mod scope;
pub mod security;
pub mod session;
pub mod survey_limits;
pub mod throttle;
pub mod tokens;
pub mod xlsx;

use axum::Router;
use std::sync::Arc;
use store::Db;

/// Settings the operator chooses at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Trust the first address in `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_proxy: bool,
    /// The publication floors no indicator, scan round or case-review minimum may go below.
    pub floors: domain::measure::Floors,
    /// The largest upload (file or request body) an import accepts, in bytes.
    pub max_upload: usize,
    /// How many refused requests on collaboration routes the audit log takes one by one.
    pub refusal_audit: refusals::Limits,
    /// How many answers a questionnaire link takes in a window, per link and per client.
    pub answers: survey_limits::Limits,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            trust_proxy: false,
            floors: domain::measure::Floors::default(),
            max_upload: import::MAX_UPLOAD,
            refusal_audit: refusals::Limits::default(),
            answers: survey_limits::Limits::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Whether the storage took the latest writes, for `/healthz`.
    pub health: Arc<health::WriteHealth>,
    /// What this process wrote of refused requests, to bound it.
    pub refusals: Arc<refusals::Recorder>,
    /// The answers this process took per questionnaire link and client, to limit them.
    pub answers: Arc<survey_limits::Counter>,
    pub publications: Arc<publication::Publications>,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> AppState {
        let refusals = Arc::new(refusals::Recorder::new(config.refusal_audit));
        let answers = Arc::new(survey_limits::Counter::new(config.answers));
        AppState { db, config: Arc::new(config), health: Arc::default(), refusals, answers, publications: Arc::default() }
    }

    pub fn floors(&self) -> &domain::measure::Floors {
        &self.config.floors
    }

    /// An indicator with its publication rules lifted to the instance's floors: what every
    /// page, export and API answer publishes by, whatever was stored before.
    pub async fn indicator(&self, c: domain::ids::CollaborationId, id: i64) -> Result<store::indicator::Indicator, store::StoreError> {
        let mut i = self.db.indicator(c, id).await?;
        i.content.rules = i.content.rules.at_least(self.floors());
        Ok(i)
    }

    /// The collaboration's indicators, each with its rules lifted to the floors.
    pub async fn indicators(&self, c: domain::ids::CollaborationId) -> Result<Vec<store::indicator::Indicator>, store::StoreError> {
        let mut all = self.db.indicators(c).await?;
        for i in &mut all {
            i.content.rules = i.content.rules.at_least(self.floors());
        }
        Ok(all)
    }
}

/// Every route of the application, with the security layers around them.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(html::routes().into_router())
        .merge(api::routes().into_router())
        .merge(assets::routes().into_router())
        .fallback(html::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), api::idempotency::replay))
        .layer(axum::middleware::from_fn_with_state(state.clone(), health::record))
        .layer(axum::middleware::from_fn(security::refuse_control_characters))
        .layer(axum::middleware::from_fn(html::render_error_pages))
        .layer(axum::middleware::from_fn(api::problems))
        .layer(axum::middleware::from_fn(security::refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(state.clone(), refusals::record))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Every route the application answers, as (method, path): the authorisation matrix test
/// walks this list, so a route added without a row in the matrix fails that test.
pub fn route_list() -> Vec<(axum::http::Method, &'static str)> {
    let mut all = html::routes().list();
    all.extend(api::routes().list());
    all.extend(assets::routes().list());
    all
}

/// Today's date in the Netherlands as YYYY-MM-DD, the form in which dates are stored and
/// compared.
pub fn today() -> String {
    i18n::today()
}
