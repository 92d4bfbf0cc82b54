//! The generic views most pages are made of, with builders that keep handlers short.

use super::{Page, render};
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Email,
    Password,
    Number,
    /// A calendar date: the browser's date picker; the server also reads `12-3-2026`.
    Date,
    /// A time of day: the browser's time picker; the server also reads `9.30`.
    Time,
    Textarea,
    Select,
    Checkboxes,
    Checkbox,
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub kind: FieldKind,
    pub value: String,
    pub choices: Vec<Choice>,
    pub hint: String,
    pub error: String,
    pub required: bool,
    pub autocomplete: &'static str,
}

impl Field {
    pub fn id(&self) -> String {
        format!("f-{}", self.name)
    }
    pub fn is(&self, kind: &str) -> bool {
        let own = match self.kind {
            FieldKind::Text => "text",
            FieldKind::Email => "email",
            FieldKind::Password => "password",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::Time => "time",
            FieldKind::Textarea => "textarea",
            FieldKind::Select => "select",
            FieldKind::Checkboxes => "checkboxes",
            FieldKind::Checkbox => "checkbox",
        };
        own == kind
    }
    pub fn input_type(&self) -> &'static str {
        match self.kind {
            FieldKind::Email => "email",
            FieldKind::Password => "password",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::Time => "time",
            _ => "text",
        }
    }
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.id()));
        }
        if !self.error.is_empty() {
            ids.push(format!("{}-error", self.id()));
        }
        ids.join(" ")
    }
}

/// A form page: title, fields, hidden values and one submit button.
#[derive(Debug, Clone)]
pub struct Form {
    pub action: String,
    pub intro: String,
    pub fields: Vec<Field>,
    pub hidden: Vec<(&'static str, String)>,
    pub submit: String,
    pub cancel: String,
    pub error: String,
}

impl Form {
    pub fn new(action: impl Into<String>, submit: &str) -> Form {
        Form {
            action: action.into(),
            intro: String::new(),
            fields: Vec::new(),
            hidden: Vec::new(),
            submit: submit.to_string(),
            cancel: String::new(),
            error: String::new(),
        }
    }

    fn push(mut self, name: &'static str, label: &str, kind: FieldKind, value: &str, required: bool) -> Form {
        self.fields.push(Field {
            name,
            label: label.to_string(),
            kind,
            value: value.to_string(),
            choices: Vec::new(),
            hint: String::new(),
            error: String::new(),
            required,
            autocomplete: "",
        });
        self
    }

