//! Money in the collaboration: who contributes what (money in cents, hours with an optional
//! hourly rate), per partner, year and funding source, from indicatief through toegezegd to
//! vastgelegd in an agreement; totals per year, partner and source. Amounts are whole cents
//! (`i64`) from the form to the database and back: nothing is ever a float.

use crate::case_review::Barrier;
use crate::date::is_date;
use crate::error::{Invalid, choice, optional_id, optional_text};
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

vocabulary!(
    /// Where a contribution's money comes from.
    Source {
        EigenBudget = "eigen_budget",
        Jeugdwet = "jeugdwet",
        Onderwijsbudget = "onderwijsbudget",
        Oab = "oab",
        Spuk = "spuk",
        Subsidie = "subsidie",
        Zorgverzekeraar = "zorgverzekeraar",
        Fonds = "fonds",
        Overig = "overig"
    }
);

vocabulary!(
    /// How firm a contribution is: an estimate, promised, or recorded in an agreement.
    Commitment { Indicatief = "indicatief", Toegezegd = "toegezegd", Vastgelegd = "vastgelegd" }
);

impl Commitment {
    /// Promised or recorded: money the collaboration can count on.
    pub fn is_secured(self) -> bool {
        self != Commitment::Indicatief
    }
}

/// The largest amount a field takes: a hundred billion euros, in cents.
pub const MAX_CENTS: i64 = 10_000_000_000_000;
/// The most hours one contribution holds.
pub const MAX_HOURS: i64 = 10_000_000;

/// An amount in euros as people write it — `1234`, `1.234,56`, `€ 1 234,5`, or `1234.56` from
/// a program — as whole cents. A comma is the decimal sign; dots are thousands separators,
/// unless the only dot has one or two digits after it. Negative amounts are refused.
pub fn parse_cents(raw: &str) -> Result<i64, &'static str> {
    let text: String = raw.trim().trim_start_matches('€').chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    if text.starts_with('-') {
        return Err("err.negative");
    }
    let (whole, fraction) = if let Some((w, f)) = text.split_once(',') {
        (w.replace('.', ""), f.to_string())
    } else {
        match text.rsplit_once('.') {
            Some((w, f)) if text.matches('.').count() == 1 && (1..=2).contains(&f.len()) => (w.to_string(), f.to_string()),
            _ => {
                // Thousands separators: every group after a dot has three digits.
                let mut groups = text.split('.');
                let first = groups.next().unwrap_or_default();
                if text.contains('.') && (first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3)) {
                    return Err("err.money");
                }
                (text.replace('.', ""), String::new())
            }
        }
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(&whole) || !digits(&fraction) || fraction.len() > 2 || whole.len() > 12 {
        return Err("err.money");
    }
    let euros: i64 = whole.parse().map_err(|_| "err.money")?;
    let cents: i64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<2}").parse().map_err(|_| "err.money")? };
    let total = euros * 100 + cents;
    if total > MAX_CENTS { Err("err.money") } else { Ok(total) }
}

/// Cents as euros with two decimals, `thousands` between groups of three and `decimal` before
/// the cents: `1234567_89` with `.` and `,` is `1.234.567,89`.
pub fn euros(cents: i64, thousands: char, decimal: char) -> String {
    let digits = (cents.unsigned_abs() / 100).to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(thousands);
        }
        out.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{out}{decimal}{:02}", cents.unsigned_abs() % 100)
}

/// A contribution's year: a calendar year (`2026`) or a school year (`2026-2027`), with the
/// first and last day it covers. A school year runs from 1 August to 31 July.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Year {
    pub first: i32,
    pub school: bool,
}

impl Year {
    pub fn parse(text: &str) -> Option<Year> {
        let text = text.trim();
        let ok = |y: i32| (2000..=2100).contains(&y);
        match text.split_once('-') {
            None if text.len() == 4 => text.parse().ok().filter(|y| ok(*y)).map(|first| Year { first, school: false }),
            Some((a, b)) if a.len() == 4 && b.len() == 4 => {
                let (a, b): (i32, i32) = (a.parse().ok()?, b.parse().ok()?);
                (ok(a) && b == a + 1).then_some(Year { first: a, school: true })
            }
            _ => None,
        }
    }

    pub fn label(self) -> String {
        if self.school { format!("{}-{}", self.first, self.first + 1) } else { self.first.to_string() }
    }

    pub fn starts(self) -> String {
        if self.school { format!("{}-08-01", self.first) } else { format!("{}-01-01", self.first) }
    }

    pub fn ends(self) -> String {
        if self.school { format!("{}-07-31", self.first + 1) } else { format!("{}-12-31", self.first) }
    }
}

/// One contribution of a partner for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionContent {
    pub partner: i64,
    /// `2026` or `2026-2027`.
    pub year: String,
    pub source: Source,
    /// What "overig" stands for; empty for the other sources.
    pub source_other: String,
    pub amount_cents: Option<i64>,
    pub hours: Option<i64>,
    /// What an hour is worth, to value the hours; only with hours.
    pub hourly_rate_cents: Option<i64>,
    pub status: Commitment,
    /// The agreement that records it (a financiële afspraak or the convenant).
    pub agreement: Option<i64>,
    /// The days it covers, both included, within its year (YYYY-MM-DD).
    pub starts: String,
    pub ends: String,
    pub note: String,
    /// The pot it fills, if any; its days must lie within the pot's period.
    #[serde(default)]
    pub pot: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ContributionInput {
    /// A partner id of the same collaboration.
    pub partner: String,
    /// A calendar year (2026) or a school year (2026-2027).
    pub year: String,
    /// eigen_budget, jeugdwet, onderwijsbudget, oab, spuk, subsidie, zorgverzekeraar, fonds or overig
    pub source: String,
    /// What "overig" stands for (required with overig).
    pub source_other: String,
    /// Euros, e.g. 1234,56 or 1.234,56 (or 1234.56); empty when the contribution is only hours.
    pub amount: String,
    /// Whole hours, or empty.
    pub hours: String,
    /// Euros per hour, or empty.
    pub hourly_rate: String,
    /// indicatief, toegezegd or vastgelegd; empty is indicatief.
    pub status: String,
    /// An agreement id of the same collaboration; required with vastgelegd.
    pub agreement: String,
    /// YYYY-MM-DD within the year; empty is the year's first day.
    pub starts: String,
    /// YYYY-MM-DD within the year; empty is the year's last day.
    pub ends: String,
    pub note: String,
    /// A pot id of the same collaboration, or empty.
    pub pot: String,
}

fn optional_cents(errors: &mut Invalid, field: &'static str, raw: &str) -> Option<i64> {
    if raw.trim().is_empty() {
        return None;
    }
    parse_cents(raw).map_err(|code| errors.add(field, code)).ok()
}

fn optional_hours(errors: &mut Invalid, raw: &str) -> Option<i64> {
    match raw.trim() {
        "" => None,
        text if text.starts_with('-') => {
            errors.add("hours", "err.negative");
            None
        }
        text => match text.parse::<i64>() {
            Ok(n) if n <= MAX_HOURS => Some(n),
            _ => {
                errors.add("hours", "err.whole_number");
                None
            }
        },
    }
}

