//! Importing measurements from a file, shared by the upload page, the API and the command
//! line: read the table, check it whole against the collaboration, write it or explain why not.

use crate::error::AppError;
use crate::i18n::Lang;
use domain::ids::CollaborationId;
use domain::import::{Plan, Problem, Refusal};
use domain::table::{Limits, Sheet, TableError};
use store::{Actor, Db, StoreError};

/// The largest file the upload page and the API accept.
pub const MAX_UPLOAD: usize = 50 * 1024 * 1024;

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
    text.push_str(lang.t(p.message));
    if p.message == "err.duplicate_row" {
        text.push_str(&format!(" ({} {})", lang.t("import.line"), p.value));
    } else if !p.value.is_empty() {
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

/// Splits a `multipart/form-data` body on its boundary (from the content type).
pub fn multipart(content_type: &str, body: &[u8]) -> Option<Upload> {
    let boundary = content_type.split(';').find_map(|p| p.trim().strip_prefix("boundary="))?.trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let mut upload = Upload { file: Vec::new(), fields: Vec::new() };
    let mut found_file = false;
    for part in split(body, &delimiter).into_iter().skip(1) {
        if part.starts_with(b"--") {
            break;
        }
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let split_at = find(part, b"\r\n\r\n")?;
        let headers = String::from_utf8_lossy(&part[..split_at]);
        let content = &part[split_at + 4..];
        let content = content.strip_suffix(b"\r\n").unwrap_or(content);
        let disposition = headers.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))?;
        let name = attribute(disposition, "name")?;
        if attribute(disposition, "filename").is_some() {
            if !found_file {
                upload.file = content.to_vec();
                found_file = true;
            }
        } else {
            upload.fields.push((name, String::from_utf8_lossy(content).into_owned()));
        }
    }
    Some(upload)
}

fn attribute(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|p| p.trim().strip_prefix(name)?.strip_prefix('=').map(|v| v.trim_matches('"').to_string()))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(body: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(at) = find(rest, delimiter) {
        parts.push(&rest[..at]);
        rest = &rest[at + delimiter.len()..];
    }
    parts.push(rest);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_browser_upload() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"replace\"\r\n\r\non\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.csv\"\r\nContent-Type: text/csv\r\n\r\na;b\r\n1;2\r\n\r\n--XyZ--\r\n";
        let upload = multipart("multipart/form-data; boundary=XyZ", body).expect("parses");
        assert_eq!(upload.file, b"a;b\r\n1;2\r\n");
        assert_eq!(upload.field("replace"), Some("on"));
        assert!(multipart("multipart/form-data", body).is_none());
    }
}
