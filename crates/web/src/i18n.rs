//! Dutch first, English available. The texts live in `locales/nl.txt` and `locales/en.txt`
//! as `key = text` lines, embedded in the binary. A plain key-value catalogue serves the
//! product's short interface texts; a test keeps both files at the same keys and checks that
//! every key used in the code exists.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

pub const NL: &str = include_str!("../locales/nl.txt");
pub const EN: &str = include_str!("../locales/en.txt");

pub fn parse_catalogue(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).filter_map(|l| l.split_once(" = ")).map(|(k, v)| (k.trim(), v.trim())).collect()
}

fn catalogue(lang: Lang) -> &'static HashMap<&'static str, &'static str> {
    static NL_MAP: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    static EN_MAP: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    match lang {
        Lang::Nl => NL_MAP.get_or_init(|| parse_catalogue(NL)),
        Lang::En => EN_MAP.get_or_init(|| parse_catalogue(EN)),
    }
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The text for `key`; the key itself when it is missing (a test keeps that from happening).
    pub fn t(self, key: &str) -> &str {
        catalogue(self).get(key).copied().unwrap_or(key)
    }

    /// A field error's message, with the value it names (such as a floor) filled in.
    pub fn error(self, e: &domain::error::FieldError) -> String {
        let text = self.t(e.code);
        match &e.value {
            Some(value) => text.replace("{value}", value),
            None => text.to_string(),
        }
    }

    /// The label of a vocabulary code, e.g. `sector.kinderopvang`.
    pub fn label(self, group: &str, code: &str) -> String {
        let key = format!("{group}.{code}");
        let text = self.t(&key);
        if text == key { code.to_string() } else { text.to_string() }
    }

    /// An amount of money from cents: `€ 1.234.567,00` in Dutch, `€1,234,567.00` in English.
    pub fn money(self, cents: i64) -> String {
        match self {
            Lang::Nl => format!("€ {}", domain::finance::euros(cents, '.', ',')),
            Lang::En => format!("€{}", domain::finance::euros(cents, ',', '.')),
        }
    }

    /// A stored value as it was entered, in this language's format: 1.234,5 in Dutch,
    /// 1,234.5 in English; no more and no fewer decimals than it has.
    pub fn decimal(self, v: f64) -> String {
        let text = v.abs().to_string();
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let grouped = self.number(whole.parse::<i64>().unwrap_or(0));
        let sign = if v < 0.0 { "-" } else { "" };
        if fraction.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped}{}{fraction}", if self == Lang::Nl { ',' } else { '.' }) }
    }

    /// A whole number in this language's format: 1.234 in Dutch, 1,234 in English.
    pub fn number(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let sep = if self == Lang::Nl { '.' } else { ',' };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    }

    /// A stored YYYY-MM-DD date as people read it: `12 maart 2026` (nl) or `12 March 2026`
    /// (en). Text that is no date is shown as it is.
    pub fn date(self, iso: &str) -> String {
        match domain::date::parse(iso) {
            Some(d) => self.day(d.year(), u8::from(d.month()), d.day()),
            None => iso.to_string(),
        }
    }

    fn day(self, year: i32, month: u8, day: u8) -> String {
        const NL: [&str; 12] = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
        const EN: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        let names = if self == Lang::Nl { NL } else { EN };
        let name = names.get(usize::from(month).saturating_sub(1)).copied().unwrap_or_default();
        format!("{day} {name} {year}")
    }

    /// A stored HH:MM time of day as people read it: `9.30 uur` (nl) or `09:30` (en). Text that
    /// is no time is shown as it is.
    pub fn time(self, stored: &str) -> String {
        match (domain::date::read_time(stored), self) {
            (Some((h, m)), Lang::Nl) => format!("{h}.{m:02} uur"),
            (Some((h, m)), Lang::En) => format!("{h:02}:{m:02}"),
            (None, _) => stored.to_string(),
        }
    }

    /// A moment as people in the Netherlands read it, in Dutch time whether summer or winter:
    /// `24 november 2026 9.05 uur` (nl) or `24 November 2026 09:05 CET` (en).
    pub fn datetime(self, unix: impl std::borrow::Borrow<i64>) -> String {
        let Some(t) = local(*unix.borrow()) else { return String::new() };
        let day = self.day(i32::from(t.year()), u8::try_from(t.month()).unwrap_or_default(), u8::try_from(t.day()).unwrap_or_default());
        let (hh, mm) = (t.hour(), t.minute());
        match self {
            Lang::Nl => format!("{day} {hh}.{mm:02} uur"),
            Lang::En => format!("{day} {hh:02}:{mm:02} {}", t.strftime("%Z")),
        }
    }
}

/// The zone every time shown to people is in.
static AMSTERDAM: std::sync::LazyLock<jiff::tz::TimeZone> =
    std::sync::LazyLock::new(|| jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap_or(jiff::tz::TimeZone::UTC));

