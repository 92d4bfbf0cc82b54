//! Indicators chosen together and their measurements. An indicator says what is counted, how
//! (a count, a ratio, a mean), which way is better, from whose perspective, per which period,
//! who delivers it and under which agreements; it can only be active when its data flow falls
//! under an adopted data-sharing agreement. A measurement is a value per area and period, kept
//! as its parts (see `measure`), that goes from draft to submitted to approved or returned.

use crate::agreement::{AgreementContent, AgreementKind, AgreementStatus};
use crate::area::AreaCode;
use crate::error::{Invalid, choice, optional_id, optional_text, required_text};
use crate::journey::Text;
use crate::measure::{IndicatorKind, Parts, Rules};
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

vocabulary!(
    Direction { HogerBeter = "hoger_beter", LagerBeter = "lager_beter" }
);

vocabulary!(
    /// Whose view the indicator gives: the child and parent, an organisation, or the network.
    Perspective { Eindgebruiker = "eindgebruiker", Organisatie = "organisatie", Netwerk = "netwerk" }
);

vocabulary!(
    PeriodType { Jaar = "jaar", Schooljaar = "schooljaar", Halfjaar = "halfjaar", Kwartaal = "kwartaal" }
);

vocabulary!(
    IndicatorStatus { Concept = "concept", Actief = "actief" }
);

vocabulary!(
    MeasurementStatus { Concept = "concept", Ingediend = "ingediend", Goedgekeurd = "goedgekeurd", Teruggestuurd = "teruggestuurd" }
);

/// Whether `period` is written the way its type asks: 2026, 2025-2026, 2026-H1, 2026-Q3.
/// A period as people write it, in the form it is stored in: `2025-h1` → `2025-H1`, and a
/// Dutch quarter `2025-K1` (or `2025-k1`, `2025-q1`) → `2025-Q1`. Anything else stays as it is.
pub fn normalise_period(period: &str) -> std::borrow::Cow<'_, str> {
    let bytes = period.as_bytes();
    if bytes.len() == 7 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-' && bytes[6].is_ascii_digit() {
        let letter = match bytes[5] {
            b'k' | b'K' | b'q' | b'Q' => 'Q',
            b'h' | b'H' => 'H',
            _ => return std::borrow::Cow::Borrowed(period),
        };
        if bytes[5] != letter as u8 {
            return std::borrow::Cow::Owned(format!("{}-{letter}{}", &period[..4], &period[6..]));
        }
    }
    std::borrow::Cow::Borrowed(period)
}