    pub fn text(self, name: &'static str, label: &str, value: &str, required: bool) -> Form {
        self.push(name, label, FieldKind::Text, value, required)
    }
    pub fn email(self, name: &'static str, label: &str, value: &str, required: bool) -> Form {
        self.push(name, label, FieldKind::Email, value, required).autocomplete("email")
    }
    pub fn password(self, name: &'static str, label: &str, autocomplete: &'static str) -> Form {
        self.push(name, label, FieldKind::Password, "", true).autocomplete(autocomplete)
    }
    pub fn number(self, name: &'static str, label: &str, value: &str, required: bool) -> Form {
        self.push(name, label, FieldKind::Number, value, required)
    }
    /// A date field (`<input type="date">`) with the hint how to write one by hand.
    pub fn date(self, page: &Page, name: &'static str, label: &str, value: &str, required: bool) -> Form {
        self.push(name, label, FieldKind::Date, value, required).hint(page.t("form.date_hint"))
    }
    /// A time-of-day field (`<input type="time">`) with the hint how to write one by hand.
    pub fn time(self, page: &Page, name: &'static str, label: &str, value: &str, required: bool) -> Form {
        self.push(name, label, FieldKind::Time, value, required).hint(page.t("form.time_hint"))
    }
    pub fn textarea(self, name: &'static str, label: &str, value: &str) -> Form {
        self.push(name, label, FieldKind::Textarea, value, false)
    }
    pub fn checkbox(self, name: &'static str, label: &str, checked: bool) -> Form {
        self.push(name, label, FieldKind::Checkbox, if checked { "true" } else { "" }, false)
    }
    /// A select; `choices` are (value, label) pairs, `selected` the current value.
    pub fn select(mut self, name: &'static str, label: &str, choices: Vec<(String, String)>, selected: &str, required: bool) -> Form {
        self = self.push(name, label, FieldKind::Select, selected, required);
        if let Some(field) = self.fields.last_mut() {
            field.choices = choices.into_iter().map(|(value, label)| Choice { selected: value == selected, value, label }).collect();
        }
        self
    }
    pub fn checkboxes(mut self, name: &'static str, label: &str, choices: Vec<(String, String)>, selected: &[String]) -> Form {
        self = self.push(name, label, FieldKind::Checkboxes, "", false);
        if let Some(field) = self.fields.last_mut() {
            field.choices = choices.into_iter().map(|(value, label)| Choice { selected: selected.contains(&value), value, label }).collect();
        }
        self
    }
    pub fn hint(mut self, hint: &str) -> Form {
        if let Some(field) = self.fields.last_mut() {
            field.hint = hint.to_string();
        }
        self
    }
    pub fn autocomplete(mut self, value: &'static str) -> Form {
        if let Some(field) = self.fields.last_mut() {
            field.autocomplete = value;
        }
        self
    }
    pub fn hidden(mut self, name: &'static str, value: impl ToString) -> Form {
        self.hidden.push((name, value.to_string()));
        self
    }
    pub fn intro(mut self, text: &str) -> Form {
        self.intro = text.to_string();
        self
    }
    pub fn cancel(mut self, href: impl Into<String>) -> Form {
        self.cancel = href.into();
        self
    }
    /// Puts each validation error next to its field, in the page's language.
    pub fn errors(mut self, page: &Page, invalid: Option<&Invalid>) -> Form {
        if let Some(invalid) = invalid {
            for field in &mut self.fields {
                if let Some(e) = invalid.error_for(field.name) {
                    field.error = page.lang.error(e);
                }
            }
            self.error = page.t("error.invalid").to_string();
        }
        self
    }
    /// A message for the whole form (e.g. a stale version).
    pub fn message(mut self, text: &str) -> Form {
        self.error = text.to_string();
        self
    }
    pub fn errored_fields(&self) -> Vec<&Field> {
        self.fields.iter().filter(|f| !f.error.is_empty()).collect()
    }
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormTemplate<'a> {
    page: &'a Page,
    form: &'a Form,
}

/// Renders a form page; with errors it answers 400 (409 for a conflict), so tests and tools
/// can tell a refused post from a shown form.
pub fn form_page(page: &Page, form: &Form, status: StatusCode) -> Response {
    let mut response = render(&FormTemplate { page, form });
    *response.status_mut() = status;
    response
}

#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub text: String,
    pub href: String,
    /// When set, the cell is a button that posts here (for actions that change something).
    pub action: String,
    /// Shown as a highlighted badge (e.g. "vacant").
    pub flag: bool,
    /// Several links in one cell (edit, delete), each naming the row for screen readers.
    pub links: Vec<Link>,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), ..Default::default() }
    }
    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell { text: text.into(), href: href.into(), ..Default::default() }
    }
    pub fn flag(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), flag: true, ..Default::default() }
    }
    pub fn links(links: Vec<Link>) -> Cell {
        Cell { links, ..Default::default() }
    }
    pub fn button(text: impl Into<String>, action: impl Into<String>) -> Cell {
        Cell { text: text.into(), action: action.into(), ..Default::default() }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Link {
    pub text: String,
    pub href: String,
    /// Read out after the text but not shown, e.g. the name of the row the link acts on.
    pub hidden: String,
}

impl Link {
    pub fn to(text: impl Into<String>, href: impl Into<String>) -> Link {
        Link { text: text.into(), href: href.into(), hidden: String::new() }
    }
}

/// A page with a table of rows and links to act on them.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub intro: String,
    pub actions: Vec<Link>,
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub empty: String,
}

#[derive(Template)]
#[template(path = "table.html")]
struct TableTemplate<'a> {
    page: &'a Page,
    table: &'a Table,
    form: Option<&'a Form>,
}

/// A table page, optionally with a form below it (e.g. to add a member).
pub fn table_page(page: &Page, table: &Table, form: Option<&Form>) -> Response {
    render(&TableTemplate { page, table, form })
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmTemplate<'a> {
    page: &'a Page,
    question: &'a str,
    action: &'a str,
    cancel: &'a str,
}

/// Asks before something is destroyed; the button posts to `action`.
pub fn confirm_page(page: &Page, question: &str, action: &str, cancel: &str) -> Response {
    render(&ConfirmTemplate { page, question, action, cancel })
}

/// Vocabulary choices with their labels, for a select or checkboxes.
pub fn choices<T: Copy>(page: &Page, group: &str, all: &[T], code: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|v| (code(*v).to_string(), page.lang.label(group, code(*v)))).collect()
}

pub fn with_empty(first: &str, mut rest: Vec<(String, String)>) -> Vec<(String, String)> {
    rest.insert(0, (String::new(), first.to_string()));
    rest
}

/// A page that only says something, e.g. thanks after answering.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessageTemplate<'a> {
    pub page: &'a Page,
    pub message: &'a str,
}

/// A party's answer that was refused (a reservation without its reason, say), shown again in
/// that party's form with the field marked and the message beside it.
#[derive(Debug, Clone, Default)]
pub struct AssentError {
    pub partner_id: i64,
    pub assent: String,
    pub reason: String,
    /// The field the message is about (`assent` or `reason`) and the message.
    pub field: String,
    pub message: String,
}

