//! The API keeps its own contract: the OpenAPI document (snapshot in `snapshots/`, so a change
//! shows in review) describes exactly the routes under `/api/v1`, and every answer under
//! `/api/`, also the router's own refusals, is problem+json with `API-Version`.

mod common;

use axum::http::Method;
use common::{Auth, HOST, TestApp, web};
use std::collections::BTreeSet;
use utoipa::OpenApi;

fn document() -> serde_json::Value {
    serde_json::to_value(web::api::meta::ApiDoc::openapi()).expect("document as JSON")
}

#[test]
fn the_openapi_document_is_as_reviewed() {
    let pretty = serde_json::to_string_pretty(&document()).expect("pretty");
    insta::assert_snapshot!("openapi", pretty);
}

#[test]
fn the_document_describes_exactly_the_api_routes() {
    let doc = document();
    let mut described = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            described.insert((method.to_uppercase(), format!("/api/v1{path}")));
        }
    }
    let routes: BTreeSet<(String, String)> = web::route_list()
        .into_iter()
        .filter(|(_, path)| path.starts_with("/api/") && *path != "/api/v1/openapi.json")
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let undocumented: Vec<_> = routes.difference(&described).collect();
    let phantom: Vec<_> = described.difference(&routes).collect();
    assert!(undocumented.is_empty(), "API routes missing from the OpenAPI document: {undocumented:?}");
    assert!(phantom.is_empty(), "operations in the document without a route: {phantom:?}");
}

#[test]
fn every_operation_lists_its_errors_as_problems_with_the_version_header() {
    let doc = document();
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let id = op["operationId"].as_str().expect("operationId").to_string();
            assert!(ids.insert(id.clone()), "operationId {id} twice");
            let responses = op["responses"].as_object().expect("responses");
            for status in ["500", "503"] {
                assert!(responses.contains_key(status), "{method} {path} lists no {status}");
            }
            if op["security"] != serde_json::json!([{}]) {
                assert!(responses.contains_key("401"), "{method} {path} lists no 401");
            }
            if path.contains('{') {
                assert!(responses.contains_key("404") && responses.contains_key("400"), "{method} {path} lists no 400/404");
            }
            for (status, response) in responses {
                assert!(response["headers"]["API-Version"].is_object(), "{method} {path} {status} declares no API-Version");
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(response["content"]["application/problem+json"].is_object(), "{method} {path} {status} is not problem+json");
                }
            }
        }
    }
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    assert_eq!(doc["info"]["version"], web::api::VERSION);
    for field in ["name", "email", "url"] {
        assert!(doc["info"]["contact"][field].is_string(), "info.contact.{field} missing");
    }
}

fn assert_problem(reply: &common::Reply, status: u16) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.body);
    assert_eq!(reply.header("content-type"), "application/problem+json");
    assert_eq!(reply.header("api-version"), web::api::VERSION);
    let problem = reply.json();
    assert_eq!(problem["status"], status);
    assert!(problem["title"].is_string() && problem["detail"].is_string(), "{problem}");
}

#[tokio::test]
async fn the_routers_own_refusals_under_api_are_problems() {
    let app = TestApp::new().await;
    let user = app.user("lid@a.example").await;
    let c = app.collaboration("Alfa", &user).await;
    let token = Auth::Token(app.token(&user).await);

    // A path parameter of the wrong type.
    let reply = app.send(Method::GET, "/api/v1/samenwerkingen/abc/partners", &token, None).await;
    assert_problem(&reply, 400);
    assert_eq!(reply.json()["invalidParams"][0]["name"], "path");

    // A query parameter of the wrong type.
    let reply =
        app.send(Method::POST, &format!("/api/v1/samenwerkingen/{}/metingen/import?vervangen=misschien", c.0), &token, Some(("text/csv", "x".into()))).await;
    assert_problem(&reply, 400);
    assert_eq!(reply.json()["invalidParams"][0]["name"], "query");

    // A method the path does not have: 405 with Allow.
    let reply = app.send(Method::PATCH, &format!("/api/v1/samenwerkingen/{}", c.0), &token, Some(("application/json", "{}".into()))).await;
    assert_problem(&reply, 405);
    assert!(reply.header("allow").contains("GET") && reply.header("allow").contains("PUT"), "{}", reply.header("allow"));

    // A path the API does not have.
    assert_problem(&app.send(Method::GET, "/api/v1/bestaat-niet", &token, None).await, 404);
    assert_problem(&app.send(Method::GET, "/api/v2/samenwerkingen", &token, None).await, 404);

    // A request another site started.
    let partner = serde_json::json!({"name": "P", "sector": "mbo", "ring": "binnenring"}).to_string();
    let path = format!("/api/v1/samenwerkingen/{}/partners", c.0);
    let reply = app
        .send_with(
            Method::POST,
            &path,
            &token,
            Some(("application/json", partner.clone())),
            &[("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_problem(&reply, 403);
    assert!(app.db.partners(c).await.expect("partners").is_empty());

    // A write without token and without browser headers: not a cross-site request, but no
    // caller either.
    let reply = app.send_with(Method::POST, &path, &Auth::None, Some(("application/json", partner.clone())), &[]).await;
    assert_problem(&reply, 401);
    assert_eq!(reply.header("www-authenticate"), "Bearer");

    // The same with a token and no browser headers goes through, as any API client sends it.
    let reply = app.send_with(Method::POST, &path, &token, Some(("application/json", partner)), &[]).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.body);
    assert_eq!(reply.header("api-version"), web::api::VERSION);

    // A body over the limit.
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    assert_problem(&app.send(Method::POST, &path, &token, Some(("application/json", big))).await, 413);

    // Pages keep their own error pages, and cross-site form posts their plain refusal.
    let reply = app.send(Method::GET, "/bestaat-niet", &Auth::Cookie(app.session(&user).await), None).await;
    assert_eq!(reply.status.as_u16(), 404);
    assert!(reply.header("content-type").starts_with("text/html"));
    let reply = app.send_with(Method::POST, "/uitloggen", &Auth::None, None, &[("origin", "https://evil.example"), ("host", HOST)]).await;
    assert_eq!(reply.status.as_u16(), 403);
    assert!(reply.header("api-version").is_empty());
}
