//! Practice examples (praktijkvoorbeelden): the ones the guide describes, written by us and
//! shipped in `content/examples.json`, and a collaboration's own, private or shared with the
//! whole instance. Filtering and Dutch full-text search are here, so every backend and
//! every output path finds the same examples.

use crate::collaboration::AgeFocus;
use crate::error::{Invalid, lenient_bool, optional_text, required_text};
use crate::journey::Text;
use crate::partner::Sector;
use crate::search::{Document, search};
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Clone, Deserialize)]
pub struct BuiltIn {
    pub slug: String,
    pub place: String,
    pub age_group: Option<String>,
    pub themes: Vec<u8>,
    pub sectors: Vec<String>,
    pub title: Text,
    pub summary: Text,
    pub why: Text,
    pub source: String,
}

/// An example as people see it, built in or a collaboration's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The slug of a built-in example, or `eigen-{id}` for a collaboration's own.
    pub key: String,
    pub place: String,
    pub age_group: Option<AgeFocus>,
    pub themes: Vec<u8>,
    pub sectors: Vec<Sector>,
    pub title: (String, String),
    pub summary: (String, String),
    pub why: (String, String),
    pub source: String,
    /// The collaboration that wrote it (none for the built-in ones).
    pub owner: Option<i64>,
    pub shared: bool,
    pub version: i64,
}

impl Example {
    pub fn title(&self, english: impl std::borrow::Borrow<bool>) -> &str {
        if *english.borrow() { &self.title.1 } else { &self.title.0 }
    }
    pub fn summary(&self, english: impl std::borrow::Borrow<bool>) -> &str {
        if *english.borrow() { &self.summary.1 } else { &self.summary.0 }
    }
    pub fn why(&self, english: impl std::borrow::Borrow<bool>) -> &str {
        if *english.borrow() { &self.why.1 } else { &self.why.0 }
    }
    /// The title with the place in front, unless the title already starts with it.
    pub fn heading(&self, english: impl std::borrow::Borrow<bool>) -> String {
        let title = self.title(english);
        if title.starts_with(&self.place) { title.to_string() } else { format!("{}: {title}", self.place) }
    }

    pub fn own_id(&self) -> Option<i64> {
        self.key.strip_prefix("eigen-").and_then(|id| id.parse().ok())
    }
}

fn pair(text: &Text) -> (String, String) {
    (text.nl.clone(), text.en.clone())
}

/// The built-in examples.
pub fn built_in() -> &'static [Example] {
    static EXAMPLES: OnceLock<Vec<Example>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let raw: Vec<BuiltIn> =
            serde_json::from_str(include_str!("../content/examples.json")).unwrap_or_else(|e| panic!("content/examples.json is invalid: {e}"));
        raw.iter()
            .map(|b| Example {
                key: b.slug.clone(),
                place: b.place.clone(),
                age_group: b.age_group.as_deref().and_then(AgeFocus::from_code),
                themes: b.themes.clone(),
                sectors: b.sectors.iter().filter_map(|s| Sector::from_code(s)).collect(),
                title: pair(&b.title),
                summary: pair(&b.summary),
                why: pair(&b.why),
                source: b.source.clone(),
                owner: None,
                shared: true,
                version: 0,
            })
            .collect()
    })
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ExampleInput {
    pub place: String,
    /// 12-, 12+, beide, or empty when unknown.
    pub age_group: String,
    pub themes: Vec<String>,
    pub sectors: Vec<String>,
    pub title: String,
    pub summary: String,
    pub why: String,
    pub source: String,
    /// Share with every collaboration on this instance.
    #[serde(deserialize_with = "lenient_bool")]
    pub shared: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewExample {
    pub place: String,
    pub age_group: Option<AgeFocus>,
    pub themes: Vec<u8>,
    pub sectors: Vec<Sector>,
    pub title: String,
    pub summary: String,
    pub why: String,
    pub source: String,
    pub shared: bool,
}

impl NewExample {
    pub fn parse(input: &ExampleInput) -> Result<NewExample, Invalid> {
        let mut errors = Invalid::default();
        let place = required_text(&mut errors, "place", &input.place, 200);
        let title = required_text(&mut errors, "title", &input.title, 200);
        let summary = required_text(&mut errors, "summary", &input.summary, 5000);
        let why = optional_text(&mut errors, "why", &input.why, 5000);
        let source = optional_text(&mut errors, "source", &input.source, 500);
        let age_group = match input.age_group.trim() {
            "" => None,
            code => {
                let parsed = AgeFocus::from_code(code);
                if parsed.is_none() {
                    errors.add("age_group", "err.choice");
                }
                parsed
            }
        };
        let mut themes: Vec<u8> = Vec::new();
        for raw in &input.themes {
            match raw.trim().parse::<u8>() {
                Ok(n) if (1..=9).contains(&n) => themes.push(n),
                _ => errors.add("themes", "err.choice"),
            }
        }
        themes.sort_unstable();
        themes.dedup();
        let mut sectors = Vec::new();
        for raw in &input.sectors {
            match Sector::from_code(raw.trim()) {
                Some(s) if !sectors.contains(&s) => sectors.push(s),
                Some(_) => {}
                None => errors.add("sectors", "err.choice"),
            }
        }
        sectors.sort();
        errors.or(NewExample { place, age_group, themes, sectors, title, summary, why, source, shared: input.shared })
    }
}

/// What someone looks for among the examples.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Filter {
    pub q: String,
    /// A theme number, 1–9.
    pub thema: Option<String>,
    /// 12- or 12+: examples for that group and those for all ages.
    pub leeftijd: Option<String>,
    pub sector: Option<String>,
}