impl ContributionContent {
    pub fn parse(input: &ContributionInput) -> Result<ContributionContent, Invalid> {
        let mut errors = Invalid::default();
        let partner = match optional_id(&mut errors, "partner", &input.partner) {
            Some(p) => p,
            None => {
                if errors.error_for("partner").is_none() {
                    errors.add("partner", "err.required");
                }
                0
            }
        };
        let year = Year::parse(&input.year);
        if input.year.trim().is_empty() {
            errors.add("year", "err.required");
        } else if year.is_none() {
            errors.add("year", "err.finance_year");
        }
        let source = choice(&mut errors, "source", &input.source, Source::from_code);
        let source_other = optional_text(&mut errors, "source_other", &input.source_other, 200);
        if source == Some(Source::Overig) && source_other.is_empty() {
            errors.add("source_other", "err.source_other");
        }
        let amount_cents = optional_cents(&mut errors, "amount", &input.amount);
        let hours = optional_hours(&mut errors, &input.hours);
        let hourly_rate_cents = optional_cents(&mut errors, "hourly_rate", &input.hourly_rate);
        if input.amount.trim().is_empty() && input.hours.trim().is_empty() {
            errors.add("amount", "err.amount_or_hours");
        }
        if !input.hourly_rate.trim().is_empty() && input.hours.trim().is_empty() && errors.error_for("hourly_rate").is_none() {
            errors.add("hourly_rate", "err.rate_without_hours");
        }
        let status = match input.status.trim() {
            "" => Some(Commitment::Indicatief),
            code => choice(&mut errors, "status", code, Commitment::from_code),
        };
        let agreement = optional_id(&mut errors, "agreement", &input.agreement);
        if status == Some(Commitment::Vastgelegd) && agreement.is_none() && errors.error_for("agreement").is_none() {
            errors.add("agreement", "err.agreement_needed");
        }
        let date = |errors: &mut Invalid, field: &'static str, raw: &str, default: Option<String>| {
            let text = crate::date::written(raw);
            if text.is_empty() {
                default.unwrap_or_default()
            } else {
                if !is_date(&text) {
                    errors.add(field, "err.date");
                }
                text
            }
        };
        let starts = date(&mut errors, "starts", &input.starts, year.map(Year::starts));
        let ends = date(&mut errors, "ends", &input.ends, year.map(Year::ends));
        if let Some(y) = year {
            for (field, day) in [("starts", &starts), ("ends", &ends)] {
                if is_date(day) && (*day < y.starts() || *day > y.ends()) && errors.error_for(field).is_none() {
                    errors.add_with(field, "err.outside_year", y.label());
                }
            }
        }
        if is_date(&starts) && is_date(&ends) && ends < starts && errors.error_for("ends").is_none() {
            errors.add("ends", "err.end_before_start");
        }
        let note = optional_text(&mut errors, "note", &input.note, 2000);
        let pot = optional_id(&mut errors, "pot", &input.pot);
        match (source, status, year) {
            (Some(source), Some(status), Some(year)) => errors.or(ContributionContent {
                partner,
                year: year.label(),
                source,
                source_other: if source == Source::Overig { source_other } else { String::new() },
                amount_cents,
                hours,
                hourly_rate_cents,
                status,
                agreement,
                starts,
                ends,
                note,
                pot,
            }),
            _ => Err(errors),
        }
    }

    /// What the hours are worth at their rate (nothing without a rate).
    pub fn hours_value_cents(&self) -> i64 {
        self.hours.unwrap_or(0) * self.hourly_rate_cents.unwrap_or(0)
    }

    /// The money and the valued hours together.
    pub fn value_cents(&self) -> i64 {
        self.amount_cents.unwrap_or(0) + self.hours_value_cents()
    }

    /// The form's input for this contribution, to edit it.
    pub fn input(&self) -> ContributionInput {
        let money = |c: Option<i64>| c.map(|c| euros(c, '.', ',')).unwrap_or_default();
        ContributionInput {
            partner: self.partner.to_string(),
            year: self.year.clone(),
            source: self.source.code().into(),
            source_other: self.source_other.clone(),
            amount: money(self.amount_cents),
            hours: self.hours.map(|h| h.to_string()).unwrap_or_default(),
            hourly_rate: money(self.hourly_rate_cents),
            status: self.status.code().into(),
            agreement: self.agreement.map(|a| a.to_string()).unwrap_or_default(),
            starts: self.starts.clone(),
            ends: self.ends.clone(),
            note: self.note.clone(),
            pot: self.pot.map(|p| p.to_string()).unwrap_or_default(),
        }
    }
}

/// Whether saving a contribution needs the beheerder: a lid proposes (indicatief), only a
/// beheerder records a commitment or changes one that is promised or recorded.
pub fn needs_beheerder(before: Option<Commitment>, after: Commitment) -> bool {
    after.is_secured() || before.is_some_and(Commitment::is_secured)
}

/// Sums of a group of contributions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Total {
    pub amount_cents: i64,
    pub hours: i64,
    pub hours_value_cents: i64,
    /// Money and valued hours that are promised or recorded.
    pub secured_cents: i64,
}

impl Total {
    pub fn add(&mut self, c: &ContributionContent) {
        self.amount_cents += c.amount_cents.unwrap_or(0);
        self.hours += c.hours.unwrap_or(0);
        self.hours_value_cents += c.hours_value_cents();
        if c.status.is_secured() {
            self.secured_cents += c.value_cents();
        }
    }

    /// Money and valued hours together.
    pub fn value_cents(&self) -> i64 {
        self.amount_cents + self.hours_value_cents
    }
}

/// The contributions summed per key (a year, a partner, a source), in the key's order.
pub fn totals_by<K: Ord>(contributions: &[ContributionContent], key: impl Fn(&ContributionContent) -> K) -> BTreeMap<K, Total> {
    let mut out: BTreeMap<K, Total> = BTreeMap::new();
    for c in contributions {
        out.entry(key(c)).or_default().add(c);
    }
    out
}

/// All contributions summed.
pub fn total(contributions: &[ContributionContent]) -> Total {
    let mut t = Total::default();
    for c in contributions {
        t.add(c);
    }
    t
}

/// The bars of a chart of values: each bar's length in proportion to the largest, within
/// `width`; an empty or all-zero list gives zero-length bars.
pub fn bar_lengths(values: &[i64], width: f64) -> Vec<f64> {
    let max = values.iter().copied().max().unwrap_or(0);
    values.iter().map(|v| if max > 0 { (*v).max(0) as f64 / max as f64 * width } else { 0.0 }).collect()
}

// ---- pots and splits ----

/// One partner's share of a co-funding split, in hundredths of a percent (6667 is 66,67 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub partner: i64,
    pub basis_points: i64,
}

/// A whole split: 100 %, in hundredths of a percent.
pub const WHOLE: i64 = 10_000;

/// A pot (budget) of the collaboration: what it is for, the period it covers, whether its
/// funding is collective (for groups, never per child), whether spending may go beyond what
/// is secured, and the co-funding split, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PotContent {
    pub name: String,
    pub purpose: String,
    /// The first and last day it covers (YYYY-MM-DD).
    pub starts: String,
    pub ends: String,
    pub collective: bool,
    pub overspend_allowed: bool,
    pub split: Vec<Share>,
    /// The financial agreement (or the convenant) that records the pot; its body puts the
    /// pot's continuity warnings on its agenda.
    #[serde(default)]
    pub agreement: Option<i64>,
    /// Set when the pot is a breakthrough budget (doorbraakbudget): who may decide on it.
    #[serde(default)]
    pub breakthrough: Option<Mandate>,
}

/// Who may spend from a breakthrough budget, and up to what amount one decision goes without
/// a second mandate holder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mandate {
    /// People of the collaboration who hold the mandate themselves.
    pub people: Vec<i64>,
    /// Portfolios whose holder, whoever that is at the time, holds the mandate.
    pub portfolios: Vec<i64>,
    /// The most one decision spends on one holder's word.
    pub max_cents: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ShareInput {
    /// A partner id of the same collaboration.
    pub partner: String,
    /// A percentage with at most two decimals, e.g. 66,67; empty leaves the partner out.
    pub percent: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PotInput {
    pub name: String,
    pub purpose: String,
    /// YYYY-MM-DD
    pub starts: String,
    /// YYYY-MM-DD, not before the start
    pub ends: String,
    /// Funding for groups with a support need, never per child.
    #[serde(deserialize_with = "crate::error::lenient_bool")]
    pub collective: bool,
    /// Spending may go beyond the secured funding (it is still flagged).
    #[serde(deserialize_with = "crate::error::lenient_bool")]
    pub overspend_allowed: bool,
    /// The co-funding split: together 100 %, or none at all.
    pub split: Vec<ShareInput>,
    /// An agreement id of the same collaboration that records the pot, or empty.
    pub agreement: String,
    /// The pot is a breakthrough budget: mandate holders decide on it, case by case.
    #[serde(deserialize_with = "crate::error::lenient_bool")]
    pub breakthrough: bool,
    /// Person ids that hold the mandate (breakthrough budget only).
    pub mandate_people: Vec<String>,
    /// Portfolio ids whose holder holds the mandate (breakthrough budget only).
    pub mandate_portfolios: Vec<String>,
    /// Euros: the most one decision spends without a second mandate holder (breakthrough budget only).
    pub max_per_decision: String,
}

/// A percentage with at most two decimals, from 0 to 100, as hundredths of a percent.
pub fn parse_percent(raw: &str) -> Option<i64> {
    let text = raw.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || whole.len() > 3 || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return None;
    }
    let value = whole.parse::<i64>().ok()? * 100 + if fraction.is_empty() { 0 } else { format!("{fraction:0<2}").parse::<i64>().ok()? };
    (value <= WHOLE).then_some(value)
}

