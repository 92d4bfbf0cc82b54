//! Collaborations' use cases, below both doors (pages and API).

/// The year a new collaboration's input is checked against (its area classification year and
/// its period), in UTC.
pub fn current_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}
