//! Static assets, embedded in the binary: the NL Design System component CSS (from npm, at
//! build time) and our own neutral theme and layout (`assets/app.css`).

use crate::routes::Routes;
use axum::http::header;
use axum::response::IntoResponse;

const UTRECHT_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/utrecht.css"));
const APP_CSS: &str = include_str!("../assets/app.css");

pub fn routes() -> Routes {
    Routes::new().get("/static/utrecht.css", utrecht_css).get("/static/app.css", app_css)
}

fn css(body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], body)
}

async fn utrecht_css() -> impl IntoResponse {
    css(UTRECHT_CSS)
}

async fn app_css() -> impl IntoResponse {
    css(APP_CSS)
}
