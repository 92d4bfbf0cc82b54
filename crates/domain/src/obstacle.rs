//! The obstacles register (knelpunten): what collaborations run into in law, money or
//! cooperation, raised so that others can recognise it and the regional or national table
//! can take it up and answer.

use crate::error::{Invalid, choice, optional_text, required_text};
use crate::vocab::vocabulary;
use serde::Deserialize;
use std::collections::BTreeMap;

vocabulary!(
    Category {
        WetRegelgeving = "wet_regelgeving",
        Financiering = "financiering",
        RegioIndeling = "regio_indeling",
        Privacy = "privacy_gegevensdeling",
        Toezicht = "toezicht",
        Huisvesting = "huisvesting",
        Arbeidsmarkt = "arbeidsmarkt",
        Samenwerking = "samenwerking",
    }
);

vocabulary!(
    /// How far the regional or national table has come with it.
    ObstacleStatus { Ingediend = "ingediend", Geagendeerd = "geagendeerd", InBehandeling = "in_behandeling", Opgelost = "opgelost" }
);

#[derive(Debug, Clone, PartialEq)]
pub struct Obstacle {
    pub id: i64,
    pub collaboration_id: i64,
    pub collaboration_name: String,
    /// Where the raising collaboration works: its first gemeente code, for the regional count.
    pub region: String,
    pub category: Category,
    pub title: String,
    pub description: String,
    pub effect: String,
    pub tried: String,
    pub status: ObstacleStatus,
    pub response: String,
    pub recognitions: Vec<Recognition>,
    pub created_at: i64,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognition {
    pub collaboration_id: i64,
    pub collaboration_name: String,
    pub context: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ObstacleInput {
    pub category: String,
    pub title: String,
    pub description: String,
    /// What it means for children and families.
    pub effect: String,
    /// What the collaboration has tried already.
    pub tried: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewObstacle {
    pub category: Category,
    pub title: String,
    pub description: String,
    pub effect: String,
    pub tried: String,
}

impl NewObstacle {
    pub fn parse(input: &ObstacleInput) -> Result<NewObstacle, Invalid> {
        let mut errors = Invalid::default();
        let category = choice(&mut errors, "category", &input.category, Category::from_code);
        let title = required_text(&mut errors, "title", &input.title, 200);
        let description = required_text(&mut errors, "description", &input.description, 5000);
        let effect = required_text(&mut errors, "effect", &input.effect, 5000);
        let tried = optional_text(&mut errors, "tried", &input.tried, 5000);
        match category {
            Some(category) => errors.or(NewObstacle { category, title, description, effect, tried }),
            None => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RecognitionInput {
    /// How the obstacle shows in the recognising collaboration.
    pub context: String,
}

pub fn parse_recognition(input: &RecognitionInput) -> Result<String, Invalid> {
    let mut errors = Invalid::default();
    let context = optional_text(&mut errors, "context", &input.context, 5000);
    errors.or(context)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ResponseInput {
    pub status: String,
    pub response: String,
}

pub fn parse_response(input: &ResponseInput) -> Result<(ObstacleStatus, String), Invalid> {
    let mut errors = Invalid::default();
    let status = choice(&mut errors, "status", &input.status, ObstacleStatus::from_code);
    let response = optional_text(&mut errors, "response", &input.response, 5000);
    match status {
        Some(status) => errors.or((status, response)),
        None => Err(errors),
    }
}

/// The national view's counts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub by_category: BTreeMap<Category, usize>,
    pub by_region: BTreeMap<String, usize>,
    pub by_status: BTreeMap<ObstacleStatus, usize>,
    /// Collaborations that raised or recognised each obstacle, most first.
    pub most_recognised: Vec<(i64, usize)>,
}

pub fn summarise(obstacles: &[Obstacle]) -> Summary {
    let mut s = Summary::default();
    for o in obstacles {
        *s.by_category.entry(o.category).or_default() += 1;
        *s.by_region.entry(o.region.clone()).or_default() += 1;
        *s.by_status.entry(o.status).or_default() += 1;
        s.most_recognised.push((o.id, 1 + o.recognitions.len()));
    }
    s.most_recognised.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obstacle(id: i64, category: Category, region: &str, recognitions: usize) -> Obstacle {
        Obstacle {
            id,
            collaboration_id: id,
            collaboration_name: format!("S{id}"),
            region: region.into(),
            category,
            title: "t".into(),
            description: "d".into(),
            effect: "e".into(),
            tried: String::new(),
            status: ObstacleStatus::Ingediend,
            response: String::new(),
            recognitions: (0..recognitions)
                .map(|i| Recognition { collaboration_id: 100 + i as i64, collaboration_name: "x".into(), context: String::new() })
                .collect(),
            created_at: 0,
            version: 1,
        }
    }

    #[test]
    fn summary_counts_by_category_region_and_recognition() {
        let s = summarise(&[
            obstacle(1, Category::Financiering, "GM0344", 0),
            obstacle(2, Category::Financiering, "GM0363", 2),
            obstacle(3, Category::Privacy, "GM0344", 1),
        ]);
        assert_eq!(s.by_category[&Category::Financiering], 2);
        assert_eq!(s.by_region["GM0344"], 2);
        assert_eq!(s.most_recognised, [(2, 3), (3, 2), (1, 1)]);
    }

    #[test]
    fn an_obstacle_needs_a_category_a_description_and_its_effect() {
        let err = NewObstacle::parse(&ObstacleInput { category: "weer".into(), ..Default::default() }).expect_err("invalid");
        let fields: Vec<_> = err.errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["category", "title", "description", "effect"]);
    }
}