/// Unix time `unix` on the clocks of Europe/Amsterdam.
pub fn local(unix: i64) -> Option<jiff::ZonedDateTime> {
    Some(jiff::Timestamp::from_second(unix).ok()?.to_zoned_datetime(AMSTERDAM.clone()))
}

/// Today's date on the clocks of Europe/Amsterdam, as YYYY-MM-DD.
pub fn today() -> String {
    local(jiff::Timestamp::now().as_second()).map(|t| t.date().to_string()).unwrap_or_default()
}

/// The visitor's language, from the `lang` cookie; Dutch when there is none.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Lang, Infallible> {
        Ok(crate::session::cookie(&parts.headers, "lang").and_then(|v| Lang::from_code(&v)).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let nl = parse_catalogue(NL);
        let en = parse_catalogue(EN);
        let mut only_nl: Vec<_> = nl.keys().filter(|k| !en.contains_key(*k)).collect();
        let mut only_en: Vec<_> = en.keys().filter(|k| !nl.contains_key(*k)).collect();
        only_nl.sort();
        only_en.sort();
        assert!(only_nl.is_empty() && only_en.is_empty(), "only in nl: {only_nl:?}; only in en: {only_en:?}");
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists() {
        let nl = parse_catalogue(NL);
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut missing = Vec::new();
        let mut files = Vec::new();
        let mut dirs: Vec<std::path::PathBuf> = ["src", "templates"].iter().map(|d| format!("{root}{d}").into()).collect();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("dir").flatten() {
                if entry.path().is_dir() { dirs.push(entry.path()) } else { files.push(entry.path()) }
            }
        }
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            for part in text.split(".t(\"").skip(1) {
                let key = part.split('"').next().unwrap_or_default();
                if !key.is_empty() && !key.ends_with('.') && !nl.contains_key(key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
        assert!(missing.is_empty(), "missing keys: {missing:#?}");
    }

    /// Every (key, value) of a catalogue as written, duplicates included.
    fn entries(text: &'static str) -> Vec<(&'static str, &'static str)> {
        text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).filter_map(|l| l.split_once(" = ")).map(|(k, v)| (k.trim(), v.trim())).collect()
    }

    #[test]
    fn no_key_is_defined_twice() {
        for (name, text) in [("nl", NL), ("en", EN)] {
            let mut seen = std::collections::HashSet::new();
            let twice: Vec<&str> = entries(text).into_iter().filter(|(k, _)| !seen.insert(*k)).map(|(k, _)| k).collect();
            assert!(twice.is_empty(), "{name}.txt defines these keys more than once (the last one wins): {twice:?}");
        }
    }

    #[test]
    fn dutch_addresses_the_reader_as_u() {
        let informal = ["je", "jij", "jou", "jouw", "jouwe", "jezelf"];
        let found: Vec<String> = entries(NL)
            .into_iter()
            .filter(|(_, v)| v.split(|c: char| !c.is_alphabetic()).any(|w| informal.contains(&w.to_lowercase().as_str())))
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        assert!(found.is_empty(), "the Dutch texts say u, never je, jij or jouw: {found:#?}");
    }

    /// Words that are the same in Dutch and English, and so may show the same in both.
    const SAME_IN_BOTH: &[&str] = &[
        "Partners",
        "Status",
        "Sector",
        "Ring",
        "Accounts",
        "professional",
        "professionals",
        "Tips",
        "—",
        "Was",
        "OOGO",
        "online",
        "Agenda",
        "open",
        "Scans",
        "Link",
        "Element",
        "Factor",
        "Code",
        "Monitoring",
        "Indicator",
        "Pot",
    ];

    #[test]
    fn english_shows_no_dutch_text() {
        let nl = catalogue(Lang::Nl);
        let dutch: Vec<String> =
            entries(EN).into_iter().filter(|(k, v)| nl.get(k) == Some(v) && !SAME_IN_BOTH.contains(v)).map(|(k, v)| format!("{k} = {v}")).collect();
        assert!(dutch.is_empty(), "English mode would show these Dutch texts: {dutch:#?}");
    }

    #[test]
    fn no_menu_shows_one_label_twice() {
        let base = include_str!("../templates/base.html");
        let mut menus: Vec<Vec<&str>> = base
            .split("<nav")
            .skip(1)
            .map(|menu| {
                let menu = menu.split("</nav>").next().unwrap_or_default();
                menu.split("page.t(\"").skip(1).filter_map(|p| p.split('"').next()).filter(|k| !k.ends_with("_label") && *k != "nav.your_role").collect()
            })
            .collect();
        // The collaboration's menu holds its stages and their entries besides what the template names.
        let collab = menus.iter_mut().find(|keys| keys.contains(&"nav.overview")).expect("the collaboration's menu");
        for (stage, entries) in crate::html::NAV_GROUPS {
            collab.push(stage);
            collab.extend(entries.iter().map(|(_, _, label)| *label));
        }
        for (i, keys) in menus.iter().enumerate() {
            assert!(keys.len() > 2, "menu {i} has its items");
            for lang in [Lang::Nl, Lang::En] {
                let mut seen = std::collections::HashSet::new();
                let twice: Vec<&str> = keys.iter().map(|k| lang.t(k)).filter(|label| !seen.insert(*label)).collect();
                assert!(twice.is_empty(), "{lang:?} shows these labels twice in menu {i}: {twice:?}");
            }
        }
    }

    #[test]
    fn every_vocabulary_code_has_a_label_in_both_languages() {
        use domain::*;
        let mut groups: Vec<(&str, Vec<&str>)> = vec![
            ("sector", partner::Sector::ALL.iter().map(|v| v.code()).collect()),
            ("ring", partner::Ring::ALL.iter().map(|v| v.code()).collect()),
            ("role", access::Role::ALL.iter().map(|v| v.code()).collect()),
            ("personrole", person::PersonRole::ALL.iter().map(|v| v.code()).collect()),
            ("scale", collaboration::Scale::ALL.iter().map(|v| v.code()).collect()),
            ("age", collaboration::AgeFocus::ALL.iter().map(|v| v.code()).collect()),
            ("status", collaboration::CollaborationStatus::ALL.iter().map(|v| v.code()).collect()),
            ("stepstatus", journey::StepStatus::ALL.iter().map(|v| v.code()).collect()),
            ("category", obstacle::Category::ALL.iter().map(|v| v.code()).collect()),
            ("obstaclestatus", obstacle::ObstacleStatus::ALL.iter().map(|v| v.code()).collect()),
            ("agreementkind", agreement::AgreementKind::ALL.iter().map(|v| v.code()).collect()),
            ("agreementstatus", agreement::AgreementStatus::ALL.iter().map(|v| v.code()).collect()),
            ("datarole", agreement::DataRole::ALL.iter().map(|v| v.code()).collect()),
            ("assent", agreement::Assent::ALL.iter().map(|v| v.code()).collect()),
            ("mark", responsibility::Mark::ALL.iter().map(|v| v.code()).collect()),
            ("signal", vision::SignalSource::ALL.iter().map(|v| v.code()).collect()),
            ("level", body::Level::ALL.iter().map(|v| v.code()).collect()),
            ("bodykind", body::BodyKind::ALL.iter().map(|v| v.code()).collect()),
            ("mode", body::MeetingMode::ALL.iter().map(|v| v.code()).collect()),
            ("outcome", meeting::Outcome::ALL.iter().map(|v| v.code()).collect()),
            ("meetingstatus", meeting::MeetingStatus::ALL.iter().map(|v| v.code()).collect()),
            ("presence", meeting::Presence::ALL.iter().map(|v| v.code()).collect()),
            ("actionstatus", meeting::ActionStatus::ALL.iter().map(|v| v.code()).collect()),
            ("respondentlevel", scan::RespondentLevel::ALL.iter().map(|v| v.code()).collect()),
            ("questionkind", scan::QuestionKind::ALL.iter().map(|v| v.code()).collect()),
            ("indicatorkind", measure::IndicatorKind::ALL.iter().map(|v| v.code()).collect()),
            ("direction", indicator::Direction::ALL.iter().map(|v| v.code()).collect()),
            ("perspective", indicator::Perspective::ALL.iter().map(|v| v.code()).collect()),
            ("periodtype", indicator::PeriodType::ALL.iter().map(|v| v.code()).collect()),
            ("periodhint", indicator::PeriodType::ALL.iter().map(|v| v.code()).collect()),
            ("numerator", measure::IndicatorKind::ALL.iter().map(|v| v.code()).collect()),
            ("denominator", measure::IndicatorKind::ALL.iter().map(|v| v.code()).collect()),
            ("indicatorstatus", indicator::IndicatorStatus::ALL.iter().map(|v| v.code()).collect()),
            ("measurementstatus", indicator::MeasurementStatus::ALL.iter().map(|v| v.code()).collect()),
            ("activitystatus", programme::ActivityStatus::ALL.iter().map(|v| v.code()).collect()),
            ("ageband", case_review::AgeBand::ALL.iter().map(|v| v.code()).collect()),
            ("casedomain", case_review::CaseDomain::ALL.iter().map(|v| v.code()).collect()),
            ("offer", case_review::Offer::ALL.iter().map(|v| v.code()).collect()),
            ("barrier", case_review::Barrier::ALL.iter().map(|v| v.code()).chain([case_review::NO_BARRIER]).collect()),
            ("clue", case_review::Clue::ALL.iter().map(|v| v.code()).collect()),
        ];
        for kind in ["partners", "people", "portfolios", "examples", "bodies"] {
            groups.push((kind, vec!["title", "new", "edit", "delete", "delete_question"]));
        }
        for lang in [Lang::Nl, Lang::En] {
            for (group, codes) in &groups {
                for code in codes {
                    let key = format!("{group}.{code}");
                    assert_ne!(lang.t(&key), key, "{lang:?} lacks {key}");
                }
            }
        }
    }

    #[test]
    fn every_audit_action_the_store_writes_has_a_label() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../store/src/");
        let mut actions = Vec::new();
        for entry in std::fs::read_dir(root).expect("store sources").flatten() {
            let text = std::fs::read_to_string(entry.path()).expect("read");
            for part in text.split(".audit(").skip(1) {
                // The action is the first string literal after the actor and collaboration.
                if let Some(action) = part.split('"').nth(1).filter(|a| (a.contains('.') || *a == "login") && !a.contains('{')) {
                    actions.push(action.to_string());
                }
            }
            for part in text.split("(\"").skip(1) {
                if let Some((kind, _)) = part.split_once("\", \"")
                    && ["partner", "person", "portfolio", "example", "body"].contains(&kind)
                {
                    actions.push(format!("{kind}.delete"));
                }
            }
        }
        assert!(actions.len() > 20, "{actions:?}");
        for action in actions {
            for lang in [Lang::Nl, Lang::En] {
                assert_ne!(lang.label("auditaction", &action), action, "{lang:?} lacks a label for {action}");
            }
        }
    }

    #[test]
    fn every_error_code_the_domain_uses_has_a_message() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/src/");
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("domain sources").flatten() {
                let path = entry.path();
                if path.is_dir() { dirs.push(path) } else { files.push(path) }
            }
        }
        for path in files {
            let text = std::fs::read_to_string(&path).expect("read");
            for part in text.split("\"err.").skip(1) {
                let key = format!("err.{}", part.split('"').next().unwrap_or_default());
                for lang in [Lang::Nl, Lang::En] {
                    assert_ne!(lang.t(&key), key, "{lang:?} lacks {key}");
                }
            }
        }
    }

    #[test]
    fn numbers_and_dates_follow_the_language() {
        assert_eq!(Lang::Nl.number(1234567), "1.234.567");
        assert_eq!(Lang::En.number(-1234), "-1,234");
        assert_eq!((Lang::Nl.decimal(88.5), Lang::Nl.decimal(12345.25), Lang::Nl.decimal(-3.0)), ("88,5".into(), "12.345,25".into(), "-3".into()));
        assert_eq!(Lang::En.decimal(1234.5), "1,234.5");
        assert_eq!(Lang::Nl.datetime(0), "1 januari 1970 1.00 uur");
        assert_eq!(Lang::Nl.datetime(1_782_891_000), "1 juli 2026 9.30 uur");
        assert_eq!(Lang::En.datetime(1_782_891_000), "1 July 2026 09:30 CEST");
        assert_eq!(Lang::Nl.date("2026-03-12"), "12 maart 2026");
        assert_eq!(Lang::En.date("2026-12-01"), "1 December 2026");
        assert_eq!(Lang::Nl.date("2026-H1"), "2026-H1", "what is no date is shown as it is");
        assert_eq!(Lang::Nl.time("09:30"), "9.30 uur");
        assert_eq!(Lang::En.time("19:05"), "19:05");
    }

    #[test]
    fn times_follow_dutch_clocks_across_summer_time() {
        // 29 March 2026: at 01:00 UTC the clocks go from 2.00 to 3.00.
        assert_eq!(Lang::Nl.datetime(1_774_745_940), "29 maart 2026 1.59 uur");
        assert_eq!(Lang::Nl.datetime(1_774_746_000), "29 maart 2026 3.00 uur");
        assert_eq!(Lang::En.datetime(1_774_746_000), "29 March 2026 03:00 CEST");
        // 25 October 2026: at 01:00 UTC the clocks go back from 3.00 to 2.00, so 2.30 comes twice.
        assert_eq!(Lang::En.datetime(1_792_888_200), "25 October 2026 02:30 CEST");
        assert_eq!(Lang::En.datetime(1_792_891_800), "25 October 2026 02:30 CET");
        assert_eq!(Lang::Nl.datetime(1_792_891_800), "25 oktober 2026 2.30 uur");
        // Half past eleven UTC on New Year's Eve is already next year in the Netherlands.
        assert_eq!(Lang::Nl.datetime(1_798_759_800), "1 januari 2027 0.30 uur");
        assert_eq!(local(1_798_759_800).map(|t| t.date().to_string()).as_deref(), Some("2027-01-01"));
        assert_eq!(local(1_782_891_000).map(|t| t.date().to_string()).as_deref(), Some("2026-07-01"));
    }
}
