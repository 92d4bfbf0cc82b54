//! Calendar dates as the product stores them: text written YYYY-MM-DD, which sorts and
//! compares as text. The arithmetic here is all the product needs, so no date crate.

use crate::error::Invalid;

/// Whether `text` is a calendar date written YYYY-MM-DD.
pub fn is_date(text: &str) -> bool {
    parse(text).is_some()
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        _ => 28,
    }
}

fn parse(text: &str) -> Option<(i32, u32, u32)> {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return None };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else { return None };
    let valid = text.len() == 10 && (1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d);
    valid.then_some((y, m, d))
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
    let (y, m, d) = parse(date)?;
    let total = y * 12 + (m as i32 - 1) + months as i32;
    let (y, m) = (total / 12, (total % 12) as u32 + 1);
    Some(format!("{y:04}-{m:02}-{:02}", d.min(days_in_month(y, m))))
}

/// Days since 1970-01-01 (after H. Hinnant's days_from_civil).
fn days(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The date `n` days after `date`.
pub fn add_days(date: &str, n: i64) -> Option<String> {
    let (y, m, d) = parse(date)?;
    let (y, m, d) = civil(days(y, m, d) + n);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// The number of days from `from` to `to` (negative when `to` comes first).
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    let ((y1, m1, d1), (y2, m2, d2)) = (parse(from)?, parse(to)?);
    Some(days(y2, m2, d2) - days(y1, m1, d1))
}

/// The day of the week, Monday = 0.
pub fn weekday(date: &str) -> Option<u32> {
    let (y, m, d) = parse(date)?;
    Some((days(y, m, d) + 3).rem_euclid(7) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2024-02-29") && !is_date("2023-02-29") && !is_date("2026-13-01") && !is_date("1-1-2026") && !is_date("2026-00-10"));
    }

    #[test]
    fn months_and_days_are_added_across_year_ends() {
        assert_eq!(add_months("2025-11-30", 3).as_deref(), Some("2026-02-28"));
        assert_eq!(add_months("2024-01-31", 1).as_deref(), Some("2024-02-29"));
        assert_eq!(add_days("2026-12-25", 14).as_deref(), Some("2027-01-08"));
        assert_eq!(add_days("2024-03-01", -1).as_deref(), Some("2024-02-29"));
        assert_eq!(weekday("2026-11-24"), Some(1));
        assert_eq!(days_between("2024-02-28", "2024-03-01"), Some(2));
        assert_eq!(days_between("2027-01-01", "2026-12-31"), Some(-1));
    }

    #[test]
    fn day_numbers_round_trip_over_centuries() {
        for n in (-30_000..80_000).step_by(37) {
            let (y, m, d) = civil(n);
            assert_eq!(days(y as i32, m, d), n);
        }
    }
}