/// Hundredths of a percent as people write them: `66,67`, `100`.
pub fn percent_text(basis_points: i64, decimal: char) -> String {
    match basis_points % 100 {
        0 => (basis_points / 100).to_string(),
        rest => format!("{}{decimal}{rest:02}", basis_points / 100),
    }
}

use crate::date::required_date;

impl PotContent {
    pub fn parse(input: &PotInput) -> Result<PotContent, Invalid> {
        let mut errors = Invalid::default();
        let name = crate::error::required_text(&mut errors, "name", &input.name, 200);
        let purpose = optional_text(&mut errors, "purpose", &input.purpose, 2000);
        let starts = required_date(&mut errors, "starts", &input.starts);
        let ends = required_date(&mut errors, "ends", &input.ends);
        if is_date(&starts) && is_date(&ends) && ends < starts {
            errors.add("ends", "err.end_before_start");
        }
        let mut split: Vec<Share> = Vec::new();
        let mut bad = false;
        for share in input.split.iter().filter(|s| !s.percent.trim().is_empty()) {
            match (share.partner.trim().parse::<i64>(), parse_percent(&share.percent)) {
                (Ok(partner), Some(basis_points)) if !split.iter().any(|s| s.partner == partner) => {
                    if basis_points > 0 {
                        split.push(Share { partner, basis_points })
                    }
                }
                _ => bad = true,
            }
        }
        let sum: i64 = split.iter().map(|s| s.basis_points).sum();
        if bad {
            errors.add("split", "err.percent");
        } else if !split.is_empty() && sum != WHOLE {
            errors.add_with("split", "err.split_total", percent_text(sum, ','));
        }
        let agreement = optional_id(&mut errors, "agreement", &input.agreement);
        let breakthrough = if input.breakthrough {
            let ids = |errors: &mut Invalid, field: &'static str, raw: &[String]| {
                let mut out: Vec<i64> = Vec::new();
                for r in raw.iter().filter(|r| !r.trim().is_empty()) {
                    match r.trim().parse::<i64>() {
                        Ok(id) if id > 0 => {
                            if !out.contains(&id) {
                                out.push(id)
                            }
                        }
                        _ => {
                            if errors.error_for(field).is_none() {
                                errors.add(field, "err.choice")
                            }
                        }
                    }
                }
                out
            };
            let people = ids(&mut errors, "mandate_people", &input.mandate_people);
            let portfolios = ids(&mut errors, "mandate_portfolios", &input.mandate_portfolios);
            if people.is_empty() && portfolios.is_empty() && errors.error_for("mandate_people").is_none() && errors.error_for("mandate_portfolios").is_none() {
                errors.add("mandate_people", "err.mandate_needed");
            }
            let max_cents = required_cents(&mut errors, "max_per_decision", &input.max_per_decision);
            if max_cents == 0 && errors.error_for("max_per_decision").is_none() {
                errors.add("max_per_decision", "err.positive");
            }
            Some(Mandate { people, portfolios, max_cents })
        } else {
            None
        };
        errors.or(PotContent {
            name,
            purpose,
            starts,
            ends,
            collective: input.collective,
            overspend_allowed: input.overspend_allowed,
            split,
            agreement,
            breakthrough,
        })
    }

    /// Whether a contribution's days lie within the pot's period.
    pub fn covers(&self, c: &ContributionContent) -> bool {
        self.starts <= c.starts && c.ends <= self.ends
    }

    pub fn input(&self) -> PotInput {
        PotInput {
            name: self.name.clone(),
            purpose: self.purpose.clone(),
            starts: self.starts.clone(),
            ends: self.ends.clone(),
            collective: self.collective,
            overspend_allowed: self.overspend_allowed,
            split: self.split.iter().map(|s| ShareInput { partner: s.partner.to_string(), percent: percent_text(s.basis_points, ',') }).collect(),
            agreement: self.agreement.map(|a| a.to_string()).unwrap_or_default(),
            breakthrough: self.breakthrough.is_some(),
            mandate_people: self.breakthrough.iter().flat_map(|m| m.people.iter().map(i64::to_string)).collect(),
            mandate_portfolios: self.breakthrough.iter().flat_map(|m| m.portfolios.iter().map(i64::to_string)).collect(),
            max_per_decision: self.breakthrough.as_ref().map(|m| euros(m.max_cents, '.', ',')).unwrap_or_default(),
        }
    }
}

/// Each partner's share of `amount` cents under a split adding up to 100 %: the shares are
/// rounded down to the cent and the cents left over go to the largest remainders (the first
/// partner on a tie), so the shares always add up to the amount exactly.
pub fn shares_of(amount: i64, split: &[Share]) -> Vec<(i64, i64)> {
    let total: i64 = split.iter().map(|s| s.basis_points).sum();
    if total == 0 {
        return Vec::new();
    }
    let exact: Vec<(i64, i128, i128)> = split
        .iter()
        .map(|s| {
            let product = amount as i128 * s.basis_points as i128;
            (s.partner, product / total as i128, product % total as i128)
        })
        .collect();
    let mut left = amount as i128 - exact.iter().map(|(_, floor, _)| floor).sum::<i128>();
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|a, b| exact[*b].2.cmp(&exact[*a].2).then(a.cmp(b)));
    let mut out: Vec<(i64, i64)> = exact.iter().map(|(p, floor, _)| (*p, *floor as i64)).collect();
    for i in order {
        if left <= 0 {
            break;
        }
        out[i].1 += 1;
        left -= 1;
    }
    out
}

/// A planned amount of a pot for a programme activity in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanContent {
    pub activity: i64,
    /// `2026` or `2026-2027`.
    pub year: String,
    pub planned_cents: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PlanInput {
    /// A programme activity id of the same collaboration.
    pub activity: String,
    /// A calendar year (2026) or a school year (2026-2027) within the pot's period.
    pub year: String,
    /// Euros, e.g. 40.000 or 40.000,50.
    pub planned: String,
}

impl PlanContent {
    /// Checks a plan; its year must lie within the pot's period.
    pub fn parse(input: &PlanInput, pot: &PotContent) -> Result<PlanContent, Invalid> {
        let mut errors = Invalid::default();
        let activity = required_id(&mut errors, "activity", &input.activity);
        let year = year_in_pot(&mut errors, &input.year, pot);
        let planned_cents = required_cents(&mut errors, "planned", &input.planned);
        errors.or(PlanContent { activity, year, planned_cents })
    }
}

fn required_id(errors: &mut Invalid, field: &'static str, raw: &str) -> i64 {
    match optional_id(errors, field, raw) {
        Some(id) => id,
        None => {
            if errors.error_for(field).is_none() {
                errors.add(field, "err.required");
            }
            0
        }
    }
}

fn required_cents(errors: &mut Invalid, field: &'static str, raw: &str) -> i64 {
    if raw.trim().is_empty() {
        errors.add(field, "err.required");
        return 0;
    }
    parse_cents(raw).map_err(|code| errors.add(field, code)).unwrap_or(0)
}

fn year_in_pot(errors: &mut Invalid, raw: &str, pot: &PotContent) -> String {
    match Year::parse(raw) {
        None if raw.trim().is_empty() => {
            errors.add("year", "err.required");
            String::new()
        }
        None => {
            errors.add("year", "err.finance_year");
            String::new()
        }
        Some(y) => {
            if y.ends() < pot.starts || y.starts() > pot.ends {
                errors.add_with("year", "err.year_outside_pot", format!("{} – {}", pot.starts, pot.ends));
            }
            y.label()
        }
    }
}

/// Money spent from a pot on a programme activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendingContent {
    pub activity: i64,
    /// The day it was spent (YYYY-MM-DD), within the pot's period.
    pub date: String,
    pub amount_cents: i64,
    pub description: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SpendingInput {
    /// A programme activity id of the same collaboration.
    pub activity: String,
    /// YYYY-MM-DD within the pot's period.
    pub date: String,
    /// Euros, more than zero.
    pub amount: String,
    pub description: String,
}

