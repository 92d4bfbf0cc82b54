//! Importing measurements from a file, shared by the upload page, the API and the command
//! line: read the table, check it whole against the collaboration, write it or explain why not.

use crate::error::AppError;
use crate::i18n::Lang;
use axum::body::Body;
use axum::extract::multipart::{Multipart, MultipartError};
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use domain::ids::CollaborationId;
use domain::import::{Plan, Problem, Refusal};
use domain::table::{Limits, Sheet, TableError};
use http_body_util::Limited;
use store::{Actor, Db, StoreError};

/// The largest upload the page and the API accept unless the instance says otherwise
/// (`--max-upload`, `REISGENOOT_MAX_UPLOAD`).
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;

/// What an import did, or why it stored nothing.
#[derive(Debug)]
pub enum Outcome {
    Stored(Plan),
    Refused(Refusal),
}

/// Reads `bytes` (CSV or XLSX) and stores its measurements all or nothing. `raw` says whether
/// the uploader may see stored values (a steward); for anyone else nothing the answer says
/// depends on a stored value. A refused upload is audited: who, when, how many rows and
/// problems, never a value. `progress` hears
/// (rows written, rows to write) while it writes. The rows are read twice, once for the
/// indicators they name (what is stored for those is what they are compared against) and once
/// to check them, and never held as text. Given the file itself rather than a reference (as the
/// command line does), it lets go of it before writing.
pub async fn measurements(
    db: &Db,
    actor: &Actor,
    collaboration: CollaborationId,
    bytes: impl AsRef<[u8]> + Send,
    replace: bool,
    raw: bool,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Outcome, AppError> {
    let outcome = checked_and_stored(db, actor, collaboration, bytes, replace, raw, progress).await?;
    if let Outcome::Refused(refusal) = &outcome {
        let (rows, problems) = match refusal {
            Refusal::Problems(problems) => (problems.iter().map(|p| p.line).collect::<std::collections::BTreeSet<_>>().len(), problems.len()),
            _ => (0, 1),
        };
        let detail = format!("geweigerd: {problems} probleem/problemen in {rows} regel(s)");
        db.audit_event(actor, Some(collaboration.0), "measurement.import", &detail, "refused").await?;
    }
    Ok(outcome)
}

async fn checked_and_stored(
    db: &Db,
    actor: &Actor,
    collaboration: CollaborationId,
    bytes: impl AsRef<[u8]> + Send,
    replace: bool,
    raw: bool,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Outcome, AppError> {
    let sheet = match Sheet::open(bytes.as_ref(), Limits::default()) {
        Ok(sheet) => sheet,
        Err(e) => return Ok(Outcome::Refused(Refusal::Table(e))),
    };
    let codes = match domain::import::indicator_codes(&sheet) {
        Ok(codes) => codes,
        Err(e) => return Ok(Outcome::Refused(Refusal::Table(e))),
    };
    let context = db.import_context(collaboration, &codes).await?;
    let planned = domain::import::plan(&sheet, &context.context(replace, raw));
    // What the checks needed is not needed for writing: the file, its text and the stored
    // values go before the transaction starts.
    drop((sheet, context));
    drop(bytes);
    let plan = match planned {
        Ok(plan) => plan,
        Err(Refusal::Problems(mut problems)) => {
            outdated_areas(db, collaboration, &mut problems).await?;
            return Ok(Outcome::Refused(Refusal::Problems(problems)));
        }
        Err(refusal) => return Ok(Outcome::Refused(refusal)),
    };
    let total = plan.new.len() + plan.replaced.len();
    match db.import_measurements(actor, collaboration, &plan, &mut |done| progress(done, total)).await {
        Ok(_) => Ok(Outcome::Stored(plan)),
        // Someone locked a period, stored a value or approved one between the check and the write.
        Err(StoreError::Conflict(what)) => {
            let message = match what {
                "locked" => "err.period_locked",
                "differs" if raw => "err.differs",
                "differs" => "err.value_exists",
                _ if raw => "err.approved_value",
                _ => "err.value_locked",
            };
            Ok(Outcome::Refused(Refusal::Problems(vec![Problem { line: 0, column: String::new(), message, value: String::new() }])))
        }
        Err(other) => Err(other.into()),
    }
}

/// Says of an area code the collaboration's classification lacks whether it is one of an
/// earlier year (a gemeente, wijk or buurt since abolished or renumbered) or of a later one,
/// where a loaded classification year holds it.
async fn outdated_areas(db: &Db, collaboration: CollaborationId, problems: &mut [Problem]) -> Result<(), AppError> {
    let unknown: Vec<String> = problems.iter().filter(|p| p.message == "err.unknown_area").map(|p| p.value.trim().to_ascii_uppercase()).collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let Some(year) = db.area_year_for(db.collaboration(collaboration).await?.area_year).await? else { return Ok(()) };
    let mut codes: Vec<&str> = unknown.iter().map(String::as_str).collect();
    codes.sort_unstable();
    codes.dedup();
    let last = db.area_last_years(&codes).await?;
    for p in problems.iter_mut().filter(|p| p.message == "err.unknown_area") {
        match last.get(&p.value.trim().to_ascii_uppercase()) {
            Some(&seen) if seen < year => p.message = "err.area_abolished",
            Some(_) => p.message = "err.area_later",
            None => {}
        }
    }
    Ok(())
}

/// One sentence per problem, in the reader's language.
pub fn explain(lang: Lang, refusal: &Refusal) -> Vec<String> {
    match refusal {
        Refusal::Table(TableError::UnclosedQuote(line)) => vec![format!("{} {line}: {}", lang.t("import.line"), lang.t("err.unclosed_quote"))],
        Refusal::Table(e) => vec![lang.t(e.message()).to_string()],
        Refusal::MissingColumns(columns) => vec![format!("{} {}", lang.t("import.missing_columns"), columns.join(", "))],
        Refusal::PersonLevel(columns) => {
            let mut lines = vec![lang.t("import.person_level").to_string()];
            lines.extend(columns.iter().map(|(column, reason)| format!("{} “{column}”: {}", lang.t("import.column"), lang.t(reason))));
            lines
        }
        Refusal::NoRows => vec![lang.t("import.no_rows").to_string()],
        Refusal::Problems(problems) => problems.iter().map(|p| describe(lang, p)).collect(),
    }
}

pub fn describe(lang: Lang, p: &Problem) -> String {
    let mut text = String::new();
    if p.line > 0 {
        text.push_str(&format!("{} {}", lang.t("import.line"), p.line));
    }
    if !p.column.is_empty() {
        text.push_str(&format!(", {} {}", lang.t("import.column"), p.column));
    }
    if !text.is_empty() {
        text.push_str(": ");
    }
    let message = lang.t(p.message);
    if message.contains("{value}") {
        text.push_str(&message.replace("{value}", &p.value));
    } else {
        text.push_str(message);
    }
    if p.message == "err.duplicate_row" {
        text.push_str(&format!(" ({} {})", lang.t("import.line"), p.value));
    } else if !p.value.is_empty() && !message.contains("{value}") {
        text.push_str(&format!(" (“{}”)", p.value));
    }
    text
}

/// The file in a `multipart/form-data` body, and the other fields as text.
pub struct Upload {
    pub file: Vec<u8>,
    pub fields: Vec<(String, String)>,
}

impl Upload {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Why an upload was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadError {
    /// Larger than the instance allows.
    TooLarge,
    /// Not a `multipart/form-data` body we read: no boundary, one longer than the 70
    /// characters RFC 2046 allows, or parts that do not end.
    Malformed,
}

impl UploadError {
    pub fn message(self) -> &'static str {
        match self {
            UploadError::TooLarge => "import.too_large",
            UploadError::Malformed => "err.file_empty",
        }
    }
}

/// The boundary of a `multipart/form-data` content type, if it is one RFC 2046 allows (1 to
/// 70 characters). A longer one is refused before the body is read.
pub fn boundary(content_type: &str) -> Option<&str> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let value = params.split(';').find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim().eq_ignore_ascii_case("boundary").then(|| value.trim())
    })?;
    let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
    (1..=70).contains(&value.len()).then_some(value)
}

