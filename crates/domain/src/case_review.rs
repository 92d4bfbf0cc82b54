//! Case reviews (casusbesprekingen): a body such as an MDO looks back on the cases it handled
//! and keeps per case only what the network learns from — when, the age band, the domains
//! involved, whether a suitable offer was reached and how fast, what stood in the way, and the
//! lesson. Never who: there is no field for a name, BSN, birth date, address or school, and the
//! one free text is searched for what could still point at a child before it is saved.
//!
//! The reviews add up per period to figures of the network perspective. Half years are the
//! building blocks: a figure is shown only when its group reaches the minimum, a category only
//! when the hidden ones together do too, and a year or school year only when each of its halves
//! is empty or shown — else a longer period minus a shown half would give the other half away.

use crate::date::is_date;
use crate::error::{Invalid, choice, optional_text};
use crate::indicator::{PeriodType, is_period};
use crate::measure::{Parts, Published};
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

vocabulary!(
    /// The child's age when the case was reviewed, in the bands the collaboration's work follows.
    AgeBand { Tot4 = "0-4", Van4 = "4-12", Van12 = "12-18", Van18 = "18-23", Van23 = "23-27" }
);

vocabulary!(
    /// The domains a case touched.
    CaseDomain {
        Onderwijs = "onderwijs",
        Kinderopvang = "kinderopvang",
        Jgz = "jgz",
        Jeugdhulp = "jeugdhulp",
        Zorg = "zorg",
        WerkInkomen = "werk_inkomen",
        Wonen = "wonen",
        Veiligheid = "veiligheid",
        Gemeente = "gemeente",
    }
);

vocabulary!(
    /// Whether the child got a suitable offer (passend aanbod).
    Offer { Ja = "ja", Deels = "deels", Nee = "nee" }
);

vocabulary!(
    /// What stood in the way of a suitable offer.
    Barrier {
        Wachtlijst = "wachtlijst",
        GeenAanbod = "geen_aanbod",
        Financiering = "financiering",
        Regels = "regels",
        Samenwerking = "samenwerking",
        Informatie = "informatie",
        Vervoer = "vervoer",
        Anders = "anders",
    }
);

vocabulary!(
    /// What in a free text might identify a child.
    Clue {
        Bsn = "bsn",
        Datum = "datum",
        Postcode = "postcode",
        Email = "email",
        Telefoon = "telefoon",
        Adres = "adres",
        School = "school",
        Naam = "naam",
    }
);

/// The group of the reviews without a recorded barrier, next to the barriers' own codes.
pub const NO_BARRIER: &str = "geen";
/// More days than this (ten years) is a typing error, not a waiting time.
const MAX_DAYS: u32 = 3650;
const LESSON_MAX: usize = 2000;

/// One reviewed case, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseReview {
    /// The body that reviewed the case; none once that body has been removed.
    pub body: Option<i64>,
    /// The day of the review, YYYY-MM-DD.
    pub date: String,
    pub age_band: AgeBand,
    pub domains: Vec<CaseDomain>,
    pub offer: Offer,
    /// Days until the (partly) suitable offer was there, when known.
    pub days: Option<u32>,
    pub barrier: Option<Barrier>,
    pub lesson: String,
}

/// A case review as a form or the API sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CaseReviewInput {
    /// The id of the body (overleg) that reviewed the case.
    #[serde(deserialize_with = "text_or_number")]
    pub body: String,
    /// The day of the review, YYYY-MM-DD, not in the future.
    pub date: String,
    /// 0-4, 4-12, 12-18, 18-23 or 23-27.
    pub age_band: String,
    /// One or more of onderwijs, kinderopvang, jgz, jeugdhulp, zorg, werk_inkomen, wonen, veiligheid, gemeente.
    pub domains: Vec<String>,
    /// ja, deels or nee.
    pub offer: String,
    /// Days until the offer was there: a whole number, 0 or more, only when it was (partly) reached.
    #[serde(deserialize_with = "text_or_number")]
    pub days: String,
    /// wachtlijst, geen_aanbod, financiering, regels, samenwerking, informatie, vervoer or anders; needed when no offer was reached.
    pub barrier: String,
    /// The lesson, without anything that identifies a child.
    pub lesson: String,
    /// Confirms that nothing in the lesson identifies a child, after the warning listed what might.
    #[serde(rename = "bevestigd", deserialize_with = "crate::error::lenient_bool")]
    pub confirmed: bool,
    /// Set by the form: the fingerprint of the findings the writer was shown.
    #[serde(rename = "gezien")]
    pub seen: String,
}

/// A form sends text; a JSON client may send a number. Both become the text to check.
fn text_or_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Whole(i64),
        Number(f64),
    }
    Ok(match Option::<Raw>::deserialize(deserializer)? {
        None => String::new(),
        Some(Raw::Text(t)) => t,
        Some(Raw::Whole(n)) => n.to_string(),
        Some(Raw::Number(n)) => n.to_string(),
    })
}

fn required_choice<T>(errors: &mut Invalid, field: &'static str, raw: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    if raw.trim().is_empty() {
        errors.add(field, "err.required");
        return None;
    }
    choice(errors, field, raw, parse)
}