impl SpendingContent {
    pub fn parse(input: &SpendingInput, pot: &PotContent) -> Result<SpendingContent, Invalid> {
        let mut errors = Invalid::default();
        let activity = required_id(&mut errors, "activity", &input.activity);
        let date = required_date(&mut errors, "date", &input.date);
        if is_date(&date) && (date < pot.starts || date > pot.ends) {
            errors.add_with("date", "err.date_outside_pot", format!("{} – {}", pot.starts, pot.ends));
        }
        let amount_cents = required_cents(&mut errors, "amount", &input.amount);
        if amount_cents == 0 && errors.error_for("amount").is_none() {
            errors.add("amount", "err.positive");
        }
        let description = crate::error::required_text(&mut errors, "description", &input.description, 500);
        errors.or(SpendingContent { activity, date, amount_cents, description })
    }
}

/// How far spending `adding` cents would take a pot beyond what is available: `None` while it
/// stays within, else the cents it goes over.
pub fn overspend(available: i64, spent: i64, adding: i64) -> Option<i64> {
    let after = spent + adding;
    (after > available).then_some(after - available)
}

/// Money a pot can count on: the amounts of its promised or recorded contributions (hours are
/// help in kind, not money to spend).
pub fn available(contributions: &[&ContributionContent]) -> i64 {
    contributions.iter().filter(|c| c.status.is_secured()).map(|c| c.amount_cents.unwrap_or(0)).sum()
}

// ---- breakthrough budget ----

vocabulary!(
    /// What became of the stalled situation after a breakthrough decision.
    DecisionOutcome { Doorbraak = "doorbraak", Deels = "deels", Geen = "geen", Loopt = "loopt" }
);

impl Mandate {
    /// The people who may decide now: those named, and the holders of the named portfolios,
    /// without anyone who has left.
    pub fn holders(&self, portfolio_holder: impl Fn(i64) -> Option<i64>, has_left: impl Fn(i64) -> bool) -> Vec<i64> {
        let mut out: Vec<i64> = self.people.clone();
        out.extend(self.portfolios.iter().filter_map(|p| portfolio_holder(*p)));
        out.retain(|p| !has_left(*p));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Checks who decided on `amount_cents`: a mandate holder, and above the maximum a second,
    /// other one. Gives whether one holder's word was enough (within the mandate).
    pub fn check(&self, errors: &mut Invalid, holders: &[i64], holder: i64, second: Option<i64>, amount_cents: i64) -> bool {
        if holder != 0 && !holders.contains(&holder) {
            errors.add("holder", "err.not_mandated");
        }
        let within = amount_cents <= self.max_cents;
        match second {
            None if !within => errors.add_with("second_holder", "err.second_holder_needed", format!("€ {}", euros(self.max_cents, '.', ','))),
            Some(s) if s == holder => errors.add("second_holder", "err.second_holder_same"),
            Some(s) if !holders.contains(&s) => errors.add("second_holder", "err.not_mandated"),
            _ => {}
        }
        within
    }
}

/// A decision on a breakthrough budget: when it was asked and decided, how much, who decided
/// (and the second holder above the maximum), what stalled in categories and in words that
/// never identify a child, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionContent {
    /// The day the request came in (YYYY-MM-DD).
    pub requested: String,
    /// The day it was decided, within the pot's period and not in the future.
    pub decided: String,
    pub amount_cents: i64,
    /// The person who decided.
    pub holder: i64,
    /// The second mandate holder, needed above the maximum per decision.
    pub second_holder: Option<i64>,
    /// At or below the maximum: one holder's word was enough.
    pub within_mandate: bool,
    /// What stood in the way, in the categories case reviews use.
    pub stall: Vec<Barrier>,
    /// The stalled situation in words, without anything that identifies a child.
    pub situation: String,
    pub outcome: DecisionOutcome,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DecisionInput {
    /// YYYY-MM-DD: the day the request came in.
    pub requested: String,
    /// YYYY-MM-DD: the day it was decided, within the pot's period, not in the future.
    pub decided: String,
    /// Euros, more than zero.
    pub amount: String,
    /// The id of the person (a mandate holder) who decided.
    pub holder: String,
    /// The id of a second mandate holder; needed above the maximum per decision.
    pub second_holder: String,
    /// One or more of wachtlijst, geen_aanbod, financiering, regels, samenwerking, informatie, vervoer, anders.
    pub stall: Vec<String>,
    /// The stalled situation in words, without anything that identifies a child.
    pub situation: String,
    /// doorbraak, deels, geen or loopt.
    pub outcome: String,
    /// Confirms that nothing in the situation identifies a child, after the warning listed what might.
    #[serde(rename = "bevestigd", deserialize_with = "crate::error::lenient_bool")]
    pub confirmed: bool,
    /// Set by the form: the fingerprint of the findings the writer was shown.
    #[serde(rename = "gezien")]
    pub seen: String,
}

impl DecisionContent {
    /// Checks a decision on `pot` given the people who hold its mandate now; `today` is the
    /// latest day it may carry.
    pub fn parse(input: &DecisionInput, pot: &PotContent, holders: &[i64], today: &str) -> Result<DecisionContent, Invalid> {
        let mut errors = Invalid::default();
        let requested = required_date(&mut errors, "requested", &input.requested);
        let decided = required_date(&mut errors, "decided", &input.decided);
        if is_date(&decided) {
            if decided.as_str() > today {
                errors.add("decided", "err.date_future");
            } else if decided < pot.starts || decided > pot.ends {
                errors.add_with("decided", "err.date_outside_pot", format!("{} – {}", pot.starts, pot.ends));
            } else if is_date(&requested) && decided < requested {
                errors.add("decided", "err.decided_before_request");
            }
        }
        let amount_cents = required_cents(&mut errors, "amount", &input.amount);
        if amount_cents == 0 && errors.error_for("amount").is_none() {
            errors.add("amount", "err.positive");
        }
        let holder = required_id(&mut errors, "holder", &input.holder);
        let second_holder = optional_id(&mut errors, "second_holder", &input.second_holder);
        let within_mandate = match &pot.breakthrough {
            Some(m) => m.check(&mut errors, holders, holder, second_holder, amount_cents),
            None => {
                errors.add("amount", "err.not_breakthrough");
                false
            }
        };
        let mut stall: Vec<Barrier> = Vec::new();
        for raw in input.stall.iter().filter(|r| !r.trim().is_empty()) {
            if let Some(b) = choice(&mut errors, "stall", raw, Barrier::from_code)
                && !stall.contains(&b)
            {
                stall.push(b);
            }
        }
        if stall.is_empty() && errors.error_for("stall").is_none() {
            errors.add("stall", "err.stall_needed");
        }
        let situation = crate::error::required_text(&mut errors, "situation", &input.situation, 1000);
        let outcome = choice(&mut errors, "outcome", &input.outcome, DecisionOutcome::from_code);
        match outcome {
            Some(outcome) => errors.or(DecisionContent { requested, decided, amount_cents, holder, second_holder, within_mandate, stall, situation, outcome }),
            None => Err(errors),
        }
    }

    /// Days from the request to the decision.
    pub fn days(&self) -> i64 {
        crate::date::days_between(&self.requested, &self.decided).unwrap_or(0)
    }
}

/// The findings that still stop a save: none when there are none, or when the writer
/// confirmed exactly the findings shown (the API confirms what it sends).
pub fn unconfirmed_situation(findings: Vec<crate::case_review::Finding>, input: &DecisionInput) -> Vec<crate::case_review::Finding> {
    let seen = input.seen.trim();
    if findings.is_empty() || (input.confirmed && (seen.is_empty() || seen == crate::case_review::fingerprint(&findings))) { Vec::new() } else { findings }
}

/// A half year's breakthrough decisions: how many, their total, and the median days from
/// request to decision; `None` figures when the group is below the minimum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionResult {
    /// 2026-H1
    pub half: String,
    pub figures: Option<DecisionFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionFigures {
    pub count: usize,
    pub total_cents: i64,
    pub median_days: f64,
    /// How many went above the maximum with a second holder.
    pub above_mandate: usize,
}

fn median(mut values: Vec<i64>) -> f64 {
    values.sort_unstable();
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2] as f64,
        n => (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0,
    }
}