/// The declared length of a request's body, when it says one.
fn declared_length(request: &Request) -> Option<u64> {
    request.headers().get(header::CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

/// Reads a `multipart/form-data` upload through axum's `Multipart` (multer underneath), never
/// more than `limit` bytes of body: a declared length over it is refused before reading, and
/// the body stops at `limit` while it streams in.
pub async fn read_upload(request: Request, limit: usize) -> Result<Upload, UploadError> {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if boundary(content_type).is_none() {
        return Err(UploadError::Malformed);
    }
    if declared_length(&request).is_some_and(|n| n > limit as u64) {
        return Err(UploadError::TooLarge);
    }
    let request = request.map(|body| Body::new(Limited::new(body, limit)));
    let mut multipart = Multipart::from_request(request, &()).await.map_err(|_| UploadError::Malformed)?;
    let failed = |e: MultipartError| if e.status() == StatusCode::PAYLOAD_TOO_LARGE { UploadError::TooLarge } else { UploadError::Malformed };
    let mut upload = Upload { file: Vec::new(), fields: Vec::new() };
    let mut found_file = false;
    while let Some(field) = multipart.next_field().await.map_err(failed)? {
        let name = field.name().unwrap_or("").to_string();
        if field.file_name().is_some() {
            let bytes = field.bytes().await.map_err(failed)?;
            if !found_file {
                upload.file = bytes.to_vec();
                found_file = true;
            }
        } else {
            let text = field.text().await.map_err(failed)?;
            upload.fields.push((name, text));
        }
    }
    Ok(upload)
}

/// Reads a body that is the file itself, never more than `limit` bytes.
pub async fn read_body(request: Request, limit: usize) -> Result<Vec<u8>, UploadError> {
    if declared_length(&request).is_some_and(|n| n > limit as u64) {
        return Err(UploadError::TooLarge);
    }
    match axum::body::to_bytes(request.into_body(), limit).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(e) if is_length_limit(&e) => Err(UploadError::TooLarge),
        Err(_) => Err(UploadError::Malformed),
    }
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// A size as an operator writes it: `20971520`, `20M`, `20MB`, `20MiB` or `1G` (powers of 1024).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: usize = number.parse().map_err(|_| format!("geen grootte: {text:?}"))?;
    let factor: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("onbekende eenheid in {text:?} (gebruik bijvoorbeeld 20M)")),
    };
    number.checked_mul(factor).filter(|n| *n > 0).ok_or_else(|| format!("ongeldige grootte: {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boundary_is_one_rfc_2046_allows() {
        assert_eq!(boundary("multipart/form-data; boundary=XyZ"), Some("XyZ"));
        assert_eq!(boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b\""), Some("a b"));
        assert_eq!(boundary(&format!("multipart/form-data; boundary={}", "x".repeat(70))).map(str::len), Some(70));
        assert_eq!(boundary(&format!("multipart/form-data; boundary={}", "x".repeat(71))), None);
        assert_eq!(boundary("multipart/form-data"), None);
        assert_eq!(boundary("multipart/form-data; boundary="), None);
        assert_eq!(boundary("text/csv; boundary=x"), None);
    }

    #[test]
    fn sizes_as_operators_write_them() {
        assert_eq!(parse_size("20M"), Ok(20 << 20));
        assert_eq!(parse_size("20 MiB"), Ok(20 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("0").is_err() && parse_size("20X").is_err() && parse_size("").is_err());
    }
}
