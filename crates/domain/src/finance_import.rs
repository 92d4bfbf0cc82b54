//! Contributions (bijdragen) or spending (uitgaven) read from a table (CSV or a spreadsheet, read
//! by `table`), checked row by row with the same rules as the forms. A file holds one kind: with
//! an `activiteit` column it is spending, otherwise contributions. Partners, pots, activities
//! and agreements are named by id or by name. Nothing is stored unless every row is sound; each
//! problem names its line and the column as the file names it.

use crate::error::Invalid;
use crate::finance::{ContributionContent, ContributionInput, PotContent, SpendingContent, SpendingInput, needs_beheerder};
use crate::import::{Problem, Refusal};
use crate::table::{RowBuf, Sheet};

/// What the rows may refer to: the collaboration's own partners, pots, activities and
/// agreements (id and name), and whether the importer may record a commitment (a beheerder).
#[derive(Debug, Default)]
pub struct Lookup<'a> {
    pub partners: Vec<(i64, &'a str)>,
    pub pots: Vec<(i64, &'a PotContent)>,
    pub activities: Vec<(i64, &'a str)>,
    pub agreements: Vec<(i64, &'a str)>,
    pub may_commit: bool,
}

/// The rows of a sound file, each with its line.
#[derive(Debug, Clone, PartialEq)]
pub enum Batch {
    Contributions(Vec<(usize, ContributionContent)>),
    /// The pot each spend comes from, and the spend.
    Spendings(Vec<(usize, i64, SpendingContent)>),
}

impl Batch {
    pub fn len(&self) -> usize {
        match self {
            Batch::Contributions(rows) => rows.len(),
            Batch::Spendings(rows) => rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A column: the field of the input it fills, and the header names it goes by.
type Column = (&'static str, &'static [&'static str]);

const CONTRIBUTION_COLUMNS: [Column; 13] = [
    ("partner", &["partner", "partner id", "partnerid", "organisatie"]),
    ("year", &["jaar", "schooljaar", "year"]),
    ("source", &["bron", "financieringsbron", "source"]),
    ("source_other", &["bron overig", "bron toelichting", "andere bron", "source other"]),
    ("amount", &["bedrag", "bedrag (euro)", "bedrag euro", "euro", "amount"]),
    ("hours", &["uren", "hours"]),
    ("hourly_rate", &["uurtarief", "tarief", "hourly rate"]),
    ("status", &["status"]),
    ("agreement", &["afspraak", "overeenkomst", "agreement"]),
    ("starts", &["begin", "begindatum", "van", "starts"]),
    ("ends", &["eind", "einde", "einddatum", "tot", "ends"]),
    ("pot", &["pot", "budget"]),
    ("note", &["notitie", "toelichting", "opmerking", "note"]),
];

const CONTRIBUTION_REQUIRED: [&str; 3] = ["partner", "jaar", "bron"];

const SPENDING_COLUMNS: [Column; 5] = [
    ("pot", &["pot", "budget"]),
    ("activity", &["activiteit", "activity"]),
    ("date", &["datum", "date"]),
    ("amount", &["bedrag", "bedrag (euro)", "bedrag euro", "euro", "amount"]),
    ("description", &["omschrijving", "beschrijving", "description"]),
];

const SPENDING_REQUIRED: [&str; 5] = ["pot", "activiteit", "datum", "bedrag", "omschrijving"];

fn normalise(h: &str) -> String {
    h.trim().to_lowercase().replace(['-', '_', '.'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The column index of each field, by the header's names.
fn columns<const N: usize>(header: &[String], columns: &[Column; N]) -> [Option<usize>; N] {
    let names: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    columns.map(|(_, aliases)| names.iter().position(|h| aliases.contains(&h.as_str())))
}

/// Checks every row of `sheet` and maps it to what would be stored; refused whole if any row is
/// not sound, with every problem found.
pub fn plan(sheet: &Sheet<'_>, lookup: &Lookup<'_>) -> Result<Batch, Refusal> {
    let spending = columns(&sheet.header, &SPENDING_COLUMNS)[1].is_some();
    if spending { plan_spendings(sheet, lookup) } else { plan_contributions(sheet, lookup) }
}

/// The problems of one row: field errors moved to the file's column names.
struct Row<'r> {
    row: &'r RowBuf,
    header: &'r [String],
    problems: Vec<Problem>,
    /// Fields already refused for naming something unknown.
    unknown: Vec<&'static str>,
}

impl Row<'_> {
    fn cell(&self, index: Option<usize>) -> String {
        index.map(|i| self.row.cell(i).to_string()).unwrap_or_default()
    }

    fn column(&self, index: Option<usize>) -> String {
        index.and_then(|i| self.header.get(i)).map(|h| h.trim().to_string()).unwrap_or_default()
    }

    fn refuse(&mut self, index: Option<usize>, message: &'static str, value: String) {
        self.problems.push(Problem { line: self.row.line, column: self.column(index), message, value });
    }

    /// The id of what `raw` names, by id or by name (case and spaces aside); empty stays empty.
    fn named(&mut self, field: &'static str, index: Option<usize>, known: &[(i64, &str)]) -> String {
        let raw = self.cell(index);
        let text = raw.trim();
        if text.is_empty() {
            return String::new();
        }
        let wanted = normalise(text);
        let by_id = text.parse::<i64>().ok().filter(|id| known.iter().any(|(k, _)| k == id));
        match by_id.or_else(|| known.iter().find(|(_, name)| normalise(name) == wanted).map(|(id, _)| *id)) {
            Some(id) => id.to_string(),
            None => {
                self.refuse(index, "err.not_in_collaboration", text.to_string());
                self.unknown.push(field);
                String::from("-")
            }
        }
    }

    /// The field errors of the row's own checks, each on its column.
    fn invalid<const N: usize>(&mut self, invalid: Invalid, fields: &[Column; N], index: &[Option<usize>; N]) {
        for e in invalid.errors {
            let at = fields.iter().position(|(f, _)| *f == e.field).and_then(|i| index[i]);
            if self.unknown.contains(&e.field) {
                continue;
            }
            let value = e.value.clone().unwrap_or_else(|| self.cell(at));
            self.refuse(at, e.code, value);
        }
    }
}

fn missing<const N: usize>(required: &[&'static str], fields: &[Column; N], index: &[Option<usize>; N]) -> Vec<&'static str> {
    required.iter().copied().filter(|name| fields.iter().zip(index).any(|((_, aliases), i)| aliases.first() == Some(name) && i.is_none())).collect()
}

fn plan_contributions(sheet: &Sheet<'_>, lookup: &Lookup<'_>) -> Result<Batch, Refusal> {
    let index = columns(&sheet.header, &CONTRIBUTION_COLUMNS);
    let absent = missing(&CONTRIBUTION_REQUIRED, &CONTRIBUTION_COLUMNS, &index);
    if !absent.is_empty() {
        return Err(Refusal::MissingColumns(absent));
    }
    let pots: Vec<(i64, &str)> = lookup.pots.iter().map(|(id, p)| (*id, p.name.as_str())).collect();
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    sheet.each_row(|buf| {
        let mut row = Row { row: buf, header: &sheet.header, problems: Vec::new(), unknown: Vec::new() };
        let [partner, year, source, source_other, amount, hours, hourly_rate, status, agreement, starts, ends, pot, note] = index;
        let input = ContributionInput {
            partner: row.named("partner", partner, &lookup.partners),
            year: row.cell(year),
            source: normalise(&row.cell(source)).replace(' ', "_"),
            source_other: row.cell(source_other),
            amount: row.cell(amount),
            hours: row.cell(hours),
            hourly_rate: row.cell(hourly_rate),
            status: row.cell(status).trim().to_lowercase(),
            agreement: row.named("agreement", agreement, &lookup.agreements),
            starts: row.cell(starts),
            ends: row.cell(ends),
            note: row.cell(note),
            pot: row.named("pot", pot, &pots),
        };
        match ContributionContent::parse(&input) {
            Ok(content) => {
                if needs_beheerder(None, content.status) && !lookup.may_commit {
                    row.refuse(status, "err.commit_beheerder", row.cell(status));
                }
                if let Some((_, p)) = content.pot.and_then(|id| lookup.pots.iter().find(|(k, _)| *k == id))
                    && !p.covers(&content)
                {
                    row.refuse(pot, "err.outside_pot", format!("{} – {}", p.starts, p.ends));
                }
                if row.problems.is_empty() {
                    rows.push((buf.line, content));
                }
            }
            Err(invalid) => row.invalid(invalid, &CONTRIBUTION_COLUMNS, &index),
        }
        problems.append(&mut row.problems);
    })?;
    finish(problems, rows.is_empty(), Batch::Contributions(rows))
}

fn plan_spendings(sheet: &Sheet<'_>, lookup: &Lookup<'_>) -> Result<Batch, Refusal> {
    let index = columns(&sheet.header, &SPENDING_COLUMNS);
    let absent = missing(&SPENDING_REQUIRED, &SPENDING_COLUMNS, &index);
    if !absent.is_empty() {
        return Err(Refusal::MissingColumns(absent));
    }
    let pots: Vec<(i64, &str)> = lookup.pots.iter().map(|(id, p)| (*id, p.name.as_str())).collect();
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    sheet.each_row(|buf| {
        let mut row = Row { row: buf, header: &sheet.header, problems: Vec::new(), unknown: Vec::new() };
        let [pot, activity, date, amount, description] = index;
        let pot_id = row.named("pot", pot, &pots);
        let input = SpendingInput {
            activity: row.named("activity", activity, &lookup.activities),
            date: row.cell(date),
            amount: row.cell(amount),
            description: row.cell(description),
        };
        let found = pot_id.parse::<i64>().ok().and_then(|id| lookup.pots.iter().find(|(k, _)| *k == id));
        match found {
            None if pot_id.is_empty() => row.refuse(pot, "err.required", String::new()),
            None => {}
            Some((id, p)) => {
                if p.breakthrough.is_some() {
                    row.refuse(pot, "err.breakthrough_by_decision", row.cell(pot));
                }
                match SpendingContent::parse(&input, p) {
                    Ok(content) if row.problems.is_empty() => rows.push((buf.line, *id, content)),
                    Ok(_) => {}
                    Err(invalid) => row.invalid(invalid, &SPENDING_COLUMNS, &index),
                }
            }
        }
        problems.append(&mut row.problems);
    })?;
    finish(problems, rows.is_empty(), Batch::Spendings(rows))
}

fn finish(problems: Vec<Problem>, empty: bool, batch: Batch) -> Result<Batch, Refusal> {
    if !problems.is_empty() {
        Err(Refusal::Problems(problems))
    } else if empty {
        Err(Refusal::NoRows)
    } else {
        Ok(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::{Commitment, Source};

    fn pot(name: &str) -> PotContent {
        PotContent {
            name: name.into(),
            purpose: String::new(),
            starts: "2026-01-01".into(),
            ends: "2026-12-31".into(),
            collective: true,
            overspend_allowed: false,
            split: Vec::new(),
            agreement: None,
            breakthrough: None,
        }
    }

    fn plan_csv(text: &str, lookup: &Lookup<'_>) -> Result<Batch, Refusal> {
        plan(&Sheet::csv(text.as_bytes()).expect("csv"), lookup)
    }

    fn problems(refusal: Result<Batch, Refusal>) -> Vec<(usize, String, &'static str)> {
        match refusal {
            Err(Refusal::Problems(p)) => p.into_iter().map(|p| (p.line, p.column, p.message)).collect(),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn finance_import_reads_contributions_by_partner_name_with_a_decimal_comma() {
        let jeugd = pot("Jeugdpot");
        let lookup = Lookup { partners: vec![(7, "Gemeente Utrecht"), (9, "Stichting Kind")], pots: vec![(3, &jeugd)], may_commit: true, ..Lookup::default() };
        let csv = "\u{feff}Partner;Jaar;Bron;Bedrag;Uren;Uurtarief;Status;Pot\n\
                   gemeente utrecht;2026;Eigen budget;1.234,56;;;toegezegd;Jeugdpot\n\
                   9;2026-2027;subsidie;;40;55,5;;\n";
        let Ok(Batch::Contributions(rows)) = plan_csv(csv, &lookup) else { panic!("expected contributions") };
        assert_eq!(rows.len(), 2);
        let (line, first) = &rows[0];
        assert_eq!(
            (*line, first.partner, first.source, first.amount_cents, first.status, first.pot),
            (2, 7, Source::EigenBudget, Some(123_456), Commitment::Toegezegd, Some(3))
        );
        let (line, second) = &rows[1];
        assert_eq!(
            (*line, second.partner, second.year.as_str(), second.hours, second.hourly_rate_cents, second.status),
            (3, 9, "2026-2027", Some(40), Some(5550), Commitment::Indicatief)
        );
    }

    #[test]
    fn finance_import_names_every_bad_row_and_column() {
        let lookup = Lookup { partners: vec![(7, "Gemeente")], may_commit: true, ..Lookup::default() };
        let csv = "partner,jaar,bron,bedrag\nGemeente,2026,jeugdwet,100\nOnbekend,2026,jeugdwet,100\nGemeente,1999,jeugdwet,abc\n";
        let found = problems(plan_csv(csv, &lookup));
        assert!(found.contains(&(3, "partner".into(), "err.not_in_collaboration")), "{found:?}");
        assert!(found.contains(&(4, "jaar".into(), "err.finance_year")), "{found:?}");
        assert!(found.contains(&(4, "bedrag".into(), "err.money")), "{found:?}");
        assert!(!found.iter().any(|(line, _, _)| *line == 2), "{found:?}");
    }

    #[test]
    fn finance_import_lets_a_lid_only_propose() {
        let lookup = Lookup { partners: vec![(7, "Gemeente")], may_commit: false, ..Lookup::default() };
        assert!(plan_csv("partner;jaar;bron;bedrag;status\nGemeente;2026;oab;10;indicatief\n", &lookup).is_ok());
        let found = problems(plan_csv("partner;jaar;bron;bedrag;status\nGemeente;2026;oab;10;toegezegd\n", &lookup));
        assert_eq!(found, vec![(2, "status".to_string(), "err.commit_beheerder")]);
    }

    #[test]
    fn finance_import_reads_spending_within_the_pot() {
        let jeugd = pot("Jeugdpot");
        let lookup = Lookup { pots: vec![(3, &jeugd)], activities: vec![(11, "Brugklas")], ..Lookup::default() };
        let csv = "pot;activiteit;datum;bedrag;omschrijving\nJeugdpot;Brugklas;15-03-2026;250,00;Zaalhuur\n3;11;2026-04-01;10;Koffie\n";
        let Ok(Batch::Spendings(rows)) = plan_csv(csv, &lookup) else { panic!("expected spending") };
        assert_eq!(
            rows.iter().map(|(l, p, s)| (*l, *p, s.activity, s.amount_cents, s.date.as_str())).collect::<Vec<_>>(),
            vec![(2, 3, 11, 25_000, "2026-03-15"), (3, 3, 11, 1000, "2026-04-01")]
        );
        let found = problems(plan_csv(
            "pot;activiteit;datum;bedrag;omschrijving\nJeugdpot;Brugklas;2027-01-05;10;Te laat\nAndere pot;Brugklas;2026-01-05;10;x\n",
            &lookup,
        ));
        assert_eq!(found, vec![(2, "datum".to_string(), "err.date_outside_pot"), (3, "pot".to_string(), "err.not_in_collaboration")]);
    }

    #[test]
    fn finance_import_names_missing_columns_and_empty_files() {
        let lookup = Lookup::default();
        assert_eq!(plan_csv("partner;bedrag\nx;1\n", &lookup), Err(Refusal::MissingColumns(vec!["jaar", "bron"])));
        assert_eq!(plan_csv("activiteit;bedrag\nx;1\n", &lookup), Err(Refusal::MissingColumns(vec!["pot", "datum", "omschrijving"])));
        assert_eq!(plan_csv("partner;jaar;bron\n", &lookup), Err(Refusal::NoRows));
    }
}
