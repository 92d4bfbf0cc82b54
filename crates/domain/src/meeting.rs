//! Meetings of a body: planned one by one or as a series from the body's rhythm, with an
//! agenda started from a template whose items each end in information, a decision or an
//! action (a decision or action can point at an agreement), attendance with substitutes,
//! minutes, action points, and an iCalendar export.

use crate::date::{add_days, add_months, is_date};
use crate::error::{Invalid, choice, optional_count, optional_id, optional_text, required_text};
use crate::journey::Text;
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

vocabulary!(
    /// What an agenda item ends in.
    Outcome { Informatie = "informatie", Besluit = "besluit", Actie = "actie" }
);

vocabulary!(
    MeetingStatus { Gepland = "gepland", Gehouden = "gehouden", Geannuleerd = "geannuleerd" }
);

vocabulary!(
    Presence { Aanwezig = "aanwezig", Afgemeld = "afgemeld", Afwezig = "afwezig", Vervangen = "vervangen" }
);

vocabulary!(
    ActionStatus { Open = "open", Bezig = "bezig", Gedaan = "gedaan" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub title: String,
    pub outcome: Outcome,
    pub minutes: Option<u32>,
    /// What to prepare or discuss.
    pub note: String,
    /// The agreement a decision or action is about.
    pub agreement: Option<i64>,
    /// An indicator whose card the item discusses: the meeting page shows its figures.
    #[serde(default)]
    pub indicator: Option<i64>,
    /// What was decided, agreed or heard, written during or after the meeting.
    pub result: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub person: i64,
    pub presence: Presence,
    /// Who came in the person's place.
    pub substitute: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingContent {
    pub body: Option<i64>,
    pub date: String,
    /// HH:MM, or empty for a meeting without a set time.
    pub time: String,
    pub minutes: Option<u32>,
    pub place: String,
    pub status: MeetingStatus,
    pub items: Vec<AgendaItem>,
    pub attendance: Vec<Attendance>,
    /// The minutes (notulen).
    pub notes: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AgendaItemInput {
    pub title: String,
    /// informatie, besluit or actie
    pub outcome: String,
    pub minutes: String,
    pub note: String,
    pub agreement: String,
    /// The indicator whose card is discussed.
    pub indicator: String,
    pub result: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AttendanceInput {
    pub person: String,
    /// aanwezig, afgemeld, afwezig or vervangen (with a substitute)
    pub presence: String,
    pub substitute: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MeetingInput {
    pub body: String,
    pub date: String,
    pub time: String,
    pub minutes: String,
    pub place: String,
    /// gepland, gehouden or geannuleerd; empty is gepland
    pub status: String,
    pub notes: String,
    pub items: Vec<AgendaItemInput>,
    pub attendance: Vec<AttendanceInput>,
}

fn time_of_day(errors: &mut Invalid, raw: &str) -> String {
    let text = crate::date::written_time(raw);
    if !text.is_empty() && crate::date::read_time(&text).is_none() {
        errors.add("time", "err.time");
    }
    text
}

impl MeetingContent {
    /// Agenda rows and attendance rows left empty in a form are skipped.
    pub fn parse(input: &MeetingInput) -> Result<MeetingContent, Invalid> {
        let mut errors = Invalid::default();
        let body = optional_id(&mut errors, "body", &input.body);
        let date = required_text(&mut errors, "date", &crate::date::written(&input.date), 10);
        if !date.is_empty() && !is_date(&date) {
            errors.add("date", "err.date");
        }
        let time = time_of_day(&mut errors, &input.time);
        let minutes = optional_count(&mut errors, "minutes", &input.minutes, 24 * 60);
        let place = optional_text(&mut errors, "place", &input.place, 300);
        let status = match input.status.trim() {
            "" => Some(MeetingStatus::Gepland),
            code => choice(&mut errors, "status", code, MeetingStatus::from_code),
        };
        let notes = optional_text(&mut errors, "notes", &input.notes, 50_000);
        let mut items = Vec::new();
        for row in &input.items {
            if row.title.trim().is_empty() && row.result.trim().is_empty() && row.note.trim().is_empty() {
                continue;
            }
            let title = required_text(&mut errors, "items", &row.title, 300);
            let outcome = choice(&mut errors, "items", &row.outcome, Outcome::from_code);
            let minutes = optional_count(&mut errors, "items", &row.minutes, 24 * 60);
            let note = optional_text(&mut errors, "items", &row.note, 5000);
            let agreement = optional_id(&mut errors, "items", &row.agreement);
            let indicator = optional_id(&mut errors, "items", &row.indicator);
            let result = optional_text(&mut errors, "items", &row.result, 10_000);
            if let Some(outcome) = outcome {
                items.push(AgendaItem { title, outcome, minutes, note, agreement, indicator, result });
            }
        }
        let mut attendance: Vec<Attendance> = Vec::new();
        for row in &input.attendance {
            if row.presence.trim().is_empty() {
                continue;
            }
            let person = optional_id(&mut errors, "attendance", &row.person);
            let presence = choice(&mut errors, "attendance", &row.presence, Presence::from_code);
            let substitute = optional_text(&mut errors, "attendance", &row.substitute, 200);
            if presence == Some(Presence::Vervangen) && substitute.is_empty() {
                errors.add("attendance", "err.substitute");
            }
            if let (Some(person), Some(presence)) = (person, presence) {
                if attendance.iter().any(|a| a.person == person) {
                    errors.add("attendance", "err.duplicate");
                }
                attendance.push(Attendance { person, presence, substitute });
            }
        }
        match status {
            Some(status) => errors.or(MeetingContent { body, date, time, minutes, place, status, items, attendance, notes }),
            None => Err(errors),
        }
    }

    /// The indicators whose cards this meeting discusses.
    pub fn indicators(&self) -> impl Iterator<Item = i64> + '_ {
        self.items.iter().filter_map(|i| i.indicator)
    }

    /// The agreements this meeting's decisions and actions point at.
    pub fn agreements(&self) -> impl Iterator<Item = i64> + '_ {
        self.items.iter().filter_map(|i| i.agreement)
    }
}

/// A new meeting or series, as the planning form asks for it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PlanInput {
    pub body: String,
    /// lea_bestuurlijk, lea_werkgroep, oogo_bestuurlijk or leeg
    pub template: String,
    /// The (first) date.
    pub date: String,
    pub time: String,
    pub minutes: String,
    pub place: String,
    /// How many meetings to plan at the body's rhythm; 1 for a single meeting.
    pub count: String,
}

/// The most meetings one plan creates.
pub const MAX_SERIES: u32 = 12;

/// The dates of `count` meetings from `first` at `per_year` meetings a year: whole months
/// apart when the rhythm divides the year into months, otherwise evenly spread days.
pub fn series(first: &str, per_year: u32, count: u32) -> Vec<String> {
    (0..count)
        .filter_map(|i| {
            if per_year <= 12 && 12 % per_year == 0 {
                add_months(first, 12 / per_year * i)
            } else {
                add_days(first, i64::from(i) * 365 / i64::from(per_year.max(1)))
            }
        })
        .collect()
}

/// Turns a plan into meetings: the template's items in the planner's language, then one
/// decision item per agreement whose review falls due by the meeting's date.
pub fn plan(
    input: &PlanInput,
    per_year: Option<u32>,
    english: bool,
    reviews: &[(i64, String, String)],
    review_title: &str,
) -> Result<Vec<MeetingContent>, Invalid> {
    let mut errors = Invalid::default();
    let template = match input.template.trim() {
        "" => Some(template("leeg")),
        key => templates().iter().find(|t| t.key == key).or_else(|| {
            errors.add("template", "err.choice");
            None
        }),
    };
    let count = optional_count(&mut errors, "count", &input.count, MAX_SERIES).unwrap_or(1);
    if count > 1 && per_year.is_none() {
        errors.add("count", "err.no_rhythm");
    }
    let first = MeetingContent::parse(&MeetingInput {
        body: input.body.clone(),
        date: input.date.clone(),
        time: input.time.clone(),
        minutes: input.minutes.clone(),
        place: input.place.clone(),
        ..MeetingInput::default()
    });
    let first = match first {
        Ok(first) => first,
        Err(invalid) => {
            errors.errors.extend(invalid.errors);
            return Err(errors);
        }
    };
    let Some(template) = template else { return Err(errors) };
    let dates = if count > 1 { series(&first.date, per_year.unwrap_or(1), count) } else { vec![first.date.clone()] };
    let meetings = dates
        .into_iter()
        .map(|date| {
            let mut items: Vec<AgendaItem> = template
                .items
                .iter()
                .map(|t| AgendaItem {
                    title: t.title.get(english).to_string(),
                    outcome: t.outcome,
                    minutes: Some(t.minutes),
                    note: t.note.get(english).to_string(),
                    agreement: None,
                    indicator: None,
                    result: String::new(),
                })
                .collect();
            let due = reviews.iter().filter(|(_, _, review)| !review.is_empty() && review.as_str() <= date.as_str());
            // Before the closing item, if the template has one.
            let at = items.len().saturating_sub(usize::from(!items.is_empty()));
            let extra: Vec<AgendaItem> = due
                .map(|(id, title, _)| AgendaItem {
                    title: format!("{review_title}: {title}"),
                    outcome: Outcome::Besluit,
                    minutes: Some(15),
                    note: String::new(),
                    agreement: Some(*id),
                    indicator: None,
                    result: String::new(),
                })
                .collect();
            items.splice(at..at, extra);
            MeetingContent { date, items, ..first.clone() }
        })
        .collect();
    errors.or(meetings)
}

#[derive(Debug, Clone, Deserialize)]
pub struct TemplateItem {
    pub title: Text,
    pub outcome: Outcome,
    pub minutes: u32,
    pub note: Text,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AgendaTemplate {
    pub key: String,
    pub name: Text,
    pub intro: Text,
    pub items: Vec<TemplateItem>,
}

/// The built-in agenda templates, written after the guide's appendices.
pub fn templates() -> &'static [AgendaTemplate] {
    static TEMPLATES: OnceLock<Vec<AgendaTemplate>> = OnceLock::new();
    TEMPLATES.get_or_init(|| serde_json::from_str(include_str!("../content/agendas.json")).unwrap_or_else(|e| panic!("content/agendas.json is invalid: {e}")))
}

fn template(key: &str) -> &'static AgendaTemplate {
    templates().iter().find(|t| t.key == key).unwrap_or_else(|| panic!("agenda template {key} is missing"))
}

/// People absent (unexcused or excused, without a substitute) from each of the last
/// `threshold` held meetings they were expected at. `meetings` are one body's, oldest first.
pub fn absent_in_a_row(meetings: &[&MeetingContent], threshold: usize) -> Vec<i64> {
    let held: Vec<_> = meetings.iter().filter(|m| m.status == MeetingStatus::Gehouden).collect();
    let mut people: Vec<i64> = held.iter().flat_map(|m| m.attendance.iter().map(|a| a.person)).collect();
    people.sort_unstable();
    people.dedup();
    people
        .into_iter()
        .filter(|person| {
            let streak = held
                .iter()
                .rev()
                .filter_map(|m| m.attendance.iter().find(|a| a.person == *person))
                .take_while(|a| matches!(a.presence, Presence::Afwezig | Presence::Afgemeld))
                .count();
            streak >= threshold
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionPoint {
    pub title: String,
    pub owner: Option<i64>,
    pub due: String,
    pub status: ActionStatus,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ActionPointInput {
    pub title: String,
    /// The user id of the member who carries it.
    pub owner: String,
    pub due: String,
    /// open, bezig or gedaan; empty is open
    pub status: String,
}

impl ActionPoint {
    pub fn parse(input: &ActionPointInput) -> Result<ActionPoint, Invalid> {
        let mut errors = Invalid::default();
        let title = required_text(&mut errors, "title", &input.title, 500);
        let owner = optional_id(&mut errors, "owner", &input.owner);
        let due = crate::date::optional_date(&mut errors, "due", &input.due);
        let status = match input.status.trim() {
            "" => Some(ActionStatus::Open),
            code => choice(&mut errors, "status", code, ActionStatus::from_code),
        };
        match status {
            Some(status) => errors.or(ActionPoint { title, owner, due, status }),
            None => Err(errors),
        }
    }

    /// What a change by `user` saves: members who may edit change anything, the owner of
    /// the point only its status, anyone else nothing.
    pub fn changed_by(&self, asked: ActionPoint, user: i64, can_edit: bool) -> Option<ActionPoint> {
        if !self.may_change(user, can_edit) {
            None
        } else if can_edit {
            Some(asked)
        } else {
            Some(ActionPoint { status: asked.status, ..self.clone() })
        }
    }

    pub fn may_change(&self, user: i64, can_edit: bool) -> bool {
        can_edit || self.owner == Some(user)
    }

    pub fn overdue(&self, today: &str) -> bool {
        self.status != ActionStatus::Gedaan && !self.due.is_empty() && self.due.as_str() < today
    }
}

/// One event of an iCalendar export.
pub struct Event<'a> {
    pub uid: String,
    pub content: &'a MeetingContent,
    pub summary: &'a str,
    pub description: String,
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, every line break
/// (CRLF, LF or a bare CR) written as `\n`, other control characters except tab left out, so
/// no value can end its line and start a property of its own.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines of at most 75 octets, continued with a space (RFC 5545 §3.1), never splitting a character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// Central European time with its daylight-saving rule, so calendars place the meetings right.
const AMSTERDAM: &str = "BEGIN:VTIMEZONE\nTZID:Europe/Amsterdam\nBEGIN:DAYLIGHT\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\nDTSTART:19810329T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\nBEGIN:STANDARD\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\nDTSTART:19961027T030000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nEND:VTIMEZONE";

/// An iCalendar file of the events; `stamp` is the moment of export in UTC (YYYYMMDDTHHMMSSZ).
/// Cancelled meetings are exported as cancelled, so calendars that imported them update.
pub fn ics(events: &[Event<'_>], stamp: &str) -> String {
    let mut lines: Vec<String> =
        vec!["BEGIN:VCALENDAR".into(), "VERSION:2.0".into(), "PRODID:-//Reisgenoot//Vergaderingen//NL".into(), "CALSCALE:GREGORIAN".into()];
    lines.extend(AMSTERDAM.lines().map(String::from));
    for e in events {
        let m = e.content;
        let day = m.date.replace('-', "");
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", e.uid));
        lines.push(format!("DTSTAMP:{stamp}"));
        if m.time.is_empty() {
            lines.push(format!("DTSTART;VALUE=DATE:{day}"));
        } else {
            let start = format!("{day}T{}00", m.time.replace(':', ""));
            lines.push(format!("DTSTART;TZID=Europe/Amsterdam:{start}"));
            let minutes = m.minutes.unwrap_or(60);
            lines.push(format!("DURATION:PT{}H{}M", minutes / 60, minutes % 60));
        }
        lines.push(format!("SUMMARY:{}", escape(e.summary)));
        if !m.place.is_empty() {
            lines.push(format!("LOCATION:{}", escape(&m.place)));
        }
        if !e.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape(&e.description)));
        }
        lines.push(format!("STATUS:{}", if m.status == MeetingStatus::Geannuleerd { "CANCELLED" } else { "CONFIRMED" }));
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(date: &str, status: &str, attendance: &[(&str, &str, &str)]) -> MeetingContent {
        MeetingContent::parse(&MeetingInput {
            date: date.into(),
            status: status.into(),
            attendance: attendance
                .iter()
                .map(|(person, presence, substitute)| AttendanceInput {
                    person: (*person).into(),
                    presence: (*presence).into(),
                    substitute: (*substitute).into(),
                })
                .collect(),
            ..Default::default()
        })
        .expect("valid")
    }

    #[test]
    fn every_template_is_there_and_ends_each_item_in_an_outcome() {
        let keys: Vec<_> = templates().iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["lea_bestuurlijk", "lea_werkgroep", "oogo_bestuurlijk", "leeg"]);
        for t in templates().iter().filter(|t| t.key != "leeg") {
            for outcome in Outcome::ALL {
                assert!(t.items.iter().any(|i| i.outcome == *outcome), "{} has no {outcome} item", t.key);
            }
            assert!(t.items.iter().all(|i| !i.title.nl.is_empty() && !i.title.en.is_empty() && i.minutes > 0));
        }
    }

    #[test]
    fn a_series_follows_the_rhythm() {
        assert_eq!(series("2026-01-31", 4, 3), ["2026-01-31", "2026-04-30", "2026-07-31"]);
        assert_eq!(series("2026-01-05", 52, 3), ["2026-01-05", "2026-01-12", "2026-01-19"]);
        assert_eq!(series("2026-01-05", 10, 2), ["2026-01-05", "2026-02-10"]);
    }

    #[test]
    fn planning_from_a_template_adds_due_reviews_before_the_close() {
        let input = PlanInput { template: "lea_bestuurlijk".into(), date: "2026-03-01".into(), count: "2".into(), ..Default::default() };
        let reviews = [(7, "Convenant".to_string(), "2026-04-15".to_string())];
        let planned = plan(&input, Some(4), false, &reviews, "Herziening").expect("valid");
        assert_eq!(planned.len(), 2);
        assert_eq!(planned[1].date, "2026-06-01");
        let n = template("lea_bestuurlijk").items.len();
        assert_eq!(planned[0].items.len(), n, "not yet due at the first meeting");
        assert_eq!(planned[1].items.len(), n + 1);
        let review = &planned[1].items[n - 1];
        assert_eq!((review.title.as_str(), review.outcome, review.agreement), ("Herziening: Convenant", Outcome::Besluit, Some(7)));
        let no_rhythm = plan(&input, None, false, &[], "Herziening").expect_err("invalid");
        assert_eq!(no_rhythm.for_field("count"), Some("err.no_rhythm"));
    }

    #[test]
    fn input_is_checked_and_empty_rows_skipped() {
        let err = MeetingContent::parse(&MeetingInput {
            date: "2026-02-30".into(),
            time: "25:00".into(),
            items: vec![AgendaItemInput { title: "Opening".into(), outcome: "besluit".into(), ..Default::default() }, AgendaItemInput::default()],
            attendance: vec![AttendanceInput { person: "3".into(), presence: "vervangen".into(), substitute: String::new() }],
            ..Default::default()
        })
        .expect_err("invalid");
        let fields: Vec<_> = err.errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(fields, [("date", "err.date"), ("time", "err.time"), ("attendance", "err.substitute")]);
        let ok = meeting("2026-02-03", "", &[("3", "aanwezig", ""), ("4", "", "")]);
        assert_eq!(ok.attendance.len(), 1);
        assert_eq!(ok.status, MeetingStatus::Gepland);
    }

    #[test]
    fn three_absences_in_a_row_are_flagged_and_a_substitute_breaks_the_streak() {
        let m = [
            meeting("2026-01-01", "gehouden", &[("1", "aanwezig", ""), ("2", "afwezig", ""), ("3", "afwezig", "")]),
            meeting("2026-02-01", "gehouden", &[("1", "afwezig", ""), ("2", "afgemeld", ""), ("3", "vervangen", "Mo")]),
            meeting("2026-03-01", "gehouden", &[("1", "afwezig", ""), ("2", "afwezig", ""), ("3", "afwezig", "")]),
            meeting("2026-03-15", "geannuleerd", &[("1", "aanwezig", "")]),
            meeting("2026-04-01", "gehouden", &[("1", "afwezig", ""), ("2", "afwezig", ""), ("3", "afwezig", "")]),
        ];
        let refs: Vec<&MeetingContent> = m.iter().collect();
        assert_eq!(absent_in_a_row(&refs, 3), [1, 2]);
    }

    #[test]
    fn an_owner_without_edit_rights_changes_only_the_status() {
        let point = ActionPoint::parse(&ActionPointInput { title: "Bellen".into(), owner: "7".into(), ..Default::default() }).expect("valid");
        let asked = ActionPoint { title: "Iets anders".into(), status: ActionStatus::Gedaan, ..point.clone() };
        assert_eq!(point.changed_by(asked.clone(), 7, false), Some(ActionPoint { status: ActionStatus::Gedaan, ..point.clone() }));
        assert_eq!(point.changed_by(asked.clone(), 8, false), None);
        assert_eq!(point.changed_by(asked.clone(), 8, true), Some(asked));
    }

    #[test]
    fn ics_escapes_folds_and_places_meetings_in_amsterdam_time() {
        let mut m = meeting("2026-03-05", "", &[]);
        m.time = "09:30".into();
        m.minutes = Some(90);
        m.place = "Stadhuis, zaal 2; Lindeveen".into();
        let long = "Bespreken: ".to_string() + &"ééé ".repeat(40);
        let text = ics(&[Event { uid: "vergadering-1@lindeveen".into(), content: &m, summary: "LEA, bestuurlijk", description: long }], "20261124T120000Z");
        assert!(text.contains("DTSTART;TZID=Europe/Amsterdam:20260305T093000\r\n"));
        assert!(text.contains("DURATION:PT1H30M\r\n"));
        assert!(text.contains("SUMMARY:LEA\\, bestuurlijk\r\n"));
        assert!(text.contains("LOCATION:Stadhuis\\, zaal 2\\; Lindeveen\r\n"));
        assert!(text.lines().all(|l| l.len() <= 76), "folded at 75 octets plus CR");
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
        m.time.clear();
        let all_day = ics(&[Event { uid: "x".into(), content: &m, summary: "x", description: String::new() }], "20261124T120000Z");
        assert!(all_day.contains("DTSTART;VALUE=DATE:20260305\r\n") && !all_day.contains("DURATION"));
    }

    #[test]
    fn ics_text_cannot_end_its_line_with_a_bare_cr_or_any_line_break() {
        let mut m = meeting("2026-03-05", "", &[]);
        m.place = "Zaal 1\rEND:VEVENT\r\nBEGIN:VEVENT\nX\u{0}\u{7}".into();
        let text = ics(&[Event { uid: "x".into(), content: &m, summary: "a\r\nb", description: "c\rd\te".into() }], "20261124T120000Z");
        assert!(text.contains("LOCATION:Zaal 1\\nEND:VEVENT\\nBEGIN:VEVENT\\nX\r\n"), "{text:?}");
        assert!(text.contains("SUMMARY:a\\nb\r\n") && text.contains("DESCRIPTION:c\\nd\te\r\n"), "{text:?}");
        assert_eq!(text.matches("END:VEVENT").count(), 2, "one event, plus the escaped text");
        assert_eq!(text.matches("\r\nEND:VEVENT\r\n").count(), 1);
        // Every CR is followed by LF: no bare CR anywhere in the file.
        assert!(text.split('\r').skip(1).all(|rest| rest.starts_with('\n')), "{text:?}");
        assert!(!text.contains('\u{0}') && !text.contains('\u{7}'));
    }
}
