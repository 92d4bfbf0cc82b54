//! The execution programme (uitvoeringsprogramma): ambitions, the measurable goals under them
//! and the activities that serve a goal — with their period, steps taken and planned, the
//! partners that carry them, intended results, who leads and who answers for them, and the
//! agreements on steering, monitoring, accountability, cooperation, communication and money.
//! An activity's status changes with dated progress notes. Whether an activity is over time is
//! computed from today's date, never stored; the timeline's geometry is a pure function.

use crate::date::{add_months, days_between, is_date, optional_date};
use crate::error::{Invalid, choice, optional_id, optional_text, required_text};
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary!(
    ActivityStatus { Gepland = "gepland", Lopend = "lopend", Afgerond = "afgerond", Gestopt = "gestopt" }
);

impl ActivityStatus {
    /// Finished one way or another: such an activity is never over time.
    pub fn is_closed(self) -> bool {
        matches!(self, ActivityStatus::Afgerond | ActivityStatus::Gestopt)
    }
}

/// The most steps one list holds, and the longest step.
pub const MAX_STEPS: usize = 30;
const STEP_LEN: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmbitionContent {
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AmbitionInput {
    pub title: String,
    pub description: String,
}

impl AmbitionContent {
    pub fn parse(input: &AmbitionInput) -> Result<AmbitionContent, Invalid> {
        let mut errors = Invalid::default();
        let title = required_text(&mut errors, "title", &input.title, 300);
        let description = optional_text(&mut errors, "description", &input.description, 5000);
        errors.or(AmbitionContent { title, description })
    }
}

/// A measurable goal (subdoel) under an ambition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalContent {
    pub title: String,
    /// How we will know it is reached: the measure, the target, the indicator.
    pub measure: String,
    /// When it should be reached (YYYY-MM-DD), or empty.
    pub target_date: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GoalInput {
    pub title: String,
    pub measure: String,
    /// YYYY-MM-DD, or empty
    pub target_date: String,
}

impl GoalContent {
    pub fn parse(input: &GoalInput) -> Result<GoalContent, Invalid> {
        let mut errors = Invalid::default();
        let title = required_text(&mut errors, "title", &input.title, 300);
        let measure = optional_text(&mut errors, "measure", &input.measure, 2000);
        let target_date = optional_date(&mut errors, "target_date", &input.target_date);
        errors.or(GoalContent { title, measure, target_date })
    }
}

/// An activity: the six parts of a programme line, with its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityContent {
    pub title: String,
    /// The period, both days included (YYYY-MM-DD).
    pub starts: String,
    pub ends: String,
    pub status: ActivityStatus,
    pub steps_taken: Vec<String>,
    pub steps_planned: Vec<String>,
    /// Partners of the collaboration that carry the activity.
    pub partners: Vec<i64>,
    pub results: String,
    /// People of the collaboration: who leads (trekker) and who answers for it in the end.
    pub trekker: Option<i64>,
    pub owner: Option<i64>,
    /// Agreements on how the activity is secured.
    pub steering: String,
    pub monitoring: String,
    pub accountability: String,
    pub cooperation: String,
    pub communication: String,
    pub finances: String,
    /// An agreement of the collaboration these rest on, if any.
    pub agreement: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ActivityInput {
    pub title: String,
    /// YYYY-MM-DD
    pub starts: String,
    /// YYYY-MM-DD, not before the start
    pub ends: String,
    /// gepland, lopend, afgerond or gestopt; empty is gepland
    pub status: String,
    /// One step per entry; an entry with several lines counts as several steps.
    pub steps_taken: Vec<String>,
    pub steps_planned: Vec<String>,
    /// Partner ids of the same collaboration.
    pub partners: Vec<String>,
    pub results: String,
    /// Person ids of the same collaboration, or empty.
    pub trekker: String,
    pub owner: String,
    pub steering: String,
    pub monitoring: String,
    pub accountability: String,
    pub cooperation: String,
    pub communication: String,
    pub finances: String,
    /// An agreement id of the same collaboration, or empty.
    pub agreement: String,
}

/// The steps of a list: every line of every entry, trimmed, empty ones left out.
fn steps(errors: &mut Invalid, field: &'static str, raw: &[String]) -> Vec<String> {
    let list: Vec<String> = raw.iter().flat_map(|entry| entry.lines()).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    if list.len() > MAX_STEPS {
        errors.add(field, "err.too_many");
    } else if list.iter().any(|s| s.chars().count() > STEP_LEN) {
        errors.add(field, "err.too_long");
    }
    list
}

use crate::date::required_date;

fn status(errors: &mut Invalid, raw: &str) -> Option<ActivityStatus> {
    match raw.trim() {
        "" => Some(ActivityStatus::Gepland),
        code => choice(errors, "status", code, ActivityStatus::from_code),
    }
}

impl ActivityContent {
    pub fn parse(input: &ActivityInput) -> Result<ActivityContent, Invalid> {
        let mut errors = Invalid::default();
        let title = required_text(&mut errors, "title", &input.title, 300);
        let starts = required_date(&mut errors, "starts", &input.starts);
        let ends = required_date(&mut errors, "ends", &input.ends);
        if is_date(&starts) && is_date(&ends) && ends < starts {
            errors.add("ends", "err.end_before_start");
        }
        let status = status(&mut errors, &input.status);
        let steps_taken = steps(&mut errors, "steps_taken", &input.steps_taken);
        let steps_planned = steps(&mut errors, "steps_planned", &input.steps_planned);
        let mut partners: Vec<i64> = Vec::new();
        for raw in input.partners.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            match raw.parse::<i64>() {
                Ok(id) if !partners.contains(&id) => partners.push(id),
                Ok(_) => {}
                Err(_) => errors.add("partners", "err.choice"),
            }
        }
        let results = optional_text(&mut errors, "results", &input.results, 5000);
        let trekker = optional_id(&mut errors, "trekker", &input.trekker);
        let owner = optional_id(&mut errors, "owner", &input.owner);
        let steering = optional_text(&mut errors, "steering", &input.steering, 5000);
        let monitoring = optional_text(&mut errors, "monitoring", &input.monitoring, 5000);
        let accountability = optional_text(&mut errors, "accountability", &input.accountability, 5000);
        let cooperation = optional_text(&mut errors, "cooperation", &input.cooperation, 5000);
        let communication = optional_text(&mut errors, "communication", &input.communication, 5000);
        let finances = optional_text(&mut errors, "finances", &input.finances, 5000);
        let agreement = optional_id(&mut errors, "agreement", &input.agreement);
        match status {
            Some(status) => errors.or(ActivityContent {
                title,
                starts,
                ends,
                status,
                steps_taken,
                steps_planned,
                partners,
                results,
                trekker,
                owner,
                steering,
                monitoring,
                accountability,
                cooperation,
                communication,
                finances,
                agreement,
            }),
            None => Err(errors),
        }
    }

    /// Past its end date and neither finished nor stopped.
    pub fn overdue(&self, today: &str) -> bool {
        overdue(self.status, &self.ends, today)
    }
}

