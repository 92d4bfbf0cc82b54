//! Calendar dates as the product stores them: text written YYYY-MM-DD, which sorts and
//! compares as text. The calendar itself (month lengths, leap years, weekdays) is the `time`
//! crate's; this module reads and writes the stored form, and reads dates and times of day
//! as people write them (`12-3-2026`, `12/03/2026`, `2026-03-12`; `9.30`, `09:30`) into it.

use crate::error::Invalid;
use time::{Date, Month, format_description::BorrowedFormatItem, macros::format_description};

/// The stored form of a date.
const STORED: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// The years a date may fall in: wider than any plan, narrower than a typing slip.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The date written in `text`, when it is a calendar date written YYYY-MM-DD.
pub fn parse(text: &str) -> Option<Date> {
    let date = Date::parse(text, STORED).ok()?;
    (text.len() == 10 && YEARS.contains(&date.year())).then_some(date)
}

/// A date in its stored form.
pub fn format(date: Date) -> String {
    let (y, m, d) = (date.year(), u8::from(date.month()), date.day());
    format!("{y:04}-{m:02}-{d:02}")
}

/// A date as people write it: day-month-year with `-`, `/` or `.` between (`12-3-2026`,
/// `12/03/2026`, `12.3.2026`), or year-month-day with `-` (`2026-03-12`, `2026-3-12`). The
/// year has four digits, day and month one or two. Spaces around the whole are ignored.
pub fn read(text: &str) -> Option<Date> {
    let text = text.trim();
    let sep = text.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = text.split(sep).collect();
    let [a, b, c] = parts[..] else { return None };
    let digits = |s: &str, min: usize, max: usize| (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let (year, month, day) = if digits(a, 4, 4) && sep == '-' && digits(b, 1, 2) && digits(c, 1, 2) {
        (a, b, c)
    } else if digits(a, 1, 2) && digits(b, 1, 2) && digits(c, 4, 4) {
        (c, b, a)
    } else {
        return None;
    };
    let year: i32 = year.parse().ok()?;
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    let date = Date::from_calendar_date(year, month, day.parse().ok()?).ok()?;
    YEARS.contains(&year).then_some(date)
}

/// A date field's text as it is stored: the date in its stored form when [`read`] understands
/// it, else the text trimmed (for the check that follows to refuse, with the input kept).
pub fn written(raw: &str) -> String {
    read(raw).map(format).unwrap_or_else(|| raw.trim().to_string())
}

/// A required date field: stored form, or an error (`err.required`, `err.date`).
pub fn required_date(errors: &mut Invalid, field: &'static str, raw: &str) -> String {
    let text = written(raw);
    if text.is_empty() {
        errors.add(field, "err.required");
    } else if !is_date(&text) {
        errors.add(field, "err.date");
    }
    text
}

/// A time of day as people write it: hours and minutes with `:` or `.` between (`9.30`,
/// `09:30`, `9:30`, `19.05`), or whole hours alone (`9`, `19`); as (hour, minute).
pub fn read_time(text: &str) -> Option<(u8, u8)> {
    let text = text.trim();
    let (hour, minute) = match text.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None => (text, "00"),
    };
    let digits = |s: &str, min: usize| (min..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(hour, 1) || !digits(minute, 2) {
        return None;
    }
    let (hour, minute): (u8, u8) = (hour.parse().ok()?, minute.parse().ok()?);
    (hour < 24 && minute < 60).then_some((hour, minute))
}

/// A time-of-day field's text as it is stored (HH:MM) when [`read_time`] understands it, else
/// the text trimmed.
pub fn written_time(raw: &str) -> String {
    read_time(raw).map(|(h, m)| format!("{h:02}:{m:02}")).unwrap_or_else(|| raw.trim().to_string())
}

/// Whether `text` is a calendar date written YYYY-MM-DD.
pub fn is_date(text: &str) -> bool {
    parse(text).is_some()
}

/// A date field of a form: empty is allowed, anything else must be a date.
pub fn optional_date(errors: &mut Invalid, field: &'static str, raw: &str) -> String {
    let text = written(raw);
    if !text.is_empty() && !is_date(&text) {
        errors.add(field, "err.date");
    }
    text
}

/// The date `months` after `date`, the day clamped to the end of the month.
pub fn add_months(date: &str, months: u32) -> Option<String> {
    let date = parse(date)?;
    let total = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + i64::from(months);
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?;
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).ok().map(format)
}

/// The date `n` days after `date`.
pub fn add_days(date: &str, n: i64) -> Option<String> {
    let day = i64::from(parse(date)?.to_julian_day()).checked_add(n)?;
    Date::from_julian_day(i32::try_from(day).ok()?).ok().map(format)
}

/// The number of days from `from` to `to` (negative when `to` comes first).
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    Some(i64::from(parse(to)?.to_julian_day()) - i64::from(parse(from)?.to_julian_day()))
}

