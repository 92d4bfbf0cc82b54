//! Importing contributions (bijdragen) or spending (uitgaven) from a CSV or XLSX file, shared by
//! the upload page and the API: the table is read by the same reader as the measurement import,
//! every row checked with the rules of the forms (a lid only proposes, a contribution lies
//! within its pot, a breakthrough budget spends by decision only), and all rows stored in one
//! transaction or none. Spending is weighed against each pot over the whole file.

use crate::AppState;
use crate::error::AppError;
use domain::access::{Action, Role};
use domain::finance_import::{Batch, Lookup};
use domain::ids::CollaborationId;
use domain::import::{Problem, Refusal};
use domain::table::{Limits, Sheet};
use store::finance::Imported;
use store::{Actor, StoreError};

/// What a finance import did, or why it stored nothing.
#[derive(Debug)]
pub enum Outcome {
    /// How many contributions or spends were stored.
    Contributions(usize),
    Spendings(usize),
    Refused(Refusal),
}

/// Reads `bytes` (CSV or XLSX) and stores its contributions or spending all or nothing. A
/// refused file is audited with how many rows and problems, never a value.
pub async fn import(state: &AppState, actor: &Actor, c: CollaborationId, role: Role, bytes: &[u8]) -> Result<Outcome, AppError> {
    let outcome = checked_and_stored(state, actor, c, role, bytes).await?;
    if let Outcome::Refused(refusal) = &outcome {
        let (rows, problems) = match refusal {
            Refusal::Problems(problems) => (problems.iter().map(|p| p.line).collect::<std::collections::BTreeSet<_>>().len(), problems.len()),
            _ => (0, 1),
        };
        state.db.audit_event(actor, Some(c.0), "finance.import", &format!("geweigerd: {problems} probleem/problemen in {rows} regel(s)"), "refused").await?;
    }
    Ok(outcome)
}

async fn checked_and_stored(state: &AppState, actor: &Actor, c: CollaborationId, role: Role, bytes: &[u8]) -> Result<Outcome, AppError> {
    let sheet = match Sheet::open(bytes, Limits::default()) {
        Ok(sheet) => sheet,
        Err(e) => return Ok(Outcome::Refused(Refusal::Table(e))),
    };
    let (partners, pots, activities, agreements) =
        (state.db.partners(c).await?, state.db.pots(c).await?, state.db.activities(c).await?, state.db.agreements(c).await?);
    let lookup = Lookup {
        partners: partners.iter().map(|p| (p.id.0, p.name.as_str())).collect(),
        pots: pots.iter().map(|p| (p.id, &p.content)).collect(),
        activities: activities.iter().map(|a| (a.id, a.content.title.as_str())).collect(),
        agreements: agreements.iter().map(|a| (a.id, a.content.title.as_str())).collect(),
        may_commit: role.allows(Action::Manage),
    };
    let batch = match domain::finance_import::plan(&sheet, &lookup) {
        Ok(batch) => batch,
        Err(refusal) => return Ok(Outcome::Refused(refusal)),
    };
    let stored = match &batch {
        Batch::Contributions(rows) => {
            let contents: Vec<_> = rows.iter().map(|(_, content)| content.clone()).collect();
            state.db.import_contributions(actor, c, &contents).await.map(Outcome::Contributions)
        }
        Batch::Spendings(rows) => {
            let spends: Vec<_> = rows.iter().map(|(_, pot, content)| (*pot, content.clone())).collect();
            match state.db.import_spendings(actor, c, &spends).await {
                Ok(Imported::Stored(n)) => Ok(Outcome::Spendings(n)),
                Ok(Imported::Over(over)) => {
                    let problems = over
                        .into_iter()
                        .map(|(i, cents)| Problem {
                            line: rows.get(i).map(|(line, _, _)| *line).unwrap_or(0),
                            column: String::new(),
                            message: "err.overspend",
                            value: format!("€ {}", domain::finance::euros(cents, '.', ',')),
                        })
                        .collect();
                    Ok(Outcome::Refused(Refusal::Problems(problems)))
                }
                Err(e) => Err(e),
            }
        }
    };
    match stored {
        Ok(outcome) => Ok(outcome),
        // A partner, pot, activity or agreement removed between the check and the write.
        Err(StoreError::Reference(_) | StoreError::NotFound) => {
            Ok(Outcome::Refused(Refusal::Problems(vec![Problem { line: 0, column: String::new(), message: "err.not_in_collaboration", value: String::new() }])))
        }
        Err(other) => Err(other.into()),
    }
}