/// The overdue rule on its own: an open activity whose last day lies before today.
pub fn overdue(status: ActivityStatus, ends: &str, today: &str) -> bool {
    !status.is_closed() && !ends.is_empty() && ends < today
}

/// A change of status, with what happened as a progress note (optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status: ActivityStatus,
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct StatusInput {
    /// gepland, lopend, afgerond or gestopt
    pub status: String,
    /// What happened, kept as a progress note; may be empty.
    pub note: String,
}

impl StatusChange {
    pub fn parse(input: &StatusInput) -> Result<StatusChange, Invalid> {
        let mut errors = Invalid::default();
        let status = choice(&mut errors, "status", input.status.trim(), ActivityStatus::from_code);
        let note = optional_text(&mut errors, "note", &input.note, 5000);
        match status {
            Some(status) => errors.or(StatusChange { status, note }),
            None => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NoteInput {
    pub text: String,
}

/// The text of a progress note: required, at most 5000 characters.
pub fn parse_note(input: &NoteInput) -> Result<String, Invalid> {
    let mut errors = Invalid::default();
    let text = required_text(&mut errors, "text", &input.text, 5000);
    errors.or(text)
}

/// One activity's bar: from its first to the end of its last day.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub id: i64,
    pub x: f64,
    pub width: f64,
}

/// A line on the time axis at the first day of a quarter; `year` when it starts a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub x: f64,
    pub date: String,
    pub year: bool,
}

/// The geometry of the timeline: an axis from the start of the quarter of the earliest day
/// (an activity's start, or today) to the end of the quarter of the latest.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub from: String,
    /// The first day after the axis.
    pub to: String,
    pub bars: Vec<Bar>,
    pub today: f64,
    pub ticks: Vec<Tick>,
}

