//! Dutch full-text search: words are lower-cased, split, stripped of stop words and reduced
//! to their Snowball stem ("samenwerkingen" and "samenwerking" become one term), then matched
//! and ranked here, in the domain. Both databases therefore give exactly the same results,
//! and no search engine needs to be installed (SQLite's FTS5 has no Dutch stemmer).

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;
use std::sync::OnceLock;

const STOP_WORDS: &[&str] = &[
    "aan", "al", "alle", "als", "bij", "dan", "dat", "de", "die", "dit", "door", "een", "en", "er", "het", "hun", "in", "is", "je", "met", "na", "naar",
    "niet", "of", "om", "ons", "ook", "op", "over", "te", "tot", "uit", "van", "voor", "wat", "we", "wij", "zij", "zo", "ze", "zijn", "worden", "wordt", "hoe",
    "a", "an", "and", "the", "of", "to", "for",
];

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Dutch))
}

/// The search terms of a text, in order, with repeats.
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| stemmer().stem(&w).into_owned())
        .collect()
}

/// A searchable document: its id and its fields with their weights (a title counts more).
pub struct Document<'a, K> {
    pub key: K,
    pub fields: Vec<(&'a str, u32)>,
}

/// The keys of the documents that contain every term of `query`, best first (by weighted
/// term frequency, then in the given order). An empty query matches everything, in order.
pub fn search<K: Clone>(query: &str, documents: &[Document<'_, K>]) -> Vec<K> {
    let wanted = terms(query);
    if wanted.is_empty() {
        return documents.iter().map(|d| d.key.clone()).collect();
    }
    let mut scored: Vec<(u32, usize, K)> = Vec::new();
    for (position, doc) in documents.iter().enumerate() {
        let mut counts: HashMap<String, u32> = HashMap::new();
        for (text, weight) in &doc.fields {
            for term in terms(text) {
                *counts.entry(term).or_default() += weight;
            }
        }
        if wanted.iter().all(|t| counts.contains_key(t)) {
            let score = wanted.iter().map(|t| counts[t]).sum();
            scored.push((score, position, doc.key.clone()));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, key)| key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_and_singular_share_a_stem_and_stop_words_fall_away() {
        assert_eq!(terms("samenwerkingen"), terms("samenwerking"));
        assert_eq!(terms("Jongerenwerkers op school"), terms("jongerenwerker scholen"));
        assert_eq!(terms("de en het op"), Vec::<String>::new());
    }

    #[test]
    fn every_term_must_match_and_titles_weigh_more() {
        let docs = [
            Document { key: 1, fields: vec![("Brede school", 3), ("Samenwerking met de bibliotheek", 1)] },
            Document { key: 2, fields: vec![("Jongerenwerk", 3), ("Jongerenwerkers werken op school", 1)] },
            Document { key: 3, fields: vec![("Collectieve financiering", 1), ("school", 1)] },
        ];
        assert_eq!(search("jongerenwerkers op school", &docs), [2]);
        assert_eq!(search("school", &docs), [1, 2, 3]);
        assert_eq!(search("bibliotheek jongerenwerk", &docs), Vec::<i32>::new());
        assert_eq!(search("", &docs), [1, 2, 3]);
    }
}