impl CaseReview {
    /// Checks a review; `today` (YYYY-MM-DD) is the latest date it may carry.
    pub fn parse(input: &CaseReviewInput, today: &str) -> Result<CaseReview, Invalid> {
        let mut errors = Invalid::default();
        let body = match input.body.trim() {
            "" => {
                errors.add("body", "err.required");
                None
            }
            raw => raw.parse::<i64>().map_err(|_| errors.add("body", "err.choice")).ok(),
        };
        let date = crate::date::written(&input.date);
        if date.is_empty() {
            errors.add("date", "err.required");
        } else if !is_date(&date) {
            errors.add("date", "err.date");
        } else if date.as_str() > today {
            errors.add("date", "err.date_future");
        }
        let age_band = required_choice(&mut errors, "age_band", &input.age_band, AgeBand::from_code);
        let mut domains = Vec::new();
        let mut unknown = false;
        for raw in input.domains.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
            match CaseDomain::from_code(raw) {
                Some(d) if !domains.contains(&d) => domains.push(d),
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown {
            errors.add("domains", "err.choice");
        } else if domains.is_empty() {
            errors.add("domains", "err.case_domains");
        }
        domains.sort();
        let offer = required_choice(&mut errors, "offer", &input.offer, Offer::from_code);
        let days = match input.days.trim() {
            "" => None,
            raw => match raw.parse::<u32>() {
                Ok(n) if n <= MAX_DAYS => Some(n),
                _ => {
                    errors.add("days", "err.case_days");
                    None
                }
            },
        };
        if offer == Some(Offer::Nee) && !input.days.trim().is_empty() {
            errors.add("days", "err.case_days_no_offer");
        }
        let barrier = match input.barrier.trim() {
            "" => {
                // Without an offer something stood in the way, and that is what the network learns from.
                if offer == Some(Offer::Nee) {
                    errors.add("barrier", "err.case_barrier");
                }
                None
            }
            raw => choice(&mut errors, "barrier", raw, Barrier::from_code),
        };
        let lesson = optional_text(&mut errors, "lesson", &input.lesson, LESSON_MAX);
        match (age_band, offer) {
            (Some(age_band), Some(offer)) => errors.or(CaseReview { body, date, age_band, domains, offer, days, barrier, lesson }),
            _ => Err(errors),
        }
    }

    /// What in the review's free text might identify a child. `known` are words that may be
    /// capitalised without being a child's name, such as the partners' and bodies' names.
    pub fn findings(&self, known: &[String]) -> Vec<Finding> {
        identifying(&self.lesson, known)
    }

    /// The half year the review falls in.
    pub fn half_year(&self) -> Option<String> {
        half_year(&self.date)
    }
}

/// The findings that still stop a save: none when there are none, or when the writer confirmed
/// them. A form confirms only the findings it showed (`seen`), so a text changed after the
/// warning is checked again; the API's `bevestigd` confirms what it sends.
pub fn unconfirmed(findings: Vec<Finding>, input: &CaseReviewInput) -> Vec<Finding> {
    let seen = input.seen.trim();
    if findings.is_empty() || (input.confirmed && (seen.is_empty() || seen == fingerprint(&findings))) { Vec::new() } else { findings }
}

/// Something in a free text that might identify a child, and the words that raised it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub clue: Clue,
    pub text: String,
}

/// A short digest of a list of findings, so a form can say which ones it showed.
pub fn fingerprint(findings: &[Finding]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for f in findings {
        hash.update(f.clue.code().as_bytes());
        hash.update([0]);
        hash.update(f.text.as_bytes());
        hash.update([0]);
    }
    hash.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The lower-case words of names that may appear capitalised in a text without being a
/// child's name (a partner, a body, the collaboration, a place).
pub fn known_words<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut words: Vec<String> =
        names.into_iter().flat_map(|n| n.split(|c: char| !c.is_alphanumeric())).filter(|w| w.chars().count() > 1).map(str::to_lowercase).collect();
    words.sort();
    words.dedup();
    words
}

/// Words written with a capital mid-sentence that name no person: laws, languages, countries,
/// holidays and the like.
const ALLOWED: &[&str] = &[
    "jeugdwet",
    "wmo",
    "wlz",
    "zvw",
    "participatiewet",
    "leerplichtwet",
    "veilig",
    "thuis",
    "nederland",
    "nederlands",
    "nederlandse",
    "engels",
    "arabisch",
    "turks",
    "pools",
    "oekraïens",
    "europa",
    "europese",
    "god",
    "kerst",
    "pasen",
    "ramadan",
    "suikerfeest",
    "sinterklaas",
    "koningsdag",
    "covid",
    "corona",
    "ggd",
    "jgz",
    "mdo",
    "swv",
    "ib",
    "ib'er",
    "ok",
];
const SCHOOL_WORDS: &[&str] = &[
    "school",
    "college",
    "lyceum",
    "gymnasium",
    "atheneum",
    "academie",
    "kindcentrum",
    "ikc",
    "kinderopvang",
    "kinderdagverblijf",
    "kdv",
    "peuterspeelzaal",
    "peuteropvang",
    "bso",
];
const STREET_SUFFIXES: &[&str] = &["straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dreef", "steeg", "dijk", "pad", "hof"];
const PARTICLES: &[&str] = &["van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "la", "le", "el", "al", "bin"];
const MONTHS: &[&str] = &[
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "jan",
    "feb",
    "mrt",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "may",
    "june",
    "july",
    "august",
    "october",
];

/// A word of the text, stripped of the punctuation around it.
struct Token<'a> {
    raw: &'a str,
    word: &'a str,
    /// The first word of a line or after a full stop: capitals say nothing there.
    starts: bool,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out: Vec<Token<'_>> = Vec::new();
    for line in text.lines() {
        let mut starts = true;
        for raw in line.split_whitespace() {
            let word = raw.trim_start_matches(|c: char| !(c.is_alphanumeric() || c == '+')).trim_end_matches(|c: char| !c.is_alphanumeric());
            let bullet = word.is_empty();
            out.push(Token { raw, word, starts });
            starts = bullet || raw.ends_with(['.', '!', '?', ':', ';']) || raw.ends_with(".\"") || raw.ends_with(".)");
        }
    }
    out
}

fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase) && !word.chars().any(|c| c.is_ascii_digit())
}

fn is_email(word: &str) -> bool {
    word.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.contains('@'))
}

fn is_numeric_date(word: &str) -> bool {
    let parts: Vec<&str> = word.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let n = |p: &str| p.parse::<u32>().unwrap_or(0);
    match (parts[0].len(), parts[1].len(), parts[2].len()) {
        (4, 1..=2, 1..=2) => (1..=12).contains(&n(parts[1])) && (1..=31).contains(&n(parts[2])),
        (1..=2, 1..=2, 2 | 4) => (1..=31).contains(&n(parts[0])) && (1..=12).contains(&n(parts[1])),
        _ => false,
    }
}

/// Digits, with the separators people write phone numbers and BSNs with.
fn is_number_part(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit()) && word.chars().all(|c| c.is_ascii_digit() || "+-.()/".contains(c)) && !is_numeric_date(word)
}

