//! What holds for every route: strict response headers, and refusal of state-changing
//! requests that another site started (CSRF).
//!
//! Cross-site refusal uses what browsers send on every request: `Sec-Fetch-Site` and
//! `Origin`. A POST whose `Sec-Fetch-Site` is not `same-origin`/`none`, or whose `Origin` names
//! another host, is refused with 403. A cookie-authenticated POST with neither header is
//! refused too, since every current browser sends at least one. Together with SameSite=Lax
//! session cookies this needs no token in the forms. API calls authenticate with a bearer
//! token, which a browser never attaches by itself, so they carry no ambient authority: under
//! `/api/` only a request that shows it comes from another site is refused (403
//! problem+json), and one without either header goes on to the handler, which answers 401
//! without a valid token.

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::net::SocketAddr;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub async fn headers(request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if is_api {
        h.insert("api-version", HeaderValue::from_static(crate::api::VERSION));
    }
    response
}

/// Answers whether a state-changing request comes from this site itself.
pub fn same_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if let Some(site) = fetch_site
        && site != "same-origin"
        && site != "none"
    {
        return false;
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    if let Some(origin) = origin {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        return !host.is_empty() && origin_host.eq_ignore_ascii_case(host);
    }
    if headers.contains_key(header::AUTHORIZATION) {
        return true;
    }
    fetch_site.is_some()
}

/// Answers whether the request's own headers say another site started it.
fn shows_cross_site(headers: &HeaderMap) -> bool {
    let mut plain = headers.clone();
    plain.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer"));
    !same_site(&Method::POST, &plain)
}

pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if same_site(request.method(), request.headers()) {
        return next.run(request).await;
    }
    if request.uri().path().starts_with("/api/") {
        if shows_cross_site(request.headers()) {
            let mut refused = crate::error::problem(StatusCode::FORBIDDEN, "error.cross_site", None);
            refused.extensions_mut().insert(crate::refusals::CrossSiteRefused);
            return refused;
        }
        return next.run(request).await;
    }
    let mut refused = (StatusCode::FORBIDDEN, "Cross-site request refused").into_response();
    refused.extensions_mut().insert(crate::refusals::CrossSiteRefused);
    refused
}

/// Decodes `%XX` escapes (a malformed one is kept as it is).
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Refuses a request whose path or query holds a control character once decoded (`%00` and
/// the like): a path answers 404, a query 400, as a page or as problem+json, before any
/// handler or database sees the text.
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let refusal = if domain::error::has_control(&percent_decode(uri.path())) {
        Some(crate::error::AppError::NotFound)
    } else if uri.query().is_some_and(|q| domain::error::has_control(&percent_decode(&q.replace('+', " ")))) {
        Some(crate::error::AppError::Invalid(domain::Invalid::single("query", "err.control")))
    } else {
        None
    };
    match refusal {
        None => next.run(request).await,
        Some(err) if uri.path().starts_with("/api/") => crate::error::ApiError(err).into_response(),
        Some(err) => crate::error::PageError(err).into_response(),
    }
}

/// Where a request comes from, for the audit log and throttling: the peer address, or the
/// first `X-Forwarded-For` address when the operator said a proxy sets it.
#[derive(Debug, Clone)]
pub struct ClientOrigin(pub String);

impl FromRequestParts<crate::AppState> for ClientOrigin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &crate::AppState) -> Result<ClientOrigin, Infallible> {
        if state.config.trust_proxy
            && let Some(forwarded) = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
            && let Some(first) = forwarded.split(',').next()
        {
            return Ok(ClientOrigin(first.trim().to_string()));
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
        Ok(ClientOrigin(peer.unwrap_or_else(|| "local".to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes_decode_to_the_characters_they_hide() {
        assert!(domain::error::has_control(&percent_decode("/vragenlijst/a%00b")));
        assert!(domain::error::has_control(&percent_decode("/x%c2%85")));
        assert!(!domain::error::has_control(&percent_decode("/zoeken%20x%2")));
    }

    fn h(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn cross_site_posts_are_refused_and_same_site_ones_pass() {
        let post = Method::POST;
        assert!(same_site(&Method::GET, &h(&[("sec-fetch-site", "cross-site")])));
        assert!(same_site(&post, &h(&[("sec-fetch-site", "same-origin"), ("origin", "http://a.nl"), ("host", "a.nl")])));
        assert!(!same_site(&post, &h(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_site(&post, &h(&[("sec-fetch-site", "same-site")])));
        assert!(!same_site(&post, &h(&[("origin", "https://evil.example"), ("host", "a.nl")])));
        assert!(!same_site(&post, &h(&[("host", "a.nl")])));
        assert!(same_site(&post, &h(&[("authorization", "Bearer x"), ("host", "a.nl")])));
        assert!(!same_site(&post, &h(&[("authorization", "Bearer x"), ("origin", "https://evil.example"), ("host", "a.nl")])));
    }

    #[test]
    fn only_requests_that_name_another_site_show_cross_site() {
        assert!(!shows_cross_site(&h(&[("host", "a.nl")])));
        assert!(!shows_cross_site(&h(&[("origin", "http://a.nl"), ("host", "a.nl")])));
        assert!(shows_cross_site(&h(&[("origin", "https://evil.example"), ("host", "a.nl")])));
        assert!(shows_cross_site(&h(&[("sec-fetch-site", "cross-site"), ("host", "a.nl")])));
    }
}