/// The decisions per half year of their decision day, oldest first. A half year shows no
/// figures below `minimum` decisions (a small group could point at a case), nor before it has
/// ended on `today` (or the figures before and after one more decision would give that one
/// away).
pub fn decision_results(decisions: &[DecisionContent], minimum: usize, today: &str) -> Vec<DecisionResult> {
    let mut halves: BTreeMap<String, Vec<&DecisionContent>> = BTreeMap::new();
    for d in decisions {
        if let Some(h) = crate::case_review::half_year(&d.decided) {
            halves.entry(h).or_default().push(d);
        }
    }
    halves
        .into_iter()
        .map(|(half, ds)| DecisionResult {
            figures: (ds.len() >= minimum.max(1) && crate::case_review::has_ended(&half, today)).then(|| DecisionFigures {
                count: ds.len(),
                total_cents: ds.iter().map(|d| d.amount_cents).sum(),
                median_days: median(ds.iter().map(|d| d.days()).collect()),
                above_mandate: ds.iter().filter(|d| !d.within_mandate).count(),
            }),
            half,
        })
        .collect()
}

/// Which decisions a reader who may not see them counts in a budget's use: those of the half
/// years whose results are shown (`decision_results`). The others stay out of every sum that
/// reader sees (the use, the pot's spending and its years), or that sum minus the shown half
/// years would give a hidden one away. The flag says whether any was left out.
pub fn published_decisions<'a>(decisions: &[&'a DecisionContent], minimum: usize, today: &str) -> (Vec<&'a DecisionContent>, bool) {
    let all: Vec<DecisionContent> = decisions.iter().map(|d| (*d).clone()).collect();
    let shown: Vec<String> = decision_results(&all, minimum, today).into_iter().filter(|r| r.figures.is_some()).map(|r| r.half).collect();
    let kept: Vec<&DecisionContent> =
        decisions.iter().copied().filter(|d| crate::case_review::half_year(&d.decided).is_some_and(|h| shown.contains(&h))).collect();
    let left_out = kept.len() < decisions.len();
    (kept, left_out)
}

// ---- money per part of the programme ----

/// A line of the programme with the money planned for it and spent on it from the pots.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkMoney {
    /// 0 an ambition, 1 a goal, 2 an activity.
    pub depth: u8,
    pub id: i64,
    pub title: String,
    pub planned_cents: i64,
    pub spent_cents: i64,
}

/// The money planned and spent per activity, added up to its goal and the goal's ambition, in
/// the programme's order: each ambition, then its goals, each followed by its activities. A
/// line with nothing planned or spent beneath it is left out.
pub fn work_money(
    ambitions: &[(i64, String)],
    goals: &[(i64, i64, String)],
    activities: &[(i64, i64, String)],
    plans: &[&PlanContent],
    spendings: &[&SpendingContent],
) -> Vec<WorkMoney> {
    let mut per_activity: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for p in plans {
        per_activity.entry(p.activity).or_default().0 += p.planned_cents;
    }
    for s in spendings {
        per_activity.entry(s.activity).or_default().1 += s.amount_cents;
    }
    let line = |depth: u8, id: i64, title: &str, (planned_cents, spent_cents): (i64, i64)| WorkMoney {
        depth,
        id,
        title: title.to_string(),
        planned_cents,
        spent_cents,
    };
    let add = |a: (i64, i64), b: (i64, i64)| (a.0 + b.0, a.1 + b.1);
    let mut out = Vec::new();
    for (ambition, title) in ambitions {
        let mut lines = Vec::new();
        let mut ambition_sum = (0, 0);
        for (goal, _, goal_title) in goals.iter().filter(|g| g.1 == *ambition) {
            let own: Vec<WorkMoney> =
                activities.iter().filter(|a| a.1 == *goal).filter_map(|(id, _, t)| per_activity.get(id).map(|sums| line(2, *id, t, *sums))).collect();
            if own.is_empty() {
                continue;
            }
            let goal_sum = own.iter().fold((0, 0), |s, l| add(s, (l.planned_cents, l.spent_cents)));
            ambition_sum = add(ambition_sum, goal_sum);
            lines.push(line(1, *goal, goal_title, goal_sum));
            lines.extend(own);
        }
        if !lines.is_empty() {
            out.push(line(0, *ambition, title, ambition_sum));
            out.extend(lines);
        }
    }
    out
}

// ---- continuity ----

/// The horizon a collaboration starts with: funding of running work that ends within twelve
/// months is flagged.
pub const DEFAULT_HORIZON: u32 = 12;
/// The longest horizon, in months: five years.
pub const MAX_HORIZON: u32 = 60;

/// A horizon in whole months, from 1 to 60.
pub fn parse_horizon(raw: &str) -> Result<u32, Invalid> {
    match raw.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_HORIZON).contains(&n) => Ok(n),
        _ if raw.trim().is_empty() => Err(Invalid::single("horizon", "err.required")),
        _ => {
            let mut errors = Invalid::default();
            errors.add_with("horizon", "err.horizon", MAX_HORIZON.to_string());
            Err(errors)
        }
    }
}

/// Money over the coming years: per partner the money promised or recorded for each year, the
/// totals, and what the pots plan for the work in each year. A school year counts in the year
/// it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearsView {
    pub years: Vec<i32>,
    /// Per partner with any such money in these years, its cents per year.
    pub partners: Vec<(i64, Vec<i64>)>,
    /// All partners together, per year.
    pub committed: Vec<i64>,
    /// What the pots plan per year.
    pub planned: Vec<i64>,
}

/// The `count` years from `first`: committed money (toegezegd or vastgelegd, money only) per
/// partner and year, and the planned need per year.
pub fn years_view(contributions: &[ContributionContent], plans: &[PlanContent], first: i32, count: usize) -> YearsView {
    let years: Vec<i32> = (0..count as i32).map(|i| first + i).collect();
    let index = |label: &str| first_year(label).and_then(|y| years.iter().position(|x| *x == y));
    let mut partners: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut committed = vec![0; count];
    for c in contributions.iter().filter(|c| c.status.is_secured()) {
        let (Some(i), Some(cents)) = (index(&c.year), c.amount_cents) else { continue };
        partners.entry(c.partner).or_insert_with(|| vec![0; count])[i] += cents;
        committed[i] += cents;
    }
    let mut planned = vec![0; count];
    for p in plans {
        if let Some(i) = index(&p.year) {
            planned[i] += p.planned_cents;
        }
    }
    YearsView { years, partners: partners.into_iter().collect(), committed, planned }
}

/// Why the funding of running work needs attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// Nothing promised or recorded funds it.
    NoFunding,
    /// Its funding ends on `ends`, within the horizon, while the work goes on.
    EndsWithin { ends: String },
    /// Its funding covers one year only while the work goes on after it.
    OneYearOnly { year: String },
}

/// The warning for running work that ends on `work_ends`, given the promised or recorded
/// contributions that fund it (their year and last day) and the horizon ending on
/// `horizon_end`. Work that ends before its funding does needs no warning.
pub fn continuity(work_ends: &str, funding: &[(&str, &str)], horizon_end: &str) -> Option<Warning> {
    let Some(funded_until) = funding.iter().map(|(_, ends)| *ends).max() else { return Some(Warning::NoFunding) };
    if work_ends <= funded_until {
        return None;
    }
    if funded_until <= horizon_end {
        return Some(Warning::EndsWithin { ends: funded_until.to_string() });
    }
    let mut years: Vec<&str> = funding.iter().map(|(year, _)| *year).collect();
    years.sort_unstable();
    years.dedup();
    match years.as_slice() {
        [only] => Some(Warning::OneYearOnly { year: only.to_string() }),
        _ => None,
    }
}

