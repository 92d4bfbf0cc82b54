//! Calendar dates as the product stores them: text written YYYY-MM-DD, which sorts and
//! compares as text. The calendar itself (month lengths, leap years, weekdays) is the `time`
//! crate's; this module only reads and writes the stored form.

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

/// Whether `text` is a calendar date written YYYY-MM-DD.
pub fn is_date(text: &str) -> bool {
    parse(text).is_some()
}

/// A date field of a form: empty is allowed, anything else must be a date.
pub fn optional_date(errors: &mut Invalid, field: &'static str, raw: &str) -> String {
    let text = raw.trim().to_string();
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
