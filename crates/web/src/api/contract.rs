//! What holds for every operation in the OpenAPI document, added in one place instead of in
//! each handler's annotation: the error answers an operation can give (as problem+json), the
//! `API-Version` header on every answer, an operation id made from method and path, paths
//! relative to the server `/api/v1`, and who to contact.
//!
//! Which errors an operation lists follows from what the shared code answers:
//! - 400: it reads path, query or header parameters or a body (a value of the wrong type, or
//!   invalid input);
//! - 401: it needs a token; 403: it needs a role, or it writes (a request from another site
//!   is refused);
//! - 404: it names an object in its path; 409: it writes (a stale version or a taken value);
//! - 413: it reads a body; 428: it needs `If-Match`;
//! - 500 and 503: any operation, when the server or its database fails.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{Content, HttpMethod, OpenApi, Ref, RefOr, Response, Server};

/// Where the API lives; the document's paths are relative to it.
pub const BASE: &str = "/api/v1";

pub const PROBLEM: &str = "application/problem+json";

pub struct Contract;

impl utoipa::Modify for Contract {
    fn modify(&self, openapi: &mut OpenApi) {
        openapi.servers = Some(vec![Server::new(BASE)]);
        openapi.info.version = super::VERSION.to_string();
        openapi.info.contact = Some(
            utoipa::openapi::ContactBuilder::new()
                .name(Some("Beheer van Reisgenoot"))
                .email(Some("beheer@reisgenoot.example"))
                .url(Some("https://reisgenoot.example/api/v1/openapi.json"))
                .build(),
        );
        let paths = std::mem::take(&mut openapi.paths.paths);
        for (path, mut item) in paths {
            let Some(relative) = path.strip_prefix(BASE) else { continue };
            for (method, operation) in operations(&mut item) {
                operation.operation_id = Some(operation_id(&method, relative));
                add_errors(&method, operation);
                for response in operation.responses.responses.values_mut() {
                    if let RefOr::T(response) = response {
                        version_header(response);
                    }
                }
            }
            openapi.paths.paths.insert(relative.to_string(), item);
        }
    }
}

fn operations(item: &mut utoipa::openapi::PathItem) -> Vec<(HttpMethod, &mut Operation)> {
    [
        (HttpMethod::Get, item.get.as_mut()),
        (HttpMethod::Post, item.post.as_mut()),
        (HttpMethod::Put, item.put.as_mut()),
        (HttpMethod::Delete, item.delete.as_mut()),
        (HttpMethod::Patch, item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.map(|op| (m, op)))
    .collect()
}

/// `get` + `/samenwerkingen/{id}/wie-missen-we-nog` → `getSamenwerkingenIdWieMissenWeNog`.
fn operation_id(method: &HttpMethod, path: &str) -> String {
    let verb = match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Put => "put",
        HttpMethod::Delete => "delete",
        HttpMethod::Patch => "patch",
        _ => "call",
    };
    let mut id = verb.to_string();
    for word in path.split(['/', '-', '_', '{', '}']).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            id.extend(first.to_uppercase());
            id.push_str(chars.as_str());
        }
    }
    id
}

fn is_public(operation: &Operation) -> bool {
    operation.security.as_ref().is_some_and(|all| all.iter().any(|req| serde_json::to_value(req).is_ok_and(|v| v == serde_json::json!({}))))
}

fn add_errors(method: &HttpMethod, operation: &mut Operation) {
    let params = operation.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
    let if_match = params.iter().any(|p| p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case("if-match"));
    let writes = !matches!(method, HttpMethod::Get);
    let body = operation.request_body.is_some();
    let public = is_public(operation);
    let mut add = |status: u16, description: &str, when: bool| {
        if when {
            operation.responses.responses.entry(status.to_string()).or_insert_with(|| RefOr::T(Response::new(description)));
        }
    };
    add(400, "Ongeldige invoer: een waarde van het verkeerde type in pad, parameters of inhoud", body || !params.is_empty());
    add(401, "Geen geldig API-token", !public);
    add(403, "Uw rol staat dit niet toe, of het verzoek komt van een andere site", !public || writes);
    add(404, "Het object bestaat niet, of u hebt er geen toegang toe", has(ParameterIn::Path));
    add(409, "Gewijzigd sinds u het las, of het botst met wat al bestaat", writes);
    add(413, "De inhoud is te groot", body);
    add(428, "If-Match ontbreekt", if_match);
    add(500, "Er ging aan de kant van de server iets mis", true);
    add(503, "De database is nu niet bereikbaar", true);
    for (status, response) in operation.responses.responses.iter_mut() {
        let is_error = status.starts_with('4') || status.starts_with('5');
        if let (true, RefOr::T(response)) = (is_error, response) {
            as_problem(response);
        }
    }
}

/// An error answer is problem+json: a plain problem refers to `ProblemDetails`, a richer one
/// keeps its own schema (which carries status, title and detail too).
fn as_problem(response: &mut Response) {
    let schema = response.content.values().find_map(|c| c.schema.clone());
    let schema = match schema {
        Some(RefOr::Ref(r)) if r.ref_location.ends_with("/ProblemDetails") || r.ref_location.ends_with("/Problem") => None,
        other => other,
    };
    let schema = schema.unwrap_or_else(|| RefOr::Ref(Ref::from_schema_name("ProblemDetails")));
    response.content.clear();
    response.content.insert(PROBLEM.to_string(), Content::new(Some(schema)));
}

fn version_header(response: &mut Response) {
    let schema = utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String).examples([super::VERSION]).build();
    let mut header = utoipa::openapi::header::Header::new(schema);
    header.description = Some("De volledige versie van de API (semver)".into());
    response.headers.insert("API-Version".into(), header);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_follow_method_and_path() {
        assert_eq!(operation_id(&HttpMethod::Get, "/samenwerkingen/{id}/wie-missen-we-nog"), "getSamenwerkingenIdWieMissenWeNog");
        assert_eq!(operation_id(&HttpMethod::Put, "/samenwerkingen/{id}/partners/{item}"), "putSamenwerkingenIdPartnersItem");
    }
}