fn is_phone(digits: &str, plus: bool) -> bool {
    (digits.len() == 10 && digits.starts_with('0') && !digits.starts_with("00"))
        || (plus && digits.len() == 11 && digits.starts_with("31"))
        || (digits.len() == 13 && digits.starts_with("0031"))
}

fn is_postcode(word: &str, next: Option<&str>) -> bool {
    let digits = |s: &str| s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) && !s.starts_with('0');
    let letters = |s: &str| s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) && !["SA", "SD", "SS"].contains(&s.to_uppercase().as_str());
    let joined = word.len() == 6 && word.is_char_boundary(4) && digits(&word[..4]) && letters(&word[4..]);
    let apart = digits(word) && next.is_some_and(|n| letters(n) && n.chars().all(|c| c.is_ascii_uppercase()));
    joined || apart
}

/// What in a free text might identify a child: nine digits passing the BSN eleven test, dates,
/// postcodes, e-mail addresses, phone numbers, street addresses, a school or childcare location
/// followed by its name, and capitalised words mid-sentence that may be names. It errs on the
/// side of warning: the writer confirms what is harmless. `known` words are not taken for names.
pub fn identifying(text: &str, known: &[String]) -> Vec<Finding> {
    let tokens = tokens(text);
    let mut used = vec![false; tokens.len()];
    let mut found: Vec<(usize, Finding)> = Vec::new();
    let span = |from: usize, to: usize| tokens[from..to].iter().map(|t| t.word).collect::<Vec<_>>().join(" ");
    let add = |found: &mut Vec<(usize, Finding)>, used: &mut Vec<bool>, from: usize, to: usize, clue: Clue| {
        used[from..to].iter_mut().for_each(|u| *u = true);
        found.push((from, Finding { clue, text: span(from, to) }));
    };
    // Whole words first: an e-mail address, a date, a postcode, a street with its number.
    for i in 0..tokens.len() {
        if used[i] {
            continue;
        }
        let (word, next) = (tokens[i].word, tokens.get(i + 1).map(|t| t.word));
        let lower = word.to_lowercase();
        if is_email(word) {
            add(&mut found, &mut used, i, i + 1, Clue::Email);
        } else if is_numeric_date(word) {
            add(&mut found, &mut used, i, i + 1, Clue::Datum);
        } else if is_postcode(word, next) {
            let to = if word.len() == 4 { i + 2 } else { i + 1 };
            add(&mut found, &mut used, i, to, Clue::Postcode);
        } else if STREET_SUFFIXES.iter().any(|s| lower.ends_with(s) && lower.len() > s.len())
            && (capitalised(word) || ["straat", "laan", "plein", "gracht"].iter().any(|s| lower.ends_with(s)))
            && next.is_some_and(|n| n.len() <= 6 && n.starts_with(|c: char| c.is_ascii_digit()))
        {
            add(&mut found, &mut used, i, i + 2, Clue::Adres);
        }
    }
    // A day and a month written out: 12 maart, 3 mei 2015.
    for i in 0..tokens.len().saturating_sub(1) {
        let day = tokens[i].word.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d)) && tokens[i].word.len() <= 2;
        if day && !used[i] && MONTHS.contains(&tokens[i + 1].word.to_lowercase().as_str()) {
            let year = tokens.get(i + 2).is_some_and(|t| t.word.len() == 4 && t.word.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y)));
            add(&mut found, &mut used, i, if year { i + 3 } else { i + 2 }, Clue::Datum);
        }
    }
    // Phone numbers and BSNs, also when written in groups: 06 12 34 56 78, 123 456 782.
    let mut i = 0;
    while i < tokens.len() {
        let run = (i..tokens.len()).take(5).take_while(|&j| !used[j] && is_number_part(tokens[j].word)).count();
        let hit = (1..=run).rev().find_map(|len| {
            let digits: String = tokens[i..i + len].iter().flat_map(|t| t.word.chars()).filter(char::is_ascii_digit).collect();
            if is_phone(&digits, tokens[i].word.starts_with('+')) {
                Some((len, Clue::Telefoon))
            } else if len <= 3 && crate::import::passes_eleven_test(&digits) {
                Some((len, Clue::Bsn))
            } else {
                None
            }
        });
        match hit {
            Some((len, clue)) => {
                add(&mut found, &mut used, i, i + len, clue);
                i += len;
            }
            None => i += 1,
        }
    }
    // A school or childcare location and the name after it: basisschool De Regenboog.
    for i in 0..tokens.len() {
        let lower = tokens[i].word.to_lowercase();
        if used[i] || !SCHOOL_WORDS.iter().any(|w| lower.contains(w)) {
            continue;
        }
        let mut to = i + 1;
        if !tokens[i].raw.ends_with(['.', '!', '?', ':', ';', ',']) {
            while to < tokens.len() && !used[to] && !tokens[to].starts && capitalised(tokens[to].word) {
                to += 1;
            }
        }
        let named = to > i + 1 || (capitalised(tokens[i].word) && !tokens[i].starts);
        if named {
            add(&mut found, &mut used, i, to, Clue::School);
        }
    }
    // Capitalised words mid-sentence, with the particles between them: Jan, Van der Berg.
    let plain = |w: &str| {
        let lower = w.to_lowercase();
        ALLOWED.contains(&lower.as_str()) || known.contains(&lower)
    };
    let mut i = 0;
    while i < tokens.len() {
        if used[i] || tokens[i].starts || !capitalised(tokens[i].word) {
            i += 1;
            continue;
        }
        let mut to = i + 1;
        loop {
            let mut k = to;
            while k < tokens.len() && PARTICLES.contains(&tokens[k].word.to_lowercase().as_str()) && !tokens[k].starts {
                k += 1;
            }
            if k < tokens.len() && !used[k] && !tokens[k].starts && capitalised(tokens[k].word) && !tokens[k - 1].raw.ends_with(['.', ',', ';', ':']) {
                to = k + 1;
            } else {
                break;
            }
        }
        if !tokens[i..to].iter().filter(|t| capitalised(t.word)).all(|t| plain(t.word)) {
            add(&mut found, &mut used, i, to, Clue::Naam);
        }
        i = to;
    }
    found.sort_by_key(|(at, _)| *at);
    let mut findings: Vec<Finding> = Vec::new();
    for (_, f) in found {
        if !findings.contains(&f) {
            findings.push(f);
        }
    }
    findings
}