/// The narrowest bar drawn, so that an activity of one day stays visible.
pub const MIN_BAR: f64 = 3.0;

fn quarter_start(date: &str) -> Option<String> {
    let (year, month) = (date.get(..4)?, date.get(5..7)?.parse::<u32>().ok()?);
    Some(format!("{year}-{:02}-01", (month - 1) / 3 * 3 + 1))
}

/// Places `spans` (id, first day, last day) and today on an axis that starts at `left` and
/// is `width` wide. Spans with a date that does not parse are left out; with none left and
/// no valid today there is nothing to draw.
pub fn timeline(spans: &[(i64, &str, &str)], today: &str, left: f64, width: f64) -> Option<Timeline> {
    let valid: Vec<_> = spans.iter().filter(|(_, s, e)| is_date(s) && is_date(e) && s <= e).collect();
    if !is_date(today) {
        return None;
    }
    let earliest = valid.iter().map(|(_, s, _)| *s).chain([today]).min()?;
    let latest = valid.iter().map(|(_, _, e)| *e).chain([today]).max()?;
    let from = quarter_start(earliest)?;
    let to = add_months(&quarter_start(latest)?, 3)?;
    let total = days_between(&from, &to)? as f64;
    let x = |date: &str| days_between(&from, date).map(|d| left + d as f64 / total * width);
    let bars = valid
        .iter()
        .filter_map(|(id, s, e)| {
            let (x0, x1) = (x(s)?, x(&crate::date::add_days(e, 1)?)?);
            Some(Bar { id: *id, x: x0, width: (x1 - x0).max(MIN_BAR) })
        })
        .collect();
    // Quarters while they fit; over more than four years only the years.
    let quarters = days_between(&from, &to)? / 91;
    let mut ticks = Vec::new();
    let mut at = from.clone();
    while at < to {
        let year = at.ends_with("-01-01");
        if year || quarters <= 16 {
            ticks.push(Tick { x: x(&at)?, date: at.clone(), year });
        }
        at = add_months(&at, 3)?;
    }
    Some(Timeline { today: x(today)?, from, to, bars, ticks })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(starts: &str, ends: &str, status: &str) -> ActivityInput {
        ActivityInput { title: "Warme overdracht".into(), starts: starts.into(), ends: ends.into(), status: status.into(), ..Default::default() }
    }

    #[test]
    fn every_field_error_is_collected_at_once() {
        let input = ActivityInput {
            starts: "2026-13-01".into(),
            status: "klaar".into(),
            partners: vec!["3".into(), "drie".into()],
            trekker: "x".into(),
            steps_planned: vec!["stap\n".repeat(MAX_STEPS + 1)],
            ..Default::default()
        };
        let err = ActivityContent::parse(&input).expect_err("invalid");
        let fields: Vec<_> = err.errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            [
                ("title", "err.required"),
                ("starts", "err.date"),
                ("ends", "err.required"),
                ("status", "err.choice"),
                ("steps_planned", "err.too_many"),
                ("partners", "err.choice"),
                ("trekker", "err.choice"),
            ]
        );
        let backwards = ActivityContent::parse(&activity("2026-09-01", "2026-08-31", "")).expect_err("invalid");
        assert_eq!(backwards.for_field("ends"), Some("err.end_before_start"));
        assert!(AmbitionContent::parse(&AmbitionInput::default()).is_err());
        assert_eq!(
            GoalContent::parse(&GoalInput { title: "Doel".into(), target_date: "morgen".into(), ..Default::default() })
                .expect_err("date")
                .for_field("target_date"),
            Some("err.date")
        );
    }

    #[test]
    fn steps_are_one_per_line_and_empty_lines_and_partners_are_dropped() {
        let input = ActivityInput {
            steps_taken: vec!["Kennismaking\n\n  Eerste overleg  ".into(), "".into(), "Plan geschreven".into()],
            partners: vec!["4".into(), "".into(), "4".into(), "7".into()],
            ..activity("2026-01-01", "2026-12-31", "")
        };
        let a = ActivityContent::parse(&input).expect("valid");
        assert_eq!(a.steps_taken, ["Kennismaking", "Eerste overleg", "Plan geschreven"]);
        assert_eq!(a.partners, [4, 7]);
        assert_eq!(a.status, ActivityStatus::Gepland, "empty status is gepland");
    }

    #[test]
    fn an_open_activity_past_its_last_day_is_over_time() {
        let today = "2026-11-24";
        let a = |ends: &str, status: &str| ActivityContent::parse(&activity("2026-01-01", ends, status)).expect("valid").overdue(today);
        assert!(a("2026-11-23", "lopend"));
        assert!(a("2026-06-30", "gepland"));
        assert!(!a("2026-11-24", "lopend"), "the last day itself is not over time");
        assert!(!a("2026-06-30", "afgerond"));
        assert!(!a("2026-06-30", "gestopt"));
    }

    #[test]
    fn a_status_change_needs_a_known_status_and_a_note_needs_text() {
        assert_eq!(StatusChange::parse(&StatusInput::default()).expect_err("empty").for_field("status"), Some("err.choice"));
        let change = StatusChange::parse(&StatusInput { status: "afgerond".into(), note: " Klaar. ".into() }).expect("valid");
        assert_eq!(change, StatusChange { status: ActivityStatus::Afgerond, note: "Klaar.".into() });
        assert_eq!(parse_note(&NoteInput { text: "  ".into() }).expect_err("empty").for_field("text"), Some("err.required"));
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn the_timeline_spans_whole_quarters_and_places_bars_and_today_in_proportion() {
        let spans = [(1, "2026-02-01", "2026-07-31"), (2, "2026-10-01", "2026-10-01"), (3, "kapot", "2026-01-01")];
        let t = timeline(&spans, "2026-11-24", 100.0, 365.0).expect("something to draw");
        assert_eq!((t.from.as_str(), t.to.as_str()), ("2026-01-01", "2027-01-01"));
        // A 365-day axis 365 wide: one unit a day.
        assert_eq!(t.bars.iter().map(|b| b.id).collect::<Vec<_>>(), [1, 2]);
        assert!(close(t.bars[0].x, 131.0) && close(t.bars[0].width, 181.0), "{:?}", t.bars[0]);
        assert!(close(t.bars[1].x, 373.0) && close(t.bars[1].width, MIN_BAR), "{:?}", t.bars[1]);
        assert!(close(t.today, 427.0));
        let dates: Vec<_> = t.ticks.iter().map(|k| (k.date.as_str(), k.year)).collect();
        assert_eq!(dates, [("2026-01-01", true), ("2026-04-01", false), ("2026-07-01", false), ("2026-10-01", false)]);
    }

    #[test]
    fn a_long_timeline_marks_only_years_and_today_widens_the_axis() {
        let t = timeline(&[(1, "2024-03-01", "2030-06-30")], "2026-11-24", 0.0, 600.0).expect("draw");
        let years: Vec<_> = t.ticks.iter().map(|k| k.date.as_str()).collect();
        assert_eq!(years, ["2024-01-01", "2025-01-01", "2026-01-01", "2027-01-01", "2028-01-01", "2029-01-01", "2030-01-01"]);
        let later = timeline(&[(1, "2024-03-01", "2024-04-30")], "2026-11-24", 0.0, 600.0).expect("draw");
        assert_eq!((later.from.as_str(), later.to.as_str()), ("2024-01-01", "2027-01-01"));
        assert!(close(later.bars[0].x, 60.0 / 1096.0 * 600.0));
        assert!(close(later.today, 1058.0 / 1096.0 * 600.0));
        assert!(timeline(&[], "2026-11-24", 0.0, 100.0).is_some(), "today alone still gives an axis");
        assert!(timeline(&[], "vandaag", 0.0, 100.0).is_none());
    }
}