impl AssentError {
    pub fn new(lang: crate::i18n::Lang, partner_id: i64, assent: &str, reason: &str, invalid: &domain::Invalid) -> AssentError {
        let first = invalid.errors.first();
        AssentError {
            partner_id,
            assent: assent.to_string(),
            reason: reason.to_string(),
            field: first.map(|e| e.field.to_string()).unwrap_or_default(),
            message: first.map(|e| lang.error(e)).unwrap_or_default(),
        }
    }
}

/// The refused answer of `partner`, if the refused one was theirs.
pub fn failed_for<'a>(error: Option<&'a AssentError>, partner: &i64) -> Option<&'a AssentError> {
    error.filter(|e| e.partner_id == *partner)
}

/// What a create did, said once: lines of confirmation, an invitation link to pass on (shown
/// only here), and where to go next.
#[derive(Template)]
#[template(path = "created.html")]
pub struct CreatedTemplate<'a> {
    pub page: &'a Page,
    pub lines: Vec<String>,
    pub invitation: Option<String>,
    pub valid_until: String,
    pub actions: Vec<Link>,
}

/// A form on a larger page that was refused: what was sent and each field's message, for the
/// page to show again with the input kept, the fields marked and a summary that takes the
/// focus (`kept_errors.html`). Field ids are `prefix` + the field's name.
#[derive(Debug, Clone, Default)]
pub struct Kept {
    /// Which form on the page this is about (a page may hold several).
    pub form: &'static str,
    pub prefix: &'static str,
    pub values: Vec<(String, String)>,
    /// (field name, label, message)
    pub errors: Vec<(String, String, String)>,
    pub message: String,
    /// Fields whose id is not `prefix` + name: (name, id).
    pub ids: Vec<(&'static str, &'static str)>,
}

impl Kept {
    /// Field `name` has id `id` on the page.
    pub fn with_id(mut self, name: &'static str, id: &'static str) -> Kept {
        self.ids.push((name, id));
        self
    }
    /// The id of field `name` on the page.
    pub fn id(&self, name: &str) -> String {
        self.ids.iter().find(|(n, _)| *n == name).map(|(_, id)| id.to_string()).unwrap_or_else(|| format!("{}{name}", self.prefix))
    }
    /// `labels` names the fields' labels (locale keys); a field without one is called by
    /// `field.<name>`.
    pub fn new(
        lang: crate::i18n::Lang,
        form: &'static str,
        prefix: &'static str,
        body: &crate::form::FormBody,
        invalid: &Invalid,
        labels: &[(&str, &str)],
    ) -> Kept {
        let values = body.parse::<Vec<(String, String)>>().unwrap_or_default();
        let mut errors: Vec<(String, String, String)> = Vec::new();
        for e in &invalid.errors {
            if errors.iter().any(|(name, _, _)| name == e.field) {
                continue;
            }
            let key = labels.iter().find(|(name, _)| *name == e.field).map(|(_, key)| key.to_string()).unwrap_or_else(|| format!("field.{}", e.field));
            errors.push((e.field.to_string(), lang.t(&key).to_string(), lang.error(e)));
        }
        Kept { form, prefix, values, errors, message: lang.t("error.invalid").to_string(), ids: Vec::new() }
    }

    /// Whether this refused form is the one named `form` on the page.
    pub fn is(&self, form: &str) -> bool {
        self.form == form
    }
    /// What was sent for `name` (the first value).
    pub fn value(&self, name: &str) -> &str {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_default()
    }
    /// Whether `value` was among the values sent for `name` (a choice or a checkbox).
    pub fn chose(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(n, v)| n == name && v == value)
    }
    /// The message for `name`, or empty.
    pub fn error(&self, name: &str) -> &str {
        self.errors.iter().find(|(n, _, _)| n == name).map(|(_, _, m)| m.as_str()).unwrap_or_default()
    }
    pub fn has(&self, name: &str) -> bool {
        !self.error(name).is_empty()
    }
    /// The attributes that mark field `name` (whose hint, if any, has id `hint`): invalid, and
    /// described by its hint and its message. Only ids and fixed words: safe to write unescaped.
    pub fn marks(&self, name: &str, hint: &str) -> String {
        let mut ids: Vec<String> = Vec::new();
        if !hint.is_empty() {
            ids.push(hint.to_string());
        }
        let invalid = self.has(name);
        if invalid {
            ids.push(format!("{}-error", self.id(name)));
        }
        let described = if ids.is_empty() { String::new() } else { format!(" aria-describedby=\"{}\"", ids.join(" ")) };
        if invalid { format!(" aria-invalid=\"true\"{described}") } else { described }
    }
}