/// The half year a date falls in: 2026-03-14 is 2026-H1.
pub fn half_year(date: &str) -> Option<String> {
    if !is_date(date) {
        return None;
    }
    let month: u32 = date.get(5..7)?.parse().ok()?;
    Some(format!("{}-H{}", date.get(..4)?, if month <= 6 { 1 } else { 2 }))
}

/// The half years a period is made of: a half year itself, the two of a year, or the second of
/// one year and the first of the next for a school year. None for anything finer.
pub fn halves(period: &str) -> Option<Vec<String>> {
    if is_period(PeriodType::Halfjaar, period) {
        Some(vec![period.to_string()])
    } else if is_period(PeriodType::Jaar, period) {
        Some(vec![format!("{period}-H1"), format!("{period}-H2")])
    } else if is_period(PeriodType::Schooljaar, period) {
        let (from, to) = period.split_once('-')?;
        Some(vec![format!("{from}-H2"), format!("{to}-H1")])
    } else {
        None
    }
}

/// The period the figures of a learning cycle come from: its own, or for a quarter the half
/// year around it, since reviews are counted per half year at the finest.
pub fn covering_period(period: &str) -> Option<String> {
    if halves(period).is_some() {
        return Some(period.to_string());
    }
    let (year, quarter) = period.split_once("-Q").filter(|_| is_period(PeriodType::Kwartaal, period))?;
    Some(format!("{year}-H{}", if matches!(quarter, "1" | "2") { 1 } else { 2 }))
}

/// The period types the figures can be given in.
pub const PERIOD_TYPES: [PeriodType; 3] = [PeriodType::Halfjaar, PeriodType::Jaar, PeriodType::Schooljaar];

/// The kind of period the results are given per, from a query's code: half year unless it asks
/// for another of `PERIOD_TYPES`.
pub fn period_kind(raw: &str) -> PeriodType {
    PeriodType::from_code(raw).filter(|k| PERIOD_TYPES.contains(k)).unwrap_or(PeriodType::Halfjaar)
}

/// The period of `kind` that a half year (2026-H1) belongs to.
fn period_of(half: &str, kind: PeriodType) -> Option<String> {
    let (year, h) = half.split_once("-H")?;
    let y: u32 = year.parse().ok()?;
    match (kind, h) {
        (PeriodType::Halfjaar, _) => Some(half.to_string()),
        (PeriodType::Jaar, _) => Some(year.to_string()),
        (PeriodType::Schooljaar, "2") => Some(format!("{y}-{}", y + 1)),
        (PeriodType::Schooljaar, _) => Some(format!("{}-{y}", y - 1)),
        (PeriodType::Kwartaal, _) => None,
    }
}

/// One age band's figures in a half year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandFigures {
    pub age_band: AgeBand,
    pub reviewed: Published,
    /// The share with a suitable offer, in per cent.
    pub offer: Published,
}

/// What the reviews of one period add up to, as it may be shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub period: String,
    pub reviewed: Published,
    /// The share of reviewed cases with a suitable offer (ja), in per cent.
    pub offer: Published,
    /// The share with a suitable or partly suitable offer (ja or deels), in per cent.
    pub offer_or_partly: Published,
    /// The median of the days until the offer, over the reviews that recorded them.
    pub median_days: Published,
    /// Per barrier (`geen` for none recorded), the cases; only for a half year.
    pub barriers: Vec<(&'static str, Published)>,
    /// Per age band, only for a half year.
    pub age_bands: Vec<BandFigures>,
    /// Per domain, the cases that touched it; a case can touch several, so these add up to no total.
    pub domains: Vec<(CaseDomain, Published)>,
    /// The cases with a suitable offer over the reviewed cases, for a measurement; none when the
    /// share may not be shown.
    pub parts: Option<Parts>,
    /// Why nothing of the period is shown, as a message key: not yet published, or too few.
    pub withheld: Option<&'static str>,
}

impl Summary {
    fn secret(period: &str) -> Summary {
        Summary {
            period: period.to_string(),
            reviewed: Published::Secret,
            offer: Published::Secret,
            offer_or_partly: Published::Secret,
            median_days: Published::Secret,
            barriers: Vec::new(),
            age_bands: Vec::new(),
            domains: Vec::new(),
            parts: None,
            withheld: Some("withheld.too_few_reviews"),
        }
    }

    /// A period with a half year that has not ended: nothing is published before it has, so
    /// two looks in time cannot differ by one review.
    fn pending(period: &str) -> Summary {
        Summary { withheld: Some("withheld.after_half_year"), ..Summary::secret(period) }
    }

    pub fn is_shown(&self) -> bool {
        self.reviewed != Published::Secret
    }
}

fn percent(part: usize, whole: usize) -> Published {
    Published::Value((part as f64 / whole as f64 * 1000.0).round() / 10.0)
}

fn median(mut values: Vec<u32>) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(values[n / 2])),
        _ => Some((f64::from(values[n / 2 - 1]) + f64::from(values[n / 2])) / 2.0),
    }
}

fn count(n: usize, min: usize) -> Published {
    if n >= min { Published::Value(n as f64) } else { Published::Secret }
}

/// A share of `part` in `whole`, shown only when both the part and the rest reach `min`: over
/// an exact total a share gives both back.
fn share(part: usize, whole: usize, min: usize) -> Published {
    if part >= min && whole - part >= min { percent(part, whole) } else { Published::Secret }
}

/// Whether a half year (2026-H1) has ended by `today` (YYYY-MM-DD).
pub fn has_ended(half: &str, today: &str) -> bool {
    match half.split_once("-H") {
        Some((year, "1")) => today > format!("{year}-06-30").as_str(),
        Some((year, _)) => today > format!("{year}-12-31").as_str(),
        None => false,
    }
}