pub fn is_period(kind: PeriodType, period: &str) -> bool {
    let year = |y: &str| y.len() == 4 && y.parse::<u32>().is_ok_and(|y| (1990..=2100).contains(&y));
    match kind {
        PeriodType::Jaar => year(period),
        PeriodType::Schooljaar => {
            period.split_once('-').is_some_and(|(a, b)| year(a) && year(b) && b.parse::<u32>().ok() == a.parse::<u32>().ok().map(|a| a + 1))
        }
        PeriodType::Halfjaar => period.split_once("-H").is_some_and(|(y, h)| year(y) && matches!(h, "1" | "2")),
        PeriodType::Kwartaal => period.split_once("-Q").is_some_and(|(y, q)| year(y) && matches!(q, "1" | "2" | "3" | "4")),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorContent {
    pub code: String,
    pub name: String,
    pub definition: String,
    pub unit: String,
    pub kind: IndicatorKind,
    /// 100 for a percentage, 1,000 for per thousand.
    pub factor: f64,
    pub direction: Direction,
    pub perspective: Perspective,
    pub period_type: PeriodType,
    pub source: String,
    /// The partner that delivers the data.
    pub partner: Option<i64>,
    pub baseline: Option<f64>,
    /// Targets per period.
    pub targets: Vec<(String, f64)>,
    /// The agreement that owns the indicator.
    pub agreement: Option<i64>,
    /// The data-sharing agreement its data flow falls under.
    pub sharing: Option<i64>,
    /// The partners that chose the indicator together, and when.
    pub agreed_by: Vec<i64>,
    pub agreed_on: String,
    pub rules: Rules,
    pub status: IndicatorStatus,
    /// The programme goal (subdoel) the indicator follows; its card shows that goal's
    /// indicators from the three perspectives side by side.
    #[serde(default)]
    pub goal: Option<i64>,
    /// The indicator whose count (numerator) this one's numerator or denominator is: their
    /// publications are worked out as one (`disclosure::publish_shared`). Set by a beheerder.
    #[serde(default)]
    pub shares: Option<Shares>,
}

/// "My numerator (or denominator) is the numerator of indicator `with`": a percentage of a
/// count, or a percentage over the children another indicator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shares {
    pub with: i64,
    pub part: crate::disclosure::SharedPart,
}

impl Shares {
    /// For the audit log: "teller = teller van indicator:5", or "geen".
    pub fn describe(shares: Option<&Shares>) -> String {
        match shares {
            Some(s) => format!("{} = teller van indicator:{}", SharedPartCode::from(s.part).code(), s.with),
            None => "geen".into(),
        }
    }
}

/// The indicators published jointly with `id`, each with the part of it that is the shared
/// count: the indicator whose count the others name first (as its numerator), then the ones
/// that name it. Alone, only itself. `links` are every indicator of the collaboration with
/// what it shares.
pub fn shared_group(links: &[(i64, Option<Shares>)], id: i64) -> Vec<(i64, crate::disclosure::SharedPart)> {
    let exists = |x: i64| links.iter().any(|(i, _)| *i == x);
    let root = links.iter().find(|(i, _)| *i == id).and_then(|(_, s)| *s).map(|s| s.with).filter(|w| exists(*w)).unwrap_or(id);
    let mut group = vec![(root, crate::disclosure::SharedPart::Numerator)];
    for (i, s) in links {
        if let Some(s) = s.filter(|s| s.with == root && *i != root) {
            group.push((*i, s.part));
        }
    }
    group
}

vocabulary!(
    /// The part of an indicator it shares, as forms write it.
    SharedPartCode { Teller = "teller", Noemer = "noemer" }
);

impl From<crate::disclosure::SharedPart> for SharedPartCode {
    fn from(part: crate::disclosure::SharedPart) -> SharedPartCode {
        match part {
            crate::disclosure::SharedPart::Numerator => SharedPartCode::Teller,
            crate::disclosure::SharedPart::Denominator => SharedPartCode::Noemer,
        }
    }
}

impl From<SharedPartCode> for crate::disclosure::SharedPart {
    fn from(code: SharedPartCode) -> crate::disclosure::SharedPart {
        match code {
            SharedPartCode::Teller => crate::disclosure::SharedPart::Numerator,
            SharedPartCode::Noemer => crate::disclosure::SharedPart::Denominator,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IndicatorInput {
    pub code: String,
    pub name: String,
    pub definition: String,
    pub unit: String,
    /// aantal, verhouding, gemiddelde or schaalscore
    pub kind: String,
    pub factor: String,
    /// hoger_beter or lager_beter
    pub direction: String,
    /// eindgebruiker, organisatie or netwerk
    pub perspective: String,
    /// jaar, schooljaar, halfjaar or kwartaal
    pub period_type: String,
    pub source: String,
    pub partner: String,
    pub baseline: String,
    /// One target a line, as "period: value", e.g. "2026-2027: 12".
    pub targets: String,
    pub agreement: String,
    pub sharing: String,
    pub agreed_by: Vec<String>,
    pub agreed_on: String,
    /// Counts are shown rounded to a multiple of this (at least the instance's floor, default 5).
    /// Publication rules are set by a beheerder only; empty keeps them as they are.
    pub round_to: String,
    /// Counts below this are secret (at least the instance's floor, default 8).
    pub secret_below: String,
    /// A ratio or mean needs at least this denominator or n (at least the instance's floor, default 100).
    pub min_denominator: String,
    /// concept or actief
    pub status: String,
    /// The programme goal the indicator follows.
    pub goal: String,
    /// The id of the indicator whose count this one's numerator or denominator is; "geen" for
    /// none; empty keeps it as it is. Set by a beheerder only.
    pub shares_with: String,
    /// teller or noemer: which part of this indicator is that count (default teller).
    pub shares_part: String,
}

/// A decimal number as people write it in a form, with a comma or a point: read by the
/// import's number parser, with a decimal comma whenever the text has a comma (`12,5`,
/// `1.234,5`) and a decimal point otherwise (`12.5`).
pub fn decimal(raw: &str) -> Option<f64> {
    crate::table::number(raw, raw.contains(','))
}

fn number_or(errors: &mut Invalid, field: &'static str, raw: &str, default: f64, min: f64) -> f64 {
    match raw.trim() {
        "" => default,
        text => match decimal(text) {
            Some(v) if v >= min => v,
            _ => {
                errors.add(field, "err.decimal");
                default
            }
        },
    }
}

impl IndicatorContent {
    pub fn parse(input: &IndicatorInput) -> Result<IndicatorContent, Invalid> {
        IndicatorContent::parse_with(input, Rules::default(), None)
    }

    /// Parses an indicator whose publication rules, where a field is left empty, stay as
    /// `rules` (the stored ones, or the instance's floors for a new indicator).
    /// The same holds for what it shares with another indicator (`shares`).
    pub fn parse_with(input: &IndicatorInput, rules: Rules, shares: Option<Shares>) -> Result<IndicatorContent, Invalid> {
        let mut errors = Invalid::default();
        let code = required_text(&mut errors, "code", &input.code, 20);
        let name = required_text(&mut errors, "name", &input.name, 200);
        let definition = optional_text(&mut errors, "definition", &input.definition, 5000);
        let unit = optional_text(&mut errors, "unit", &input.unit, 100);
        let kind = choice(&mut errors, "kind", &input.kind, IndicatorKind::from_code);
        let factor = number_or(&mut errors, "factor", &input.factor, 1.0, f64::MIN_POSITIVE);
        let direction = choice(&mut errors, "direction", &input.direction, Direction::from_code);
        let perspective = choice(&mut errors, "perspective", &input.perspective, Perspective::from_code);
        let period_type = choice(&mut errors, "period_type", &input.period_type, PeriodType::from_code);
        let source = optional_text(&mut errors, "source", &input.source, 1000);
        let partner = optional_id(&mut errors, "partner", &input.partner);
        let baseline = match input.baseline.trim() {
            "" => None,
            raw => decimal(raw).or_else(|| {
                errors.add("baseline", "err.decimal");
                None
            }),
        };
        let mut targets = Vec::new();
        for line in input.targets.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match line.rsplit_once(':').map(|(p, v)| (p.trim(), decimal(v))) {
                Some((period, Some(value))) if period_type.is_none_or(|t| is_period(t, period)) => targets.push((period.to_string(), value)),
                _ => errors.add("targets", "err.target"),
            }
        }
        let agreement = optional_id(&mut errors, "agreement", &input.agreement);
        let sharing = optional_id(&mut errors, "sharing", &input.sharing);
        let mut agreed_by = Vec::new();
        for raw in &input.agreed_by {
            match raw.trim().parse::<i64>() {
                Ok(id) if !agreed_by.contains(&id) => agreed_by.push(id),
                Ok(_) => {}
                Err(_) => errors.add("agreed_by", "err.choice"),
            }
        }
        let agreed_on = crate::date::optional_date(&mut errors, "agreed_on", &input.agreed_on);
        let goal = optional_id(&mut errors, "goal", &input.goal);
        let defaults = rules;
        let rules = Rules {
            round_to: number_or(&mut errors, "round_to", &input.round_to, defaults.round_to, 1.0),
            secret_below: number_or(&mut errors, "secret_below", &input.secret_below, defaults.secret_below, 0.0),
            min_denominator: number_or(&mut errors, "min_denominator", &input.min_denominator, defaults.min_denominator, 1.0),
        };
        let shares = match input.shares_with.trim() {
            "" => shares,
            "geen" | "none" => None,
            raw => {
                let with = optional_id(&mut errors, "shares_with", raw);
                let part = match input.shares_part.trim() {
                    "" => Some(SharedPartCode::Teller),
                    code => choice(&mut errors, "shares_part", code, SharedPartCode::from_code),
                };
                with.zip(part).map(|(with, part)| Shares { with, part: part.into() })
            }
        };
        let status = match input.status.trim() {
            "" => Some(IndicatorStatus::Concept),
            code => choice(&mut errors, "status", code, IndicatorStatus::from_code),
        };
        match (kind, direction, perspective, period_type, status) {
            (Some(kind), Some(direction), Some(perspective), Some(period_type), Some(status)) => errors.or(IndicatorContent {
                code,
                name,
                definition,
                unit,
                kind,
                factor,
                direction,
                perspective,
                period_type,
                source,
                partner,
                baseline,
                targets,
                agreement,
                sharing,
                agreed_by,
                agreed_on,
                rules,
                status,
                goal,
                shares,
            }),
            _ => Err(errors),
        }
    }

    /// An active indicator needs an adopted data-sharing agreement for its data flow.
    pub fn check_activation(&self, sharing: Option<&AgreementContent>) -> Result<(), Invalid> {
        if self.status != IndicatorStatus::Actief {
            return Ok(());
        }
        let adopted =
            sharing.is_some_and(|a| a.kind == AgreementKind::Gegevensdeling && matches!(a.status, AgreementStatus::Vastgesteld | AgreementStatus::Herzien));
        if adopted { Ok(()) } else { Err(Invalid::single("sharing", "err.no_sharing_agreement")) }
    }

    pub fn target(&self, period: &str) -> Option<f64> {
        self.targets.iter().find(|(p, _)| p == period).map(|(_, v)| *v)
    }

    /// Whether a value is on track for its target (None without a target).
    pub fn on_track(&self, period: &str, value: f64) -> Option<bool> {
        self.target(period).map(|t| match self.direction {
            Direction::HogerBeter => value >= t,
            Direction::LagerBeter => value <= t,
        })
    }
}

impl MeasurementStatus {
    /// The steps a measurement may take: a draft or returned value is submitted; a submitted
    /// one is approved or returned. Approving and returning is for stewards (beheerders).
    pub fn may_become(self, next: MeasurementStatus) -> bool {
        use MeasurementStatus::*;
        matches!((self, next), (Concept | Teruggestuurd, Ingediend) | (Ingediend, Goedgekeurd | Teruggestuurd))
    }

    pub fn needs_steward(next: MeasurementStatus) -> bool {
        matches!(next, MeasurementStatus::Goedgekeurd | MeasurementStatus::Teruggestuurd)
    }
}

/// One measurement as a form or a file gives it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MeasurementInput {
    /// A CBS code: GM0344, WK034401, BU0363AD03.
    pub area: String,
    pub period: String,
    /// The count, the numerator, or the sum of the values.
    pub numerator: String,
    /// The denominator of a ratio, or n of a mean.
    pub denominator: String,
}

/// A checked measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub area: AreaCode,
    pub period: String,
    pub parts: Parts,
}

impl Measurement {
    pub fn parse(input: &MeasurementInput, kind: IndicatorKind, period_type: PeriodType) -> Result<Measurement, Invalid> {
        let mut errors = Invalid::default();
        let area = AreaCode::parse(&input.area);
        if area.is_none() {
            errors.add("area", "err.area_code");
        }
        let period = input.period.trim().to_string();
        if !is_period(period_type, &period) {
            errors.add("period", "err.period");
        }
        let denominator = Some(input.denominator.trim()).filter(|d| !d.is_empty()).map(decimal);
        let parts = check_parts(&mut errors, kind, decimal(&input.numerator), denominator);
        match (area, parts) {
            (Some(area), Some(parts)) => errors.or(Measurement { area, period, parts }),
            _ => Err(errors),
        }
    }
}

/// The rules on a measurement's numbers once read, by a form (`decimal`) or from a file
/// (`table::number`, without making text of them again): `numerator` is `None` when it is no
/// number; `denominator` is `None` when left empty and `Some(None)` when it is no number. The
/// parts come back whenever the numerator is a number; `errors` says whether they hold.
pub fn check_parts(errors: &mut Invalid, kind: IndicatorKind, numerator: Option<f64>, denominator: Option<Option<f64>>) -> Option<Parts> {
    match numerator {
        None => errors.add("numerator", "err.decimal"),
        Some(n) if n < 0.0 => errors.add("numerator", "err.negative"),
        Some(n) if kind == IndicatorKind::Aantal && n.fract() != 0.0 => errors.add("numerator", "err.whole_number"),
        _ => {}
    }
    let denominator = match (kind, denominator) {
        (IndicatorKind::Aantal, None) => None,
        (IndicatorKind::Aantal, Some(_)) => {
            errors.add("denominator", "err.no_denominator");
            None
        }
        (_, Some(Some(d))) if d > 0.0 => Some(d),
        (_, _) => {
            errors.add("denominator", "err.denominator");
            None
        }
    };
    if kind == IndicatorKind::Verhouding && matches!((numerator, denominator), (Some(n), Some(d)) if n > d) {
        errors.add("numerator", "err.above_denominator");
    }
    numerator.map(|numerator| Parts { numerator, denominator })
}

/// An indicator definition from the built-in library.
#[derive(Debug, Clone, Deserialize)]
pub struct LibraryEntry {
    pub key: String,
    pub code: String,
    pub name: Text,
    pub definition: Text,
    pub unit: Text,
    pub kind: IndicatorKind,
    pub factor: f64,
    pub direction: Direction,
    pub perspective: Perspective,
    pub period_type: PeriodType,
    pub source: Text,
    pub source_url: String,
}

pub fn library() -> &'static [LibraryEntry] {
    static LIBRARY: OnceLock<Vec<LibraryEntry>> = OnceLock::new();
    LIBRARY
        .get_or_init(|| serde_json::from_str(include_str!("../content/indicators.json")).unwrap_or_else(|e| panic!("content/indicators.json is invalid: {e}")))
}

