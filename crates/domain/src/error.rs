//! Validation errors as the user sees them: which field, and a message key that the web layer
//! turns into Dutch or English. Every parser collects all errors instead of stopping at one.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    /// A key in the message catalogue, such as `err.required`.
    pub code: &'static str,
    /// What the message's `{value}` stands for, such as the floor a number may not go below.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For a field of repeated rows (a table in a form), the row it is about, counted from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
#[error("invalid input: {errors:?}")]
pub struct Invalid {
    pub errors: Vec<FieldError>,
}

impl Invalid {
    pub fn add(&mut self, field: &'static str, code: &'static str) {
        self.errors.push(FieldError { field, code, value: None, row: None });
    }

    /// An error whose message names a value, such as a floor.
    pub fn add_with(&mut self, field: &'static str, code: &'static str, value: String) {
        self.errors.push(FieldError { field, code, value: Some(value), row: None });
    }

    /// Marks the errors collected since there were `since` of them as being about `row`
    /// (counted from 1) of a repeated field.
    pub fn in_row(&mut self, since: usize, row: usize) {
        for e in self.errors.iter_mut().skip(since) {
            e.row = Some(row);
        }
    }

    /// The first error on `field`.
    pub fn error_for(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }

    pub fn single(field: &'static str, code: &'static str) -> Self {
        Invalid { errors: vec![FieldError { field, code, value: None, row: None }] }
    }

    /// `Ok(value)` when no error was collected.
    pub fn or<T>(self, value: T) -> Result<T, Invalid> {
        if self.errors.is_empty() { Ok(value) } else { Err(self) }
    }

    /// These errors found before `parsed` was validated (such as refused characters), joined
    /// with its own: `parsed` stands only when there were none. A field keeps the first error.
    pub fn before<T>(mut self, parsed: Result<T, Invalid>) -> Result<T, Invalid> {
        match parsed {
            Ok(value) if self.errors.is_empty() => Ok(value),
            Ok(_) => Err(self),
            Err(more) => {
                for e in more.errors {
                    if self.error_for(e.field).is_none() {
                        self.errors.push(e);
                    }
                }
                Err(self)
            }
        }
    }

    pub fn for_field(&self, field: &str) -> Option<&'static str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.code)
    }
}

/// Whether `text` holds a control character that no field takes: NUL, the other C0 and C1
/// controls and DEL. Tab, line feed and carriage return pass (multi-line fields hold them; a
/// single-line field's own parser trims or refuses them).
pub fn has_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Trims `raw` and checks it is present and at most `max` characters.
pub fn required_text(errors: &mut Invalid, field: &'static str, raw: &str, max: usize) -> String {
    let text = raw.trim().to_string();
    if text.is_empty() {
        errors.add(field, "err.required");
    } else if text.chars().count() > max {
        errors.add(field, "err.too_long");
    }
    text
}

/// Trims `raw`; an empty value is allowed, a value above `max` characters is not.
pub fn optional_text(errors: &mut Invalid, field: &'static str, raw: &str, max: usize) -> String {
    let text = raw.trim().to_string();
    if text.chars().count() > max {
        errors.add(field, "err.too_long");
    }
    text
}

/// A whole number from 1 to `max`, or nothing when the field is empty.
pub fn optional_count(errors: &mut Invalid, field: &'static str, raw: &str, max: u32) -> Option<u32> {
    match raw.trim() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => Some(n),
            _ => {
                errors.add(field, "err.number");
                None
            }
        },
    }
}

/// The id of a chosen record, or nothing when the field is empty. Whether the record exists
/// and belongs to the collaboration is the store's to check.
pub fn optional_id(errors: &mut Invalid, field: &'static str, raw: &str) -> Option<i64> {
    match raw.trim() {
        "" => None,
        text => text.parse::<i64>().map_err(|_| errors.add(field, "err.choice")).ok(),
    }
}

/// Parses a code from a closed list, recording `err.choice` when it is not on the list.
pub fn choice<T>(errors: &mut Invalid, field: &'static str, raw: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    let parsed = parse(raw.trim());
    if parsed.is_none() {
        errors.add(field, "err.choice");
    }
    parsed
}

/// A light e-mail check: one `@`, something on both sides, a dot in the domain, no spaces.
pub fn email(errors: &mut Invalid, field: &'static str, raw: &str, required: bool) -> String {
    let text = raw.trim().to_lowercase();
    if text.is_empty() {
        if required {
            errors.add(field, "err.required");
        }
        return text;
    }
    let valid = text.len() <= 254
        && !text.contains(char::is_whitespace)
        && text.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@')
        });
    if !valid {
        errors.add(field, "err.email");
    }
    text
}

/// Deserialises an optional number from JSON (a number or null) or from a form (a string,
/// where an empty string means none), so one input type serves the API and the pages.
pub fn lenient_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr + TryFrom<i64>,
{
    struct Visitor<T>(std::marker::PhantomData<T>);
    impl<'de, T: std::str::FromStr + TryFrom<i64>> serde::de::Visitor<'de> for Visitor<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number, or nothing")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            T::try_from(v).map(Some).map_err(|_| E::custom("number out of range"))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            let v = i64::try_from(v).map_err(|_| E::custom("number out of range"))?;
            self.visit_i64(v)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            v.parse().map(Some).map_err(|_| E::custom("not a whole number"))
        }
    }
    deserializer.deserialize_option(Visitor(std::marker::PhantomData))
}

/// Deserialises a checkbox: `true`/`on`/`1` from a form, or a JSON boolean.
pub fn lenient_bool<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("true or false")
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
            match v {
                "true" | "on" | "1" => Ok(true),
                "false" | "off" | "0" | "" => Ok(false),
                _ => Err(E::custom("not true or false")),
            }
        }
    }
    deserializer.deserialize_any(Visitor)
}