/// Counts per category as they may be shown: a category below `min` is secret — also one that
/// did not occur, for 0 is a small count too — and so are the smallest shown ones until the
/// secret ones together reach `min`, so that the total minus the shown ones does not give them
/// away (not even as all zero).
fn partition(counts: &BTreeMap<&'static str, usize>, min: usize) -> BTreeMap<&'static str, Published> {
    let mut shown: Vec<(&'static str, usize)> = counts.iter().filter(|(_, n)| **n >= min).map(|(k, n)| (*k, *n)).collect();
    let any_secret = counts.values().any(|n| *n < min);
    let mut hidden: usize = counts.values().filter(|n| **n < min).sum();
    shown.sort_by_key(|(k, n)| (*n, *k));
    while any_secret && hidden < min && !shown.is_empty() {
        hidden += shown.remove(0).1;
    }
    counts.iter().map(|(k, n)| (*k, if shown.iter().any(|(s, _)| s == k) { Published::Value(*n as f64) } else { Published::Secret })).collect()
}

/// The figures of one period (a half year, year or school year) on `today`, or none when the
/// period has no reviews or is not made of half years. A period is published only once each of
/// its half years has ended.
pub fn summary(reviews: &[CaseReview], period: &str, min: usize, today: &str) -> Option<Summary> {
    let halves = halves(period)?;
    if !halves.iter().all(|h| has_ended(h, today)) {
        return reviews.iter().any(|r| r.half_year().is_some_and(|h| halves.contains(&h))).then(|| Summary::pending(period));
    }
    let per_half: Vec<Vec<&CaseReview>> = halves.iter().map(|h| reviews.iter().filter(|r| r.half_year().as_deref() == Some(h.as_str())).collect()).collect();
    let group: Vec<&CaseReview> = per_half.concat();
    if group.is_empty() {
        return None;
    }
    let n = group.len();
    // A longer period is shown only when each half is empty or shown itself: else the period
    // minus its shown half would give the small one away.
    if n < min || per_half.iter().any(|h| !h.is_empty() && h.len() < min) {
        return Some(Summary::secret(period));
    }
    let with = |offers: &[Offer]| group.iter().filter(|r| offers.contains(&r.offer)).count();
    let days: Vec<u32> = group.iter().filter_map(|r| r.days).collect();
    let median_days = match median(days.clone()) {
        Some(m) if days.len() >= min => Published::Value(m),
        _ => Published::Secret,
    };
    // Each share over the exact total implies two groups (ja and the rest; ja or deels and
    // nee), both of which must reach the minimum; both shares together imply deels too.
    let (ja, ja_deels) = (with(&[Offer::Ja]), with(&[Offer::Ja, Offer::Deels]));
    let offer = share(ja, n, min);
    let mut offer_or_partly = share(ja_deels, n, min);
    if offer != Published::Secret && ja_deels - ja < min {
        offer_or_partly = Published::Secret;
    }
    let mut summary = Summary {
        period: period.to_string(),
        reviewed: Published::Value(n as f64),
        offer,
        offer_or_partly,
        median_days,
        barriers: Vec::new(),
        age_bands: Vec::new(),
        domains: Vec::new(),
        parts: (offer != Published::Secret).then(|| Parts::ratio(ja as f64, n as f64)),
        withheld: None,
    };
    // Categories only per half year: the same category of a year minus that of a half would
    // give the other half's away.
    if halves.len() == 1 {
        // Every category, also those that did not occur: a count of 0 is as secret as any small one.
        let mut barriers: BTreeMap<&'static str, usize> = Barrier::ALL.iter().map(|b| b.code()).chain([NO_BARRIER]).map(|k| (k, 0)).collect();
        let mut bands: BTreeMap<&'static str, usize> = AgeBand::ALL.iter().map(|b| (b.code(), 0)).collect();
        for r in &group {
            *barriers.entry(r.barrier.map(Barrier::code).unwrap_or(NO_BARRIER)).or_default() += 1;
            *bands.entry(r.age_band.code()).or_default() += 1;
        }
        let barriers = partition(&barriers, min);
        let order = Barrier::ALL.iter().map(|b| b.code()).chain([NO_BARRIER]);
        summary.barriers = order.filter_map(|code| barriers.get(code).map(|p| (code, *p))).collect();
        let bands = partition(&bands, min);
        summary.age_bands = AgeBand::ALL
            .iter()
            .filter_map(|band| {
                let reviewed = *bands.get(band.code())?;
                let of_band: Vec<&&CaseReview> = group.iter().filter(|r| r.age_band == *band).collect();
                let offer = match reviewed {
                    Published::Value(_) => share(of_band.iter().filter(|r| r.offer == Offer::Ja).count(), of_band.len(), min),
                    other => other,
                };
                Some(BandFigures { age_band: *band, reviewed, offer })
            })
            .collect();
        // The bands' shares against the total's: what they leave over (the hidden bands) must
        // reach the minimum in both groups too, or no band's share is shown.
        let shown_bands: Vec<&BandFigures> = summary.age_bands.iter().filter(|b| b.offer != Published::Secret).collect();
        let band_of = |b: &BandFigures| group.iter().filter(|r| r.age_band == b.age_band).collect::<Vec<_>>();
        let (rest_ja, rest) = shown_bands.iter().fold((ja, n), |(j, t), b| {
            let of = band_of(b);
            (j - of.iter().filter(|r| r.offer == Offer::Ja).count(), t - of.len())
        });
        if rest > 0 && (rest_ja < min || rest - rest_ja < min) {
            for b in &mut summary.age_bands {
                b.offer = Published::Secret;
            }
        }
        summary.domains = CaseDomain::ALL
            .iter()
            .map(|d| (*d, group.iter().filter(|r| r.domains.contains(d)).count()))
            // The cases that did not touch a domain are a group too.
            .map(|(d, k)| (d, if n - k >= min { count(k, min) } else { Published::Secret }))
            .collect();
    }
    Some(summary)
}

/// The figures of every period of `kind` that has reviews on `today`, oldest first.
pub fn summaries(reviews: &[CaseReview], kind: PeriodType, min: usize, today: &str) -> Vec<Summary> {
    let mut periods: Vec<String> = reviews.iter().filter_map(|r| r.half_year()).filter_map(|h| period_of(&h, kind)).collect();
    periods.sort();
    periods.dedup();
    periods.iter().filter_map(|p| summary(reviews, p, min, today)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CaseReviewInput {
        CaseReviewInput {
            body: "3".into(),
            date: "2026-03-10".into(),
            age_band: "12-18".into(),
            domains: vec!["onderwijs".into(), "jeugdhulp".into()],
            offer: "ja".into(),
            days: "42".into(),
            lesson: "Eerder de leerplichtambtenaar erbij halen.".into(),
            ..Default::default()
        }
    }

    fn codes(err: Invalid) -> Vec<(&'static str, &'static str)> {
        err.errors.iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_review_is_checked_field_by_field() {
        let ok = CaseReview::parse(&input(), "2026-11-24").expect("valid");
        assert_eq!((ok.body, ok.age_band, ok.offer, ok.days), (Some(3), AgeBand::Van12, Offer::Ja, Some(42)));
        assert_eq!(ok.domains, [CaseDomain::Onderwijs, CaseDomain::Jeugdhulp], "in the vocabulary's order");
        assert_eq!(
            codes(CaseReview::parse(&CaseReviewInput::default(), "2026-11-24").expect_err("empty")),
            [("body", "err.required"), ("date", "err.required"), ("age_band", "err.required"), ("domains", "err.case_domains"), ("offer", "err.required")]
        );
        let future = CaseReviewInput { date: "2026-11-25".into(), ..input() };
        assert_eq!(codes(CaseReview::parse(&future, "2026-11-24").expect_err("future")), [("date", "err.date_future")]);
        let dutch = CaseReviewInput { date: "10-3-2026".into(), ..input() };
        assert_eq!(CaseReview::parse(&dutch, "2026-11-24").expect("a Dutch date").date, "2026-03-10");
        let bad = CaseReviewInput { date: "31-03-20266".into(), age_band: "5-9".into(), domains: vec!["sport".into()], days: "-3".into(), ..input() };
        assert_eq!(
            codes(CaseReview::parse(&bad, "2026-11-24").expect_err("bad")),
            [("date", "err.date"), ("age_band", "err.choice"), ("domains", "err.choice"), ("days", "err.case_days")]
        );
        let none = CaseReviewInput { offer: "nee".into(), ..input() };
        assert_eq!(codes(CaseReview::parse(&none, "2026-11-24").expect_err("no offer")), [("days", "err.case_days_no_offer"), ("barrier", "err.case_barrier")]);
        let none = CaseReviewInput { offer: "nee".into(), days: String::new(), barrier: "wachtlijst".into(), ..input() };
        assert_eq!(CaseReview::parse(&none, "2026-11-24").expect("valid").barrier, Some(Barrier::Wachtlijst));
        let zero = CaseReviewInput { offer: "deels".into(), days: "0".into(), ..input() };
        assert_eq!(CaseReview::parse(&zero, "2026-11-24").expect("valid").days, Some(0));
    }

    #[test]
    fn the_api_may_send_numbers_and_confirm_with_a_boolean() {
        let json = r#"{"body": 7, "date": "2026-01-05", "age_band": "0-4", "domains": ["jgz"], "offer": "deels", "days": 12, "bevestigd": true}"#;
        let input: CaseReviewInput = serde_json::from_str(json).expect("json");
        assert_eq!((input.body.as_str(), input.days.as_str(), input.confirmed), ("7", "12", true));
        let form: CaseReviewInput = serde_json::from_str(r#"{"days": null}"#).expect("null");
        assert_eq!(form.days, "");
    }

    fn clues(text: &str) -> Vec<(Clue, String)> {
        identifying(text, &[]).into_iter().map(|f| (f.clue, f.text)).collect()
    }

    #[test]
    fn what_might_identify_a_child_is_found() {
        use Clue::*;
        let text = "Besproken met moeder. BSN 111222333 stond in het dossier, geboren 12-03-2015 en bereikbaar op 06 12 34 56 78.\n\
                    Zij woont op de Dorpsstraat 12, 1234 AB Lindeveen, en zit op basisschool De Regenboog.\n\
                    Mail naar ouder@voorbeeld.nl of bel +31 6 12345678. Volgens Jan van der Berg was dat op 3 mei 2024.";
        assert_eq!(
            clues(text),
            [
                (Bsn, "111222333".to_string()),
                (Datum, "12-03-2015".into()),
                (Telefoon, "06 12 34 56 78".into()),
                (Adres, "Dorpsstraat 12".into()),
                (Postcode, "1234 AB".into()),
                (Naam, "Lindeveen".into()),
                (School, "basisschool De Regenboog".into()),
                (Email, "ouder@voorbeeld.nl".into()),
                (Telefoon, "+31 6 12345678".into()),
                (Naam, "Jan van der Berg".into()),
                (Datum, "3 mei 2024".into()),
            ]
        );
    }

    #[test]
    fn ordinary_lessons_raise_nothing() {
        for text in [
            "",
            "Eerder de jeugdhulp aan tafel. Wachtlijst van 12 weken; overbrugging via het wijkteam.",
            "De Jeugdwet en de Wmo schuurden: wie betaalt het vervoer? MDO in 2026-H1 twee keer uitgesteld.",
            "In 2025 en 2026 hadden 3 van de 14 kinderen geen plek. IB en JGZ sloten aan.",
            "- Sneller opschalen\n- Ouders vanaf het begin betrekken",
            "Het aantal 123456789 haalt de elfproef niet.",
        ] {
            assert_eq!(clues(text), [], "{text}");
        }
        // Names the collaboration knows (a partner, a body) are not taken for a child's.
        let known = known_words(["Kinderopvang De Vlinder", "MDO Noord"]);
        assert_eq!(identifying("Na overleg met De Vlinder en MDO Noord was er plek.", &known), []);
        assert_eq!(identifying("Ze gaat naar kinderopvang De Vlinder.", &known)[0].clue, Clue::School, "a location stays a finding");
    }

    #[test]
    fn a_confirmation_covers_only_the_findings_that_were_shown() {
        let findings = identifying("Volgens Jansen ging het goed.", &[]);
        assert_eq!(findings.len(), 1);
        let shown = fingerprint(&findings);
        let sent = |confirmed: bool, seen: &str| CaseReviewInput { confirmed, seen: seen.into(), ..Default::default() };
        assert_eq!(unconfirmed(findings.clone(), &sent(false, "")).len(), 1);
        assert!(unconfirmed(findings.clone(), &sent(true, "")).is_empty(), "the API confirms what it sends");
        assert!(unconfirmed(findings.clone(), &sent(true, &shown)).is_empty());
        let more = identifying("Volgens Jansen ging het goed, bel 0612345678.", &[]);
        assert_eq!(unconfirmed(more, &sent(true, &shown)).len(), 2, "a text changed after the warning is checked again");
    }

    fn review(date: &str, band: AgeBand, offer: Offer, days: Option<u32>, barrier: Option<Barrier>) -> CaseReview {
        CaseReview { body: Some(1), date: date.into(), age_band: band, domains: vec![CaseDomain::Onderwijs], offer, days, barrier, lesson: String::new() }
    }

    #[test]
    fn periods_are_made_of_half_years() {
        assert_eq!(half_year("2026-06-30").as_deref(), Some("2026-H1"));
        assert_eq!(half_year("2026-07-01").as_deref(), Some("2026-H2"));
        assert_eq!(halves("2025-2026"), Some(vec!["2025-H2".to_string(), "2026-H1".to_string()]));
        assert_eq!(halves("2026"), Some(vec!["2026-H1".to_string(), "2026-H2".to_string()]));
        assert_eq!(halves("2026-Q1"), None);
        assert_eq!(covering_period("2026-Q3").as_deref(), Some("2026-H2"));
        assert_eq!(period_of("2026-H1", PeriodType::Schooljaar).as_deref(), Some("2025-2026"));
        assert_eq!(period_of("2026-H2", PeriodType::Schooljaar).as_deref(), Some("2026-2027"));
    }

    #[test]
    fn a_half_year_shows_shares_median_and_categories_from_the_minimum() {
        use Offer::*;
        let mut rs = Vec::new();
        for (i, (offer, days, barrier)) in [
            (Ja, Some(10), None),
            (Ja, Some(20), None),
            (Ja, Some(30), Some(Barrier::Wachtlijst)),
            (Ja, None, Some(Barrier::Wachtlijst)),
            (Deels, Some(60), Some(Barrier::Wachtlijst)),
            (Deels, Some(90), Some(Barrier::Wachtlijst)),
            (Nee, None, Some(Barrier::Wachtlijst)),
            (Nee, None, Some(Barrier::Vervoer)),
        ]
        .into_iter()
        .enumerate()
        {
            let band = if i < 6 { AgeBand::Van4 } else { AgeBand::Van18 };
            rs.push(review(&format!("2026-0{}-15", 1 + i % 6), band, offer, days, barrier));
        }
        let s = summary(&rs, "2026-H1", 5, TODAY).expect("reviews");
        // 4 of 8 with an offer: over the exact total that gives away the 4 without; 6 of 8 the 2 with none.
        assert_eq!((s.reviewed, s.offer, s.offer_or_partly), (Published::Value(8.0), Published::Secret, Published::Secret));
        assert_eq!(s.median_days, Published::Value(30.0), "the median of 10, 20, 30, 60 and 90");
        assert_eq!(s.parts, None);
        // Vervoer (1) and none (2) are too small, and together still below 5: wachtlijst (5) goes
        // too. Every barrier is listed, the ones that did not occur as secret as the small ones.
        assert_eq!(s.barriers.len(), Barrier::ALL.len() + 1);
        assert!(s.barriers.iter().all(|(_, p)| *p == Published::Secret), "{:?}", s.barriers);
        assert_eq!(s.age_bands.len(), AgeBand::ALL.len());
        assert!(
            s.age_bands.iter().all(|b| (b.reviewed, b.offer) == (Published::Secret, Published::Secret)),
            "the two from 18 would follow from the total: {:?}",
            s.age_bands
        );
        assert_eq!(s.domains[0], (CaseDomain::Onderwijs, Published::Secret), "8 of 8: the cases without it are a group of 0");
        assert!(s.domains.iter().all(|(_, p)| *p == Published::Secret), "a domain no case touched is a count of 0: secret");
        let more: Vec<CaseReview> = rs.iter().cloned().chain((0..6).map(|_| review("2026-02-01", AgeBand::Van4, Nee, None, Some(Barrier::Regels)))).collect();
        let s = summary(&more, "2026-H1", 5, TODAY).expect("reviews");
        assert_eq!((s.offer, s.offer_or_partly), (Published::Secret, Published::Value(42.9)), "4 with an offer is too few; 6 against 8 is not");
        let many: Vec<CaseReview> = more.iter().cloned().chain((0..5).map(|_| review("2026-02-01", AgeBand::Van4, Ja, None, None))).collect();
        let s = summary(&many, "2026-H1", 5, TODAY).expect("reviews");
        assert_eq!((s.offer, s.offer_or_partly), (Published::Value(47.4), Published::Secret), "ja 9, nee 8, but deels only 2");
        // The current half year shows nothing until it has ended.
        let s = summary(&rs, "2026-H1", 5, "2026-06-30").expect("reviews");
        assert_eq!((s.reviewed, s.withheld), (Published::Secret, Some("withheld.after_half_year")));
        assert!(summary(&rs, "2026-H1", 5, "2026-07-01").expect("reviews").is_shown());
        // Below the minimum everything is secret, never zero.
        let few = summary(&rs[..4], "2026-H1", 5, TODAY).expect("reviews");
        assert_eq!((few.reviewed, few.offer, few.median_days, few.parts), (Published::Secret, Published::Secret, Published::Secret, None));
        assert!(summary(&rs, "2025-H2", 5, TODAY).is_none(), "no reviews in that period");
        assert_eq!(summaries(&rs, PeriodType::Jaar, 5, TODAY)[0].barriers, [], "categories only per half year");
    }

    const TODAY: &str = "2027-12-07";

    #[test]
    fn a_category_that_did_not_occur_is_secret_and_not_to_be_worked_out_from_the_total() {
        // Ten reviews, all of age 4-12 and all with a waiting list: every other category is 0.
        let rs: Vec<CaseReview> = (0..10).map(|_| review("2026-03-01", AgeBand::Van4, Offer::Nee, None, Some(Barrier::Wachtlijst))).collect();
        let s = summary(&rs, "2026-H1", 5, TODAY).expect("reviews");
        assert_eq!(s.reviewed, Published::Value(10.0));
        // Shown beside the total, the 10 would say that every other category is 0.
        assert!(s.barriers.iter().all(|(_, p)| *p == Published::Secret), "{:?}", s.barriers);
        assert!(s.age_bands.iter().all(|b| b.reviewed == Published::Secret), "{:?}", s.age_bands);
        assert!(s.domains.iter().filter(|(d, _)| *d != CaseDomain::Onderwijs).all(|(_, p)| *p == Published::Secret));
        // Two categories of 5: both reach the minimum, the zeros beside them are secret, and
        // together hidden they reach it: one of the two goes with them.
        let two: Vec<CaseReview> =
            (0..10).map(|i| review("2026-03-01", if i < 5 { AgeBand::Van4 } else { AgeBand::Van12 }, Offer::Nee, None, Some(Barrier::Wachtlijst))).collect();
        let s = summary(&two, "2026-H1", 5, TODAY).expect("reviews");
        let shown: Vec<&BandFigures> = s.age_bands.iter().filter(|b| b.reviewed != Published::Secret).collect();
        assert_eq!(shown.len(), 1, "{:?}", s.age_bands);
    }

    #[test]
    fn a_year_is_hidden_when_one_of_its_halves_is_small() {
        let mut rs: Vec<CaseReview> = (0..9).map(|_| review("2026-03-01", AgeBand::Van4, Offer::Ja, Some(5), None)).collect();
        assert_eq!(summary(&rs, "2026", 5, TODAY).expect("year").reviewed, Published::Value(9.0), "an empty half gives nothing away");
        rs.extend((0..3).map(|_| review("2026-09-01", AgeBand::Van4, Offer::Nee, None, Some(Barrier::Anders))));
        assert_eq!(summary(&rs, "2026", 5, TODAY).expect("year").reviewed, Published::Secret, "12 minus the 9 shown would give the 3 away");
        assert_eq!(summary(&rs, "2026-H1", 5, TODAY).expect("half").reviewed, Published::Value(9.0));
        assert_eq!(summary(&rs, "2026-2027", 5, TODAY).expect("school year").reviewed, Published::Secret);
        let views: Vec<String> = summaries(&rs, PeriodType::Schooljaar, 5, TODAY).into_iter().map(|s| s.period).collect();
        assert_eq!(views, ["2025-2026", "2026-2027"]);
    }

    use crate::rng::Rng;

    #[test]
    fn no_random_set_of_reviews_shows_a_small_group_or_lets_one_be_recomputed() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for case in 0..1500 {
            let min = crate::scan::minimum(rng.next(8) as usize, 0);
            let rs: Vec<CaseReview> = (0..rng.next(40))
                .map(|_| {
                    let date = format!("{}-{:02}-10", 2025 + rng.next(2), 1 + rng.next(12));
                    let offer = Offer::ALL[rng.next(3) as usize];
                    let days = (offer != Offer::Nee && rng.next(3) > 0).then(|| rng.next(200) as u32);
                    let barrier = if offer == Offer::Nee || rng.next(2) == 0 { Some(Barrier::ALL[rng.next(8) as usize]) } else { None };
                    review(&date, AgeBand::ALL[rng.next(5) as usize], offer, days, barrier)
                })
                .collect();
            let half_count = |h: &str| rs.iter().filter(|r| r.half_year().as_deref() == Some(h)).count();
            for kind in PERIOD_TYPES {
                for s in summaries(&rs, kind, min, TODAY) {
                    let n = halves(&s.period).expect("halves").iter().map(|h| half_count(h)).sum::<usize>();
                    let in_period: Vec<&CaseReview> =
                        rs.iter().filter(|r| r.half_year().is_some_and(|h| halves(&s.period).expect("halves").contains(&h))).collect();
                    let ja = in_period.iter().filter(|r| r.offer == Offer::Ja).count();
                    if s.offer != Published::Secret {
                        assert!(ja >= min && n - ja >= min, "case {case}: a share over the total gives a small group away");
                    }
                    match s.reviewed {
                        Published::Secret => assert!(s.offer == Published::Secret && s.parts.is_none() && s.barriers.is_empty(), "case {case}"),
                        Published::Value(v) => {
                            assert!(v as usize == n && n >= min, "case {case}: {} shows {v}", s.period);
                            // Every half of a shown period is empty or large enough on its own.
                            for h in halves(&s.period).expect("halves") {
                                let k = half_count(&h);
                                assert!(k == 0 || k >= min, "case {case}: {} shown with {h} at {k}", s.period);
                            }
                        }
                        other => panic!("case {case}: a review count is never {other:?}"),
                    }
                    for list in [&s.barriers.iter().map(|(_, p)| *p).collect::<Vec<_>>(), &s.age_bands.iter().map(|b| b.reviewed).collect()] {
                        let shown: f64 = list.iter().filter_map(|p| if let Published::Value(v) = p { Some(*v) } else { None }).sum();
                        assert!(list.iter().all(|p| !matches!(p, Published::Value(v) if (*v as usize) < min)), "case {case}: a small category shown");
                        let hidden = n as f64 - shown;
                        let any_secret = list.contains(&Published::Secret);
                        assert!(list.is_empty() || !any_secret || hidden >= min as f64, "case {case}: the hidden categories ({hidden}) follow from the total");
                    }
                    assert!(s.domains.iter().all(|(_, p)| !matches!(p, Published::Value(v) if (*v as usize) < min)), "case {case}");
                }
            }
        }
    }
}