impl Filter {
    fn keeps(&self, e: &Example) -> bool {
        let theme = self.thema.as_deref().and_then(|t| t.parse::<u8>().ok());
        let age = self.leeftijd.as_deref().and_then(AgeFocus::from_code).filter(|a| *a != AgeFocus::Both);
        let sector = self.sector.as_deref().and_then(Sector::from_code);
        theme.is_none_or(|t| e.themes.contains(&t))
            && age.is_none_or(|a| e.age_group == Some(a) || e.age_group == Some(AgeFocus::Both))
            && sector.is_none_or(|s| e.sectors.contains(&s))
    }
}

/// Filters `examples` and searches them in Dutch (titles weigh three times the text); the
/// search runs over both languages' texts so an English query finds them too.
pub fn find<'a>(examples: &'a [Example], filter: &Filter) -> Vec<&'a Example> {
    let kept: Vec<&Example> = examples.iter().filter(|e| filter.keeps(e)).collect();
    let documents: Vec<Document<usize>> = kept
        .iter()
        .enumerate()
        .map(|(i, e)| Document {
            key: i,
            fields: vec![
                (e.title.0.as_str(), 3),
                (e.place.as_str(), 3),
                (e.summary.0.as_str(), 1),
                (e.why.0.as_str(), 1),
                (e.title.1.as_str(), 1),
                (e.summary.1.as_str(), 1),
            ],
        })
        .collect();
    search(&filter.q, &documents).into_iter().map(|i| kept[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> Vec<String> {
        find(built_in(), &Filter { q: q.into(), ..Default::default() }).iter().map(|e| e.place.clone()).collect()
    }

    #[test]
    fn the_built_in_examples_are_complete_and_unique() {
        let all = built_in();
        assert!(all.len() >= 20, "{}", all.len());
        let mut slugs: Vec<&str> = all.iter().map(|e| e.key.as_str()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), all.len(), "slugs are unique");
        for e in all {
            assert!(!e.title.0.is_empty() && !e.title.1.is_empty() && !e.summary.0.is_empty() && !e.summary.1.is_empty(), "{}", e.key);
            assert!(!e.themes.is_empty() && e.themes.iter().all(|t| (1..=9).contains(t)), "{}", e.key);
        }
    }

    #[test]
    fn youth_workers_at_school_finds_den_bosch() {
        let found = query("jongerenwerkers op school");
        assert!(found.first().is_some_and(|p| p.to_lowercase().contains("hertogenbosch")), "{found:?}");
    }

    #[test]
    fn collective_financing_finds_tilburg_and_leeuwarden() {
        let found = query("collectieve financiering");
        assert!(found.iter().any(|p| p.contains("Tilburg")), "{found:?}");
        assert!(found.iter().any(|p| p.contains("Leeuwarden")), "{found:?}");
    }

    #[test]
    fn filtering_by_age_keeps_that_group_and_all_ages() {
        let older = find(built_in(), &Filter { leeftijd: Some("12+".into()), ..Default::default() });
        assert!(!older.is_empty());
        assert!(older.iter().all(|e| matches!(e.age_group, Some(AgeFocus::Over12) | Some(AgeFocus::Both))));
        let theme = find(built_in(), &Filter { thema: Some("4".into()), ..Default::default() });
        assert!(theme.iter().all(|e| e.themes.contains(&4)));
    }
}