/// The day of the week, Monday = 0.
pub fn weekday(date: &str) -> Option<u32> {
    Some(u32::from(parse(date)?.weekday().number_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates_are_read_as_people_write_them() {
        for text in ["12-3-2026", "12-03-2026", "2026-03-12", "2026-3-12", "12/3/2026", "12/03/2026", "12.3.2026", " 12-3-2026 "] {
            assert_eq!(written(text), "2026-03-12", "{text}");
        }
        for text in [
            "3-12",
            "12-3-26",
            "2026/03/12",
            "12-3/2026",
            "31-2-2026",
            "32-1-2026",
            "0-1-2026",
            "12-13-2026",
            "1-1-1899",
            "+12-3-2026",
            "12--3-2026",
            "twaalf maart",
            "",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
        assert_eq!(written(" 31-31-2026 "), "31-31-2026", "what is not understood is kept for the form");
        assert_eq!(written("29-2-2024"), "2024-02-29");
    }

    #[test]
    fn times_are_read_as_people_write_them() {
        for (text, stored) in
            [("9.30", "09:30"), ("09:30", "09:30"), ("9:30", "09:30"), ("19.05", "19:05"), ("9", "09:00"), ("0.00", "00:00"), ("23:59", "23:59")]
        {
            assert_eq!(written_time(text), stored, "{text}");
        }
        for text in ["24:00", "9.3", "9.300", "12:60", "930", "9:", ":30", "9,30", "negen uur", "-1:00"] {
            assert_eq!(read_time(text), None, "{text}");
        }
        assert_eq!(written_time(" 25.00 "), "25.00");
    }

    proptest! {
        #[test]
        fn every_way_of_writing_a_date_reads_as_that_date(julian in 2_415_021i32..2_524_593, pad in any::<bool>(), sep in prop::sample::select(vec!['-', '/', '.'])) {
            let date = Date::from_julian_day(julian).expect("a day");
            let (d, m, y) = (date.day(), u8::from(date.month()), date.year());
            let dutch = if pad { format!("{d:02}{sep}{m:02}{sep}{y}") } else { format!("{d}{sep}{m}{sep}{y}") };
            prop_assert_eq!(read(&dutch), Some(date));
            prop_assert_eq!(read(&format(date)), Some(date));
            prop_assert_eq!(written(&dutch), format(date));
        }

        #[test]
        fn every_time_of_day_reads_back(hour in 0u8..24, minute in 0u8..60, sep in prop::sample::select(vec![':', '.'])) {
            prop_assert_eq!(read_time(&format!("{hour}{sep}{minute:02}")), Some((hour, minute)));
            prop_assert_eq!(written_time(&format!("{hour:02}{sep}{minute:02}")), format!("{hour:02}:{minute:02}"));
        }

        #[test]
        fn reading_never_panics_and_keeps_what_it_cannot_read(text in "\\PC{0,14}") {
            let stored = written(&text);
            prop_assert!(is_date(&stored) || stored == text.trim());
            let _ = written_time(&text);
        }
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2024-02-29") && !is_date("2023-02-29") && !is_date("2026-13-01") && !is_date("1-1-2026") && !is_date("2026-00-10"));
        assert!(!is_date("2026-1-01") && !is_date("1899-12-31") && !is_date("2201-01-01") && !is_date("+2026-01-01") && !is_date(" 2026-01-01"));
        assert!(is_date("1900-01-01") && is_date("2200-12-31") && !is_date("1900-02-29") && is_date("2000-02-29"));
    }

    #[test]
    fn months_and_days_are_added_across_year_ends() {
        assert_eq!(add_months("2025-11-30", 3).as_deref(), Some("2026-02-28"));
        assert_eq!(add_months("2024-01-31", 1).as_deref(), Some("2024-02-29"));
        assert_eq!(add_months("2026-12-15", 1).as_deref(), Some("2027-01-15"));
        assert_eq!(add_months("2026-03-31", 0).as_deref(), Some("2026-03-31"));
        assert_eq!(add_months("2026-05-31", 25).as_deref(), Some("2028-06-30"));
        assert_eq!(add_days("2026-12-25", 14).as_deref(), Some("2027-01-08"));
        assert_eq!(add_days("2024-03-01", -1).as_deref(), Some("2024-02-29"));
        assert_eq!(weekday("2026-11-24"), Some(1));
        assert_eq!(weekday("2026-11-29"), Some(6));
        assert_eq!(days_between("2024-02-28", "2024-03-01"), Some(2));
        assert_eq!(days_between("2027-01-01", "2026-12-31"), Some(-1));
        assert_eq!(add_days("not a date", 1), None);
    }

    #[test]
    fn days_added_and_counted_agree_over_centuries() {
        for n in (-25_000..84_000).step_by(37) {
            let date = add_days("1970-01-01", n).expect("a date");
            assert_eq!(days_between("1970-01-01", &date), Some(n));
            assert_eq!(parse(&date).map(format).as_deref(), Some(date.as_str()));
        }
    }
}
