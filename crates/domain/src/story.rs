//! The story behind the numbers. Figures start the conversation; per indicator and period the
//! partners record what they see in them, what explains them and what they will do about it.
//! A story goes stale when the figures of its period change after it was written.

use crate::error::{Invalid, optional_text};
use crate::indicator::{PeriodType, is_period};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct StoryInput {
    pub period: String,
    /// What the partners see in the figures.
    pub seen: String,
    /// What explains them.
    pub explains: String,
    /// What the partners will do.
    pub will_do: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StoryContent {
    pub seen: String,
    pub explains: String,
    pub will_do: String,
}

impl StoryContent {
    /// The period and the story; at least one of the three parts must be told.
    pub fn parse(input: &StoryInput, period_type: PeriodType) -> Result<(String, StoryContent), Invalid> {
        let mut errors = Invalid::default();
        let period = input.period.trim().to_string();
        if !is_period(period_type, &period) {
            errors.add("period", "err.period");
        }
        let content = StoryContent {
            seen: optional_text(&mut errors, "seen", &input.seen, 4000),
            explains: optional_text(&mut errors, "explains", &input.explains, 4000),
            will_do: optional_text(&mut errors, "will_do", &input.will_do, 4000),
        };
        if content.seen.is_empty() && content.explains.is_empty() && content.will_do.is_empty() {
            errors.add("seen", "err.story_empty");
        }
        errors.or((period, content))
    }
}

/// How a period's story relates to its figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    Current,
    /// Figures, but no story yet.
    Missing,
    /// The figures changed after the story was written.
    Stale,
}

impl Freshness {
    pub fn of(story_written_at: Option<i64>, figures_changed_at: i64) -> Freshness {
        match story_written_at {
            None => Freshness::Missing,
            Some(at) if at < figures_changed_at => Freshness::Stale,
            Some(_) => Freshness::Current,
        }
    }
}

/// Whether the latest figures are older than the period before the current one: for a yearly
/// indicator in 2027, figures of 2025 or earlier are out of date.
pub fn figures_out_of_date(latest_period: &str, today_year: i32) -> bool {
    latest_period.get(..4).and_then(|y| y.parse::<i32>().ok()).is_some_and(|start| today_year - start >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_needs_a_fitting_period_and_something_told() {
        let input = StoryInput { period: "2026-H1".into(), seen: "Meer aanmeldingen in West.".into(), ..Default::default() };
        let (period, story) = StoryContent::parse(&input, PeriodType::Halfjaar).expect("valid");
        assert_eq!((period.as_str(), story.seen.as_str()), ("2026-H1", "Meer aanmeldingen in West."));
        let empty = StoryInput { period: "2026".into(), ..Default::default() };
        let errors = StoryContent::parse(&empty, PeriodType::Halfjaar).expect_err("invalid");
        assert_eq!(errors.for_field("period"), Some("err.period"));
        assert_eq!(errors.for_field("seen"), Some("err.story_empty"));
    }

    #[test]
    fn freshness_follows_the_figures() {
        assert_eq!(Freshness::of(None, 10), Freshness::Missing);
        assert_eq!(Freshness::of(Some(5), 10), Freshness::Stale);
        assert_eq!(Freshness::of(Some(10), 10), Freshness::Current);
        assert!(figures_out_of_date("2024-2025", 2026));
        assert!(!figures_out_of_date("2025-H2", 2026));
        assert!(!figures_out_of_date("", 2026));
    }
}
