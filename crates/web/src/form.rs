//! Reading form posts. Browsers send repeated keys for checkboxes (`roles=a&roles=b`), which
//! `serde_html_form` reads into a `Vec`; axum's own `Form` cannot.

use crate::AppState;
use crate::error::{AppError, PageError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// The raw body of a form post, parsed on demand (a handler may read it as several types).
pub struct FormBody(pub Bytes);

impl FromRequest<AppState> for FormBody {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<FormBody, PageError> {
        let bytes = Bytes::from_request(request, state).await.map_err(|_| AppError::Invalid(domain::Invalid::single("form", "err.form")))?;
        Ok(FormBody(bytes))
    }
}

impl FormBody {
    /// Reads the form as `T`. A value with a control character (NUL and the like) is refused
    /// here for every form, naming the field, before any handler or database sees it.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        let pairs: Vec<(String, String)> = serde_html_form::from_bytes(&self.0).map_err(|_| AppError::Invalid(domain::Invalid::single("form", "err.form")))?;
        if let Some((name, _)) = pairs.iter().find(|(name, value)| domain::error::has_control(name) || domain::error::has_control(value)) {
            return Err(AppError::Invalid(domain::Invalid::single(field_name(name), "err.control")));
        }
        serde_html_form::from_bytes(&self.0).map_err(|_| AppError::Invalid(domain::Invalid::single("form", "err.form")))
    }

    /// Reads the form as `T` for a handler that shows the form again when it is refused: a
    /// value with a control character comes back with each such character replaced by U+FFFD
    /// (so the form shows where it was), and its field is named in the `Invalid` beside it
    /// (`err.control`). The handler must refuse the input when that is not empty; it does so by
    /// validating through [`domain::Invalid::before`], so nothing with such a value is stored.
    pub fn parse_kept<T: DeserializeOwned>(&self) -> Result<(T, domain::Invalid), AppError> {
        let malformed = || AppError::Invalid(domain::Invalid::single("form", "err.form"));
        let pairs: Vec<(String, String)> = serde_html_form::from_bytes(&self.0).map_err(|_| malformed())?;
        let mut control = domain::Invalid::default();
        if !pairs.iter().any(|(name, value)| domain::error::has_control(name) || domain::error::has_control(value)) {
            return Ok((serde_html_form::from_bytes(&self.0).map_err(|_| malformed())?, control));
        }
        let mut kept = Vec::with_capacity(pairs.len());
        for (name, value) in pairs {
            if domain::error::has_control(&name) {
                // A made-up field name is no field of the form: refuse the whole form.
                return Err(AppError::Invalid(domain::Invalid::single("form", "err.control")));
            }
            if domain::error::has_control(&value) {
                let field = field_name(&name);
                if control.error_for(field).is_none() {
                    control.add(field, "err.control");
                }
                let shown = value.chars().map(|c| if domain::error::has_control(c.encode_utf8(&mut [0; 4])) { '\u{FFFD}' } else { c }).collect();
                kept.push((name, shown));
            } else {
                kept.push((name, value));
            }
        }
        let text = serde_html_form::to_string(&kept).map_err(|_| malformed())?;
        Ok((serde_html_form::from_str(&text).map_err(|_| malformed())?, control))
    }

    /// The `version` a form was based on (hidden field), for optimistic locking.
    pub fn version(&self) -> Result<i64, AppError> {
        #[derive(serde::Deserialize)]
        struct Versioned {
            version: i64,
        }
        Ok(self.parse::<Versioned>()?.version)
    }
}

/// A field name sent by a client as a `'static` name for an error. The names a form of ours
/// sends are few; past a bound (or for a long or odd name) the error names "form" instead, so
/// a client making up names cannot grow the set without limit.
pub fn field_name(name: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    const MAX_NAMES: usize = 2048;
    if name.is_empty() || name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']')) {
        return "form";
    }
    let Ok(mut guard) = NAMES.lock() else { return "form" };
    let names = guard.get_or_insert_with(HashSet::new);
    if let Some(known) = names.get(name) {
        return known;
    }
    if names.len() >= MAX_NAMES {
        return "form";
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// The first string in a JSON value (keys included) with a control character, as the name of
/// the top-level field that holds it.
pub fn json_control(value: &serde_json::Value) -> Option<&'static str> {
    fn walk(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::String(s) => domain::error::has_control(s),
            serde_json::Value::Array(items) => items.iter().any(walk),
            serde_json::Value::Object(map) => map.iter().any(|(k, v)| domain::error::has_control(k) || walk(v)),
            _ => false,
        }
    }
    match value {
        serde_json::Value::Object(map) => map.iter().find(|(k, v)| domain::error::has_control(k) || walk(v)).map(|(k, _)| field_name(k)),
        other => walk(other).then_some("body"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_character_in_any_value_names_its_field() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Input {
            name: String,
            notes: String,
        }
        let form = FormBody(Bytes::from_static(b"name=a%00b&notes=regel+1%0D%0Aregel+2%09x"));
        match form.parse::<Input>() {
            Err(AppError::Invalid(invalid)) => assert_eq!(invalid.for_field("name"), Some("err.control")),
            other => panic!("{other:?}"),
        }
        let fine = FormBody(Bytes::from_static(b"name=ab&notes=regel+1%0D%0Aregel+2%09x"));
        assert!(fine.parse::<Input>().is_ok(), "tab and line breaks pass");
        let json: serde_json::Value = serde_json::from_str(r#"{"name":"ok","roles":["a","b\u0000"]}"#).expect("json");
        assert_eq!(json_control(&json), Some("roles"));
        assert_eq!(field_name("x y"), "form");
    }

    #[test]
    fn a_form_kept_for_showing_again_marks_the_character_and_names_its_field() {
        #[derive(serde::Deserialize, Debug)]
        struct Input {
            name: String,
            notes: String,
        }
        let form = FormBody(Bytes::from_static(b"name=Op%00vang%07&notes=regel+1%0D%0Aregel+2"));
        let (input, control) = form.parse_kept::<Input>().expect("kept");
        assert_eq!(input.name, "Op\u{FFFD}vang\u{FFFD}");
        assert_eq!(input.notes, "regel 1\r\nregel 2");
        assert_eq!(control.for_field("name"), Some("err.control"));
        assert!(control.before(Ok::<_, domain::Invalid>(1)).is_err(), "a kept form with a control character is never valid");
        let (_, clean) = FormBody(Bytes::from_static(b"name=a&notes=b")).parse_kept::<Input>().expect("clean");
        assert_eq!(clean.before(Ok::<_, domain::Invalid>(1)), Ok(1));
    }
}