/// The first calendar year a year label counts in: a school year counts in the year it starts.
pub fn first_year(label: &str) -> Option<i32> {
    Year::parse(label).map(|y| y.first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(partner: &str, year: &str, amount: &str) -> ContributionInput {
        ContributionInput { partner: partner.into(), year: year.into(), source: "jeugdwet".into(), amount: amount.into(), ..Default::default() }
    }

    #[test]
    fn amounts_are_read_as_people_write_them_and_kept_as_cents() {
        for (raw, cents) in [
            ("1234", 123_400),
            ("1.234,56", 123_456),
            ("€ 1.234.567,00", 123_456_700),
            ("1 234,5", 123_450),
            ("1234.56", 123_456),
            ("1.234", 123_400),
            ("0,07", 7),
            ("12,", 1200),
        ] {
            assert_eq!(parse_cents(raw), Ok(cents), "{raw}");
        }
        for raw in ["", "abc", "1,234,5", "1,234", "12.34.5", "1.23.456", "1e5", "12,345"] {
            assert_eq!(parse_cents(raw), Err("err.money"), "{raw}");
        }
        assert_eq!(parse_cents("-5"), Err("err.negative"));
        assert_eq!(parse_cents("100000000000,01"), Err("err.money"), "above the largest amount");
    }

    #[test]
    fn cents_are_written_in_dutch_with_thousands_and_two_decimals() {
        assert_eq!(euros(123_456_700, '.', ','), "1.234.567,00");
        assert_eq!(euros(5, '.', ','), "0,05");
        assert_eq!(euros(100_000, ',', '.'), "1,000.00");
        assert_eq!(euros(-12_345, '.', ','), "-123,45");
        for cents in [0, 1, 99, 100, 123_456, 99_999_999] {
            assert_eq!(parse_cents(&euros(cents, '.', ',')), Ok(cents), "round trip of {cents}");
        }
    }

    #[test]
    fn a_year_is_a_calendar_or_a_school_year_with_its_days() {
        let y = Year::parse("2026").expect("year");
        assert_eq!((y.starts(), y.ends(), y.label()), ("2026-01-01".into(), "2026-12-31".into(), "2026".into()));
        let s = Year::parse("2026-2027").expect("school year");
        assert_eq!((s.starts(), s.ends()), ("2026-08-01".into(), "2027-07-31".into()));
        for bad in ["2026-2028", "26", "1999", "2026/2027", "twee"] {
            assert!(Year::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn every_field_error_is_collected_at_once() {
        let bad = ContributionInput {
            partner: "x".into(),
            year: "2026/27".into(),
            source: "loterij".into(),
            hourly_rate: "-3".into(),
            status: "vastgelegd".into(),
            starts: "morgen".into(),
            ..Default::default()
        };
        let err = ContributionContent::parse(&bad).expect_err("invalid");
        let fields: Vec<_> = err.errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            [
                ("partner", "err.choice"),
                ("year", "err.finance_year"),
                ("source", "err.choice"),
                ("hourly_rate", "err.negative"),
                ("amount", "err.amount_or_hours"),
                ("agreement", "err.agreement_needed"),
                ("starts", "err.date"),
            ]
        );
        let other = ContributionInput { source: "overig".into(), ..input("3", "2026", "10") };
        assert_eq!(ContributionContent::parse(&other).expect_err("no text").for_field("source_other"), Some("err.source_other"));
        let outside = ContributionInput { ends: "2027-01-31".into(), ..input("3", "2026", "10") };
        let err = ContributionContent::parse(&outside).expect_err("outside");
        assert_eq!(err.error_for("ends").and_then(|e| e.value.clone()), Some("2026".into()));
        let backwards = ContributionInput { starts: "2026-06-01".into(), ends: "2026-05-01".into(), ..input("3", "2026", "10") };
        assert_eq!(ContributionContent::parse(&backwards).expect_err("backwards").for_field("ends"), Some("err.end_before_start"));
        let rate = ContributionInput { hourly_rate: "80".into(), ..input("3", "2026", "10") };
        assert_eq!(ContributionContent::parse(&rate).expect_err("rate alone").for_field("hourly_rate"), Some("err.rate_without_hours"));
        let negative = input("3", "2026", "-10");
        assert_eq!(ContributionContent::parse(&negative).expect_err("negative").for_field("amount"), Some("err.negative"));
    }

    #[test]
    fn dates_default_to_the_year_and_hours_are_valued_at_their_rate() {
        let c = ContributionContent::parse(&ContributionInput { hours: "120".into(), hourly_rate: "85,50".into(), ..input("3", "2026-2027", "1.000") })
            .expect("valid");
        assert_eq!((c.starts.as_str(), c.ends.as_str()), ("2026-08-01", "2027-07-31"));
        assert_eq!((c.amount_cents, c.hours, c.hourly_rate_cents), (Some(100_000), Some(120), Some(8_550)));
        assert_eq!(c.hours_value_cents(), 1_026_000);
        assert_eq!(c.value_cents(), 1_126_000);
        assert_eq!(c.status, Commitment::Indicatief);
        assert_eq!(ContributionContent::parse(&c.input()).expect("its own input parses"), c);
        let only_hours = ContributionContent::parse(&ContributionInput { hours: "40".into(), ..input("3", "2026", "") }).expect("hours alone");
        assert_eq!((only_hours.amount_cents, only_hours.value_cents()), (None, 0));
    }

    #[test]
    fn only_a_beheerder_records_or_changes_a_commitment() {
        use Commitment::*;
        assert!(!needs_beheerder(None, Indicatief));
        assert!(!needs_beheerder(Some(Indicatief), Indicatief));
        assert!(needs_beheerder(None, Toegezegd));
        assert!(needs_beheerder(Some(Indicatief), Vastgelegd));
        assert!(needs_beheerder(Some(Toegezegd), Indicatief), "a lid cannot take a promise back");
    }

    #[test]
    fn totals_add_up_per_key_and_overall_to_the_cent() {
        let parse = |partner: &str, year: &str, amount: &str, status: &str, source: &str| {
            ContributionContent::parse(&ContributionInput {
                status: status.into(),
                source: source.into(),
                agreement: "9".into(),
                ..input(partner, year, amount)
            })
            .expect("valid")
        };
        let all = [
            parse("1", "2026", "100.000,01", "vastgelegd", "jeugdwet"),
            parse("2", "2026", "50.000", "indicatief", "onderwijsbudget"),
            parse("1", "2027", "0,99", "toegezegd", "jeugdwet"),
            ContributionContent::parse(&ContributionInput { hours: "10".into(), hourly_rate: "80".into(), ..input("2", "2027", "") }).expect("hours"),
        ];
        let by_year = totals_by(&all, |c| c.year.clone());
        assert_eq!(by_year["2026"].amount_cents, 15_000_001);
        assert_eq!(by_year["2026"].secured_cents, 10_000_001);
        assert_eq!(by_year["2027"].value_cents(), 99 + 80_000);
        assert_eq!(by_year["2027"].hours, 10);
        let by_partner = totals_by(&all, |c| c.partner);
        assert_eq!(by_partner[&1].value_cents(), 10_000_100);
        let by_source = totals_by(&all, |c| c.source);
        assert_eq!(by_source.keys().copied().collect::<Vec<_>>(), [Source::Jeugdwet, Source::Onderwijsbudget]);
        let sum: i64 = by_year.values().map(Total::value_cents).sum();
        assert_eq!(sum, total(&all).value_cents());
        assert_eq!(sum, by_source.values().map(Total::value_cents).sum::<i64>());
    }

    #[test]
    fn bars_are_in_proportion_to_the_largest() {
        assert_eq!(bar_lengths(&[50, 100, 0], 200.0), [100.0, 200.0, 0.0]);
        assert_eq!(bar_lengths(&[0, 0], 200.0), [0.0, 0.0]);
    }

    fn pot(split: &[(&str, &str)]) -> PotInput {
        PotInput {
            name: "Steunstructuur 0-12".into(),
            starts: "2026-01-01".into(),
            ends: "2027-12-31".into(),
            split: split.iter().map(|(p, v)| ShareInput { partner: (*p).into(), percent: (*v).into() }).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn a_split_must_add_up_to_a_hundred_percent() {
        let ok = PotContent::parse(&pot(&[("1", "66,67"), ("2", "33,33")])).expect("100 %");
        assert_eq!(ok.split, [Share { partner: 1, basis_points: 6667 }, Share { partner: 2, basis_points: 3333 }]);
        let short = PotContent::parse(&pot(&[("1", "66,67"), ("2", "33")])).expect_err("99,67 %");
        assert_eq!(short.error_for("split").map(|e| (e.code, e.value.clone())), Some(("err.split_total", Some("99,67".into()))));
        assert_eq!(PotContent::parse(&pot(&[("1", "60"), ("2", "50")])).expect_err("110 %").for_field("split"), Some("err.split_total"));
        assert_eq!(PotContent::parse(&pot(&[("1", "abc")])).expect_err("text").for_field("split"), Some("err.percent"));
        assert_eq!(PotContent::parse(&pot(&[("1", "50"), ("1", "50")])).expect_err("twice").for_field("split"), Some("err.percent"));
        assert_eq!(PotContent::parse(&pot(&[("1", "100,001")])).expect_err("three decimals").for_field("split"), Some("err.percent"));
        assert!(PotContent::parse(&pot(&[("1", ""), ("2", "")])).expect("no split").split.is_empty(), "a pot without a split is fine");
        assert_eq!(PotContent::parse(&pot(&[("1", "100 %")])).expect("100").split.len(), 1);
        let back = PotContent::parse(&ok.input()).expect("round trip");
        assert_eq!(back, ok);
    }

    #[test]
    fn shares_follow_from_the_split_without_losing_a_cent() {
        let thirds = [Share { partner: 1, basis_points: 6667 }, Share { partner: 2, basis_points: 3333 }];
        assert_eq!(shares_of(300_000, &thirds), [(1, 200_010), (2, 99_990)]);
        assert_eq!(shares_of(1, &thirds), [(1, 1), (2, 0)]);
        let three = [Share { partner: 7, basis_points: 3334 }, Share { partner: 8, basis_points: 3333 }, Share { partner: 9, basis_points: 3333 }];
        for amount in [0, 1, 2, 100, 999_999, 123_456_789] {
            let shares = shares_of(amount, &three);
            assert_eq!(shares.iter().map(|(_, c)| c).sum::<i64>(), amount, "{amount}");
            let exact = |bp: i64| amount as f64 * bp as f64 / 10_000.0;
            for ((_, got), s) in shares.iter().zip(&three) {
                assert!((*got as f64 - exact(s.basis_points)).abs() < 1.0, "{amount}: {got} vs {}", exact(s.basis_points));
            }
        }
        assert_eq!(shares_of(2, &three), [(7, 1), (8, 1), (9, 0)], "the leftover cents go to the largest remainders, first on a tie");
        assert!(shares_of(100, &[]).is_empty());
    }

    #[test]
    fn spending_beyond_what_is_available_is_an_overspend() {
        assert_eq!(overspend(100_000, 60_000, 40_000), None, "exactly the pot");
        assert_eq!(overspend(100_000, 60_000, 40_001), Some(1));
        assert_eq!(overspend(0, 0, 500), Some(500));
        let secured = ContributionContent::parse(&ContributionInput { status: "toegezegd".into(), ..input("1", "2026", "1.000") }).expect("valid");
        let estimate = ContributionContent::parse(&input("2", "2026", "5.000")).expect("valid");
        let hours = ContributionContent::parse(&ContributionInput {
            hours: "10".into(),
            hourly_rate: "50".into(),
            status: "toegezegd".into(),
            ..input("3", "2026", "")
        })
        .expect("valid");
        assert_eq!(available(&[&secured, &estimate, &hours]), 100_000, "only promised money counts, not estimates or hours");
    }

    #[test]
    fn a_spend_or_plan_outside_the_pot_is_refused() {
        let p = PotContent::parse(&pot(&[])).expect("pot");
        let spend = |date: &str, amount: &str| {
            SpendingContent::parse(&SpendingInput { activity: "4".into(), date: date.into(), amount: amount.into(), description: "Training".into() }, &p)
        };
        assert!(spend("2026-03-01", "1.500").is_ok());
        assert_eq!(spend("2028-01-01", "1.500").expect_err("after").for_field("date"), Some("err.date_outside_pot"));
        assert_eq!(spend("2026-03-01", "0").expect_err("zero").for_field("amount"), Some("err.positive"));
        assert_eq!(spend("2026-03-01", "-5").expect_err("negative").for_field("amount"), Some("err.negative"));
        let plan = |year: &str| PlanContent::parse(&PlanInput { activity: "4".into(), year: year.into(), planned: "40.000".into() }, &p);
        assert_eq!(plan("2027").expect("within").planned_cents, 4_000_000);
        assert!(plan("2027-2028").is_ok(), "a school year that starts within the pot");
        assert_eq!(plan("2029").expect_err("outside").for_field("year"), Some("err.year_outside_pot"));
    }

    #[test]
    fn running_work_warns_when_its_funding_ends_within_the_horizon_or_is_one_year_money() {
        let horizon = "2027-12-07";
        assert_eq!(continuity("2028-12-31", &[], horizon), Some(Warning::NoFunding));
        assert_eq!(
            continuity("2028-12-31", &[("2026", "2026-12-31"), ("2027", "2027-07-31")], horizon),
            Some(Warning::EndsWithin { ends: "2027-07-31".into() })
        );
        assert_eq!(continuity("2027-06-30", &[("2026", "2026-12-31"), ("2027", "2027-07-31")], horizon), None, "the work ends first");
        assert_eq!(continuity("2029-12-31", &[("2026-2027", "2028-07-31")], horizon), Some(Warning::OneYearOnly { year: "2026-2027".into() }));
        assert_eq!(continuity("2029-12-31", &[("2027", "2027-12-31"), ("2028", "2028-12-31")], horizon), None, "two years, beyond the horizon");
        assert_eq!(
            continuity("2029-12-31", &[("2028", "2028-12-31")], "2028-12-31"),
            Some(Warning::EndsWithin { ends: "2028-12-31".into() }),
            "the horizon's last day counts"
        );
        assert_eq!(first_year("2026-2027"), Some(2026));
    }

    fn breakthrough_pot() -> PotContent {
        PotContent::parse(&PotInput {
            breakthrough: true,
            mandate_people: vec!["11".into(), "12".into()],
            mandate_portfolios: vec!["5".into()],
            max_per_decision: "2.500".into(),
            ..pot(&[])
        })
        .expect("breakthrough pot")
    }

    fn decision(amount: &str, holder: &str, second: &str) -> DecisionInput {
        DecisionInput {
            requested: "2026-03-02".into(),
            decided: "2026-03-09".into(),
            amount: amount.into(),
            holder: holder.into(),
            second_holder: second.into(),
            stall: vec!["wachtlijst".into(), "financiering".into()],
            situation: "Geen plek bij de specialistische opvang, overbrugging nodig.".into(),
            outcome: "doorbraak".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_breakthrough_budget_names_who_may_decide_and_up_to_what() {
        let p = breakthrough_pot();
        assert_eq!(p.breakthrough, Some(Mandate { people: vec![11, 12], portfolios: vec![5], max_cents: 250_000 }));
        assert_eq!(PotContent::parse(&p.input()).expect("round trip"), p);
        let nobody = PotInput { breakthrough: true, max_per_decision: "100".into(), ..pot(&[]) };
        assert_eq!(PotContent::parse(&nobody).expect_err("no holders").for_field("mandate_people"), Some("err.mandate_needed"));
        let no_max = PotInput { breakthrough: true, mandate_people: vec!["1".into()], ..pot(&[]) };
        assert_eq!(PotContent::parse(&no_max).expect_err("no max").for_field("max_per_decision"), Some("err.required"));
        let m = p.breakthrough.clone().expect("mandate");
        let holders = m.holders(|portfolio| (portfolio == 5).then_some(13), |person| person == 12);
        assert_eq!(holders, [11, 13], "the portfolio's holder counts, someone who left does not");
    }

    #[test]
    fn a_decision_above_the_maximum_needs_a_second_mandate_holder() {
        let p = breakthrough_pot();
        let holders = [11, 12, 13];
        let parse = |input: &DecisionInput| DecisionContent::parse(input, &p, &holders, "2026-12-07");
        let within = parse(&decision("2.500", "11", "")).expect("at the maximum");
        assert!(within.within_mandate);
        assert_eq!((within.days(), within.stall.clone()), (7, vec![Barrier::Wachtlijst, Barrier::Financiering]));
        let above = parse(&decision("2.500,01", "11", "")).expect_err("above, alone");
        assert_eq!(above.error_for("second_holder").map(|e| (e.code, e.value.clone())), Some(("err.second_holder_needed", Some("€ 2.500,00".into()))));
        assert_eq!(parse(&decision("4.000", "11", "11")).expect_err("same twice").for_field("second_holder"), Some("err.second_holder_same"));
        assert_eq!(parse(&decision("4.000", "11", "99")).expect_err("not a holder").for_field("second_holder"), Some("err.not_mandated"));
        let two = parse(&decision("4.000", "11", "13")).expect("two holders");
        assert!(!two.within_mandate);
        assert_eq!(parse(&decision("100", "99", "")).expect_err("outsider").for_field("holder"), Some("err.not_mandated"));
        let later = DecisionInput { decided: "2026-12-08".into(), ..decision("100", "11", "") };
        assert_eq!(parse(&later).expect_err("future").for_field("decided"), Some("err.date_future"));
        let backwards = DecisionInput { requested: "2026-03-10".into(), ..decision("100", "11", "") };
        assert_eq!(parse(&backwards).expect_err("before request").for_field("decided"), Some("err.decided_before_request"));
        let outside = DecisionInput { requested: "2025-12-01".into(), decided: "2025-12-02".into(), ..decision("100", "11", "") };
        assert_eq!(parse(&outside).expect_err("outside").for_field("decided"), Some("err.date_outside_pot"));
        let no_stall = DecisionInput { stall: vec![], ..decision("100", "11", "") };
        assert_eq!(parse(&no_stall).expect_err("no category").for_field("stall"), Some("err.stall_needed"));
        let plain = PotContent::parse(&pot(&[])).expect("plain pot");
        let err = DecisionContent::parse(&decision("100", "11", ""), &plain, &holders, "2026-12-07").expect_err("not a breakthrough budget");
        assert_eq!(err.for_field("amount"), Some("err.not_breakthrough"));
    }

    #[test]
    fn a_situation_that_might_identify_a_child_waits_for_confirmation() {
        let input = DecisionInput { situation: "Sanne (geboren 12-03-2019) wacht op plek.".into(), ..decision("100", "11", "") };
        let findings = crate::case_review::identifying(&input.situation, &[]);
        assert!(!findings.is_empty());
        assert_eq!(unconfirmed_situation(findings.clone(), &input).len(), findings.len());
        let seen = crate::case_review::fingerprint(&findings);
        let confirmed = DecisionInput { confirmed: true, seen, ..input };
        assert!(unconfirmed_situation(findings, &confirmed).is_empty());
    }

    #[test]
    fn results_per_half_year_hide_a_group_below_the_minimum() {
        let p = breakthrough_pot();
        let at = |requested: &str, decided: &str, amount: &str| {
            DecisionContent::parse(
                &DecisionInput { requested: requested.into(), decided: decided.into(), ..decision(amount, "11", "13") },
                &p,
                &[11, 13],
                "2026-12-31",
            )
            .expect("valid")
        };
        let all = [
            at("2026-01-05", "2026-01-06", "1.000"),
            at("2026-02-01", "2026-02-11", "3.000"),
            at("2026-03-01", "2026-03-04", "500"),
            at("2026-04-01", "2026-04-05", "250"),
            at("2026-08-01", "2026-08-02", "800"),
        ];
        let results = decision_results(&all, 3, "2027-01-01");
        assert_eq!(results.len(), 2);
        let first = results[0].figures.clone().expect("four decisions");
        assert_eq!((results[0].half.as_str(), first.count, first.total_cents, first.median_days, first.above_mandate), ("2026-H1", 4, 475_000, 3.5, 1));
        assert_eq!((results[1].half.as_str(), results[1].figures.clone()), ("2026-H2", None), "one decision stays hidden");
        assert_eq!(decision_results(&all, 1, "2027-01-01")[1].figures.as_ref().map(|f| f.median_days), Some(1.0));
        assert_eq!(decision_results(&all, 1, "2026-12-31")[1].figures, None, "the second half year has not ended");
        // What a reader without the decisions counts: the first half year only.
        let refs: Vec<&DecisionContent> = all.iter().collect();
        let (kept, left_out) = published_decisions(&refs, 3, "2027-01-01");
        assert_eq!((kept.iter().map(|d| d.amount_cents).sum::<i64>(), left_out), (475_000, true));
        let (kept, left_out) = published_decisions(&refs, 1, "2027-01-01");
        assert_eq!((kept.len(), left_out), (5, false));
        assert_eq!(published_decisions(&refs, 1, "2026-07-01").0.len(), 4, "the running half year stays out");
    }

    #[test]
    fn money_per_activity_adds_up_to_its_goal_and_ambition() {
        let plan = |activity, planned_cents| PlanContent { activity, year: "2026".into(), planned_cents };
        let spend = |activity, amount_cents| SpendingContent { activity, date: "2026-03-01".into(), amount_cents, description: String::new() };
        let (plans, spendings) = ([plan(11, 50000), plan(12, 30000), plan(11, 10000), plan(21, 5000)], [spend(12, 12000), spend(21, 8000)]);
        let ambitions = [(1, "Sterke basis".to_string()), (2, "Zonder geld".to_string())];
        let goals = [(10, 1, "Samen in de klas".to_string()), (20, 1, "Ouders erbij".to_string()), (30, 2, "Leeg".to_string())];
        let activities = [(11, 10, "Coach".to_string()), (12, 10, "Training".to_string()), (21, 20, "Ouderavond".to_string()), (31, 30, "Niets".to_string())];
        let lines = work_money(&ambitions, &goals, &activities, &plans.iter().collect::<Vec<_>>(), &spendings.iter().collect::<Vec<_>>());
        let seen: Vec<(u8, i64, i64, i64)> = lines.iter().map(|l| (l.depth, l.id, l.planned_cents, l.spent_cents)).collect();
        assert_eq!(
            seen,
            [(0, 1, 95000, 20000), (1, 10, 90000, 12000), (2, 11, 60000, 0), (2, 12, 30000, 12000), (1, 20, 5000, 8000), (2, 21, 5000, 8000)],
            "an ambition and goal without money are left out; spent beyond planned shows as it is"
        );
    }

    #[test]
    fn the_horizon_is_whole_months_up_to_five_years() {
        assert_eq!(parse_horizon(" 18 "), Ok(18));
        assert_eq!(parse_horizon("60"), Ok(60));
        for bad in ["0", "61", "-3", "1,5", "twaalf"] {
            assert_eq!(parse_horizon(bad).expect_err(bad).for_field("horizon"), Some("err.horizon"), "{bad}");
        }
        assert_eq!(parse_horizon("").expect_err("empty").for_field("horizon"), Some("err.required"));
        let horizon = |months| crate::date::add_months("2026-12-07", months).expect("date");
        let funding = [("2027", "2027-09-30")];
        assert_eq!(continuity("2029-12-31", &funding, &horizon(DEFAULT_HORIZON)), Some(Warning::EndsWithin { ends: "2027-09-30".into() }));
        assert_eq!(continuity("2029-12-31", &funding, &horizon(6)), Some(Warning::OneYearOnly { year: "2027".into() }), "beyond a shorter horizon");
    }

    #[test]
    fn five_years_of_committed_money_per_partner_add_up_to_the_totals() {
        let c = |partner: &str, year: &str, amount: &str, status: &str| {
            ContributionContent::parse(&ContributionInput { status: status.into(), agreement: "1".into(), ..input(partner, year, amount) }).expect("valid")
        };
        let all = [
            c("1", "2026", "80.000", "vastgelegd"),
            c("2", "2026-2027", "40.000,50", "toegezegd"),
            c("1", "2027", "80.000", "toegezegd"),
            c("2", "2027", "1.000", "indicatief"),
            c("1", "2031", "5", "toegezegd"),
            c("1", "2025", "5", "toegezegd"),
        ];
        let plans =
            [PlanContent { activity: 1, year: "2026".into(), planned_cents: 9_000_000 }, PlanContent { activity: 1, year: "2030".into(), planned_cents: 1 }];
        let v = years_view(&all, &plans, 2026, 5);
        assert_eq!(v.years, [2026, 2027, 2028, 2029, 2030]);
        assert_eq!(
            v.partners,
            [(1, vec![8_000_000, 8_000_000, 0, 0, 0]), (2, vec![4_000_050, 0, 0, 0, 0])],
            "a school year counts where it starts; estimates and other years not"
        );
        assert_eq!(v.committed, [12_000_050, 8_000_000, 0, 0, 0]);
        for (i, total) in v.committed.iter().enumerate() {
            assert_eq!(v.partners.iter().map(|(_, cents)| cents[i]).sum::<i64>(), *total);
        }
        assert_eq!(v.planned, [9_000_000, 0, 0, 0, 1]);
    }
}