impl LibraryEntry {
    /// The form's starting point when a collaboration adopts this definition.
    pub fn input(&self, english: bool) -> IndicatorInput {
        let source =
            if self.source_url.is_empty() { self.source.get(english).to_string() } else { format!("{} ({})", self.source.get(english), self.source_url) };
        IndicatorInput {
            code: self.code.clone(),
            name: self.name.get(english).to_string(),
            definition: self.definition.get(english).to_string(),
            unit: self.unit.get(english).to_string(),
            kind: self.kind.code().into(),
            factor: self.factor.to_string(),
            direction: self.direction.code().into(),
            perspective: self.perspective.code().into(),
            period_type: self.period_type.code().into(),
            source,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_written_per_type() {
        assert!(is_period(PeriodType::Jaar, "2026") && !is_period(PeriodType::Jaar, "26"));
        assert!(is_period(PeriodType::Schooljaar, "2025-2026") && !is_period(PeriodType::Schooljaar, "2025-2027"));
        assert!(is_period(PeriodType::Halfjaar, "2026-H2") && !is_period(PeriodType::Halfjaar, "2026-H3"));
        assert!(is_period(PeriodType::Kwartaal, "2026-Q4") && !is_period(PeriodType::Kwartaal, "2026-4"));
    }

    #[test]
    fn the_library_parses_and_every_entry_can_be_adopted() {
        assert!(library().len() >= 5);
        for entry in library() {
            let content = IndicatorContent::parse(&entry.input(false)).expect("a library entry is a valid indicator");
            assert_eq!(content.kind, entry.kind);
            assert!(!entry.source.nl.is_empty() && !entry.definition.en.is_empty());
        }
    }

    fn input() -> IndicatorInput {
        IndicatorInput {
            code: "THZ".into(),
            name: "Thuiszitters".into(),
            kind: "aantal".into(),
            direction: "lager_beter".into(),
            perspective: "eindgebruiker".into(),
            period_type: "schooljaar".into(),
            targets: "2026-2027: 12\n2027-2028: 8".into(),
            ..Default::default()
        }
    }

    #[test]
    fn targets_follow_the_period_type_and_direction_decides_on_track() {
        let c = IndicatorContent::parse(&input()).expect("valid");
        assert_eq!(c.on_track("2026-2027", 11.0), Some(true));
        assert_eq!(c.on_track("2027-2028", 11.0), Some(false));
        assert_eq!(c.on_track("2030-2031", 1.0), None);
        let bad = IndicatorContent::parse(&IndicatorInput { targets: "2026: 12".into(), ..input() }).expect_err("invalid");
        assert_eq!(bad.for_field("targets"), Some("err.target"));
    }

    #[test]
    fn an_active_indicator_needs_an_adopted_data_sharing_agreement() {
        let active = IndicatorContent::parse(&IndicatorInput { status: "actief".into(), ..input() }).expect("valid");
        assert_eq!(active.check_activation(None).expect_err("refused").for_field("sharing"), Some("err.no_sharing_agreement"));
        let sharing = crate::agreement::AgreementContent::parse(&crate::agreement::AgreementInput {
            title: "Gegevens delen".into(),
            text: "Tekst".into(),
            kind: "gegevensdeling".into(),
            status: "vastgesteld".into(),
            legal_basis: "Art. 6 lid 1 sub e AVG".into(),
            purpose: "Monitoring".into(),
            data_categories: "Aantallen per wijk".into(),
            retention: "5 jaar".into(),
            parties: vec![crate::agreement::PartyInput { partner_id: 1, data_role: "verwerkingsverantwoordelijke".into(), ..Default::default() }],
            ..Default::default()
        })
        .expect("valid");
        assert!(active.check_activation(Some(&sharing)).is_ok());
        let draft = AgreementContent { status: AgreementStatus::Concept, ..sharing };
        assert!(active.check_activation(Some(&draft)).is_err(), "a draft agreement is not enough");
    }

    #[test]
    fn measurements_are_checked_as_their_parts() {
        let m = |area: &str, period: &str, n: &str, d: &str, kind| {
            Measurement::parse(
                &MeasurementInput { area: area.into(), period: period.into(), numerator: n.into(), denominator: d.into() },
                kind,
                PeriodType::Jaar,
            )
        };
        let ok = m("BU0363AD03", "2026", "12,5", "100", IndicatorKind::Verhouding).expect("valid");
        assert_eq!(ok.parts, Parts::ratio(12.5, 100.0));
        let errs = |r: Result<Measurement, Invalid>| r.expect_err("invalid").errors.iter().map(|e| (e.field, e.code)).collect::<Vec<_>>();
        assert_eq!(
            errs(m("XX12", "26", "-1", "", IndicatorKind::Aantal)),
            [("area", "err.area_code"), ("period", "err.period"), ("numerator", "err.negative")]
        );
        assert_eq!(errs(m("GM0344", "2026", "120", "100", IndicatorKind::Verhouding)), [("numerator", "err.above_denominator")]);
        assert_eq!(errs(m("GM0344", "2026", "2.5", "", IndicatorKind::Aantal)), [("numerator", "err.whole_number")]);
        assert_eq!(decimal("1.234,5"), Some(1234.5));
        assert_eq!((decimal("12,5"), decimal("12.5"), decimal("1,234.5"), decimal("1e5")), (Some(12.5), Some(12.5), None, None));
    }
}
