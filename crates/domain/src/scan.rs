//! Self-scans and short surveys: questionnaire templates, anonymous answers, and results that
//! never show a group below the minimum — not directly, and not as the difference between a
//! total and the groups that are shown. A round's results are published once, when it closes,
//! so two looks in time never differ by one answer; and a round is split along one dimension
//! only, chosen before it opens, so no two overlapping groupings can be subtracted.

use crate::error::Invalid;
use crate::journey::Text;
use crate::partner::Sector;
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

vocabulary!(
    QuestionKind { Scale = "scale", Choice = "choice", Multi = "multi", Slider = "slider", Text = "text" }
);

vocabulary!(
    /// Who a questionnaire is for: the partners' people, or parents or young people.
    Audience { Partners = "partners", Ouders = "ouders", Jongeren = "jongeren" }
);

vocabulary!(
    /// The level a respondent works at.
    RespondentLevel { Bestuurlijk = "bestuurlijk", Beleid = "beleid", Uitvoering = "uitvoering" }
);

/// The answer to a statement for someone who cannot judge it.
pub const DONT_KNOW: &str = "weet_niet";
/// The smallest group whose answers are ever shown, whatever a round or an installation is set
/// to; an installation's own floor (`measure::Floors::min_group`, default 5) is higher.
pub const FLOOR: usize = 3;
/// The minimum group size unless a round sets another.
pub const DEFAULT_MIN: usize = 5;
/// From this difference between group means an element is highlighted.
pub const DIVERGENCE_MARK: f64 = 1.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub key: String,
    pub label: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub key: String,
    pub kind: QuestionKind,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<Text>,
    /// "now" or "wanted", for questions asked twice about the same row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub key: String,
    /// One of the eight working elements, if the section is about one.
    pub element: Option<u8>,
    /// The guide's themes that help where this section scores low.
    #[serde(default)]
    pub themes: Vec<u8>,
    pub title: Text,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub key: String,
    pub audience: Audience,
    pub name: Text,
    pub intro: Text,
    pub sections: Vec<Section>,
}

/// The built-in templates, written after the documents.
pub fn templates() -> &'static [Template] {
    static TEMPLATES: OnceLock<Vec<Template>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        #[derive(Deserialize)]
        struct File {
            templates: Vec<Template>,
        }
        let file: File = serde_json::from_str(include_str!("../content/scans.json")).unwrap_or_else(|e| panic!("content/scans.json is invalid: {e}"));
        file.templates
    })
}

pub fn template(key: &str) -> Option<&'static Template> {
    templates().iter().find(|t| t.key == key)
}

impl Template {
    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections.iter().flat_map(|s| s.questions.iter().map(move |q| (s, q)))
    }

    /// A collaboration's own copy: only the questions in `keep` (a pair stays whole), texts
    /// rewritten where `texts` says so, one own statement added per section in `extra`, and no
    /// empty sections. A round keeps its copy, so a questionnaire in use never changes under it.
    pub fn adapted(&self, keep: &[String], texts: &BTreeMap<String, String>, extra: &BTreeMap<String, String>) -> Result<Template, Invalid> {
        let mut errors = Invalid::default();
        let kept = |s: &Section, q: &Question| keep.contains(&q.key) || q.row.is_some() && s.questions.iter().any(|o| o.row == q.row && keep.contains(&o.key));
        let own = |text: &str| Text { nl: text.to_string(), en: text.to_string() };
        let mut sections = Vec::new();
        for s in &self.sections {
            let mut questions: Vec<Question> = s.questions.iter().filter(|q| kept(s, q)).cloned().collect();
            for q in &mut questions {
                let Some(text) = texts.get(&q.key).map(|t| t.trim()).filter(|t| !t.is_empty() && *t != q.text.nl && *t != q.text.en) else { continue };
                if text.chars().count() > 500 {
                    errors.add("questions", "err.too_long");
                }
                q.text = own(text);
            }
            if let Some(text) = extra.get(&s.key).map(|t| t.trim()).filter(|t| !t.is_empty()) {
                if text.chars().count() > 500 {
                    errors.add("questions", "err.too_long");
                }
                let kind = if s.element.is_some() { QuestionKind::Scale } else { QuestionKind::Text };
                questions.push(Question {
                    key: format!("{}_eigen", s.key),
                    kind,
                    text: own(text),
                    options: Vec::new(),
                    left: None,
                    right: None,
                    pair: None,
                    row: None,
                });
            }
            if !questions.is_empty() {
                sections.push(Section { questions, ..s.clone() });
            }
        }
        if sections.is_empty() {
            errors.add("questions", "err.no_questions");
        }
        errors.or(Template { sections, ..self.clone() })
    }

    pub fn elements(&self) -> Vec<u8> {
        let mut elements: Vec<u8> = self.sections.iter().filter_map(|s| s.element).collect();
        elements.dedup();
        elements
    }
}

/// One answer as stored: a number (1–5 on a scale, 0–100 on a slider), the keys chosen, or text
/// (a single choice, "weet_niet", or free text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Number(u8),
    Keys(Vec<String>),
    Text(String),
}

/// One respondent's answers. It names no person and no invitation link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub sector: Option<Sector>,
    pub level: Option<RespondentLevel>,
    pub answers: BTreeMap<String, Value>,
}

const TEXT_MAX: usize = 1000;

/// Reads and checks a respondent's answers. Partners state sector and level; parents and young
/// people do not. Questions left open are simply not answered.
pub fn check_response(template: &Template, sector: &str, level: &str, answers: BTreeMap<String, Value>) -> Result<Response, Invalid> {
    let mut errors = Invalid::default();
    let (sector, level) = if template.audience == Audience::Partners {
        let sector = Sector::from_code(sector.trim());
        let level = RespondentLevel::from_code(level.trim());
        if sector.is_none() {
            errors.add("sector", "err.choice");
        }
        if level.is_none() {
            errors.add("level", "err.choice");
        }
        (sector, level)
    } else {
        (None, None)
    };
    let mut kept = BTreeMap::new();
    for (key, value) in answers {
        let Some((_, q)) = template.questions().find(|(_, q)| q.key == key) else {
            errors.add("answers", "err.unknown_question");
            continue;
        };
        let valid = match (q.kind, &value) {
            (QuestionKind::Scale, Value::Number(n)) => (1..=5).contains(n),
            (QuestionKind::Scale, Value::Text(t)) => t == DONT_KNOW,
            (QuestionKind::Slider, Value::Number(n)) => *n <= 100,
            (QuestionKind::Choice, Value::Text(t)) => q.options.iter().any(|o| &o.key == t),
            (QuestionKind::Multi, Value::Keys(keys)) => keys.iter().all(|k| q.options.iter().any(|o| &o.key == k)),
            (QuestionKind::Text, Value::Text(t)) => t.chars().count() <= TEXT_MAX,
            _ => false,
        };
        let empty = matches!(&value, Value::Text(t) if t.trim().is_empty()) || matches!(&value, Value::Keys(k) if k.is_empty());
        if !valid && !empty {
            errors.add("answers", "err.answer");
        } else if !empty {
            let value = match value {
                Value::Text(t) => Value::Text(t.trim().to_string()),
                other => other,
            };
            kept.insert(key, value);
        }
    }
    errors.or(Response { sector, level, answers: kept })
}

/// The answers of a form post: fields `q-{key}`, repeated for multiple choice.
pub fn answers_from_form(template: &Template, fields: &[(String, String)]) -> BTreeMap<String, Value> {
    let mut answers = BTreeMap::new();
    for (_, q) in template.questions() {
        let name = format!("q-{}", q.key);
        let values: Vec<&str> = fields.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.as_str()).collect();
        let Some(first) = values.first() else { continue };
        let value = match q.kind {
            QuestionKind::Multi => Value::Keys(values.iter().filter(|v| !v.is_empty()).map(|v| v.to_string()).collect()),
            QuestionKind::Scale | QuestionKind::Slider => match first.parse::<u8>() {
                Ok(n) => Value::Number(n),
                Err(_) => Value::Text(first.to_string()),
            },
            QuestionKind::Choice | QuestionKind::Text => Value::Text(first.to_string()),
        };
        answers.insert(q.key.clone(), value);
    }
    answers
}

/// What the answers to one question add up to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stat {
    /// Respondents who answered (a "weet niet" counts as an answer, not in the mean).
    pub n: usize,
    pub mean: Option<f64>,
    /// Per answer option (1–5 and weet_niet on a scale), how many chose it.
    pub counts: Vec<(String, usize)>,
    pub texts: Vec<String>,
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

pub fn stat(q: &Question, responses: &[&Response]) -> Stat {
    let answers: Vec<&Value> = responses.iter().filter_map(|r| r.answers.get(&q.key)).collect();
    let numbers: Vec<f64> = answers.iter().filter_map(|v| if let Value::Number(n) = v { Some(f64::from(*n)) } else { None }).collect();
    let count = |key: &str| {
        answers
            .iter()
            .filter(|v| match v {
                Value::Number(n) => n.to_string() == key,
                Value::Text(t) => t == key,
                Value::Keys(keys) => keys.iter().any(|k| k == key),
            })
            .count()
    };
    let keys: Vec<String> = match q.kind {
        QuestionKind::Scale => ["1", "2", "3", "4", "5", DONT_KNOW].iter().map(|k| k.to_string()).collect(),
        QuestionKind::Choice | QuestionKind::Multi => q.options.iter().map(|o| o.key.clone()).collect(),
        QuestionKind::Slider | QuestionKind::Text => Vec::new(),
    };
    let mut texts: Vec<String> = if q.kind == QuestionKind::Text {
        answers.iter().filter_map(|v| if let Value::Text(t) = v { Some(t.clone()) } else { None }).collect()
    } else {
        Vec::new()
    };
    // Sorted, so the order of texts says nothing about the order of answering.
    texts.sort();
    Stat { n: answers.len(), mean: mean(&numbers), counts: keys.iter().map(|k| (k.clone(), count(k))).collect(), texts }
}

/// A question's answers as the parts of a measurement: the sum of the scores over n, for an
/// end-user indicator. Nothing when fewer than `min` gave a score.
pub fn score_parts(q: &Question, responses: &[&Response], min: usize) -> Option<crate::measure::Parts> {
    let scores: Vec<f64> =
        responses.iter().filter_map(|r| if let Some(Value::Number(n)) = r.answers.get(&q.key) { Some(f64::from(*n)) } else { None }).collect();
    (scores.len() >= min).then(|| crate::measure::Parts::ratio(scores.iter().sum(), scores.len() as f64))
}

/// The mean of all scale answers of an element's statements (1–5; "weet niet" left out).
pub fn element_means(template: &Template, responses: &[&Response]) -> Vec<(u8, Option<f64>)> {
    template
        .elements()
        .into_iter()
        .map(|element| {
            let values: Vec<f64> = template
                .questions()
                .filter(|(s, q)| s.element == Some(element) && q.kind == QuestionKind::Scale)
                .flat_map(|(_, q)| responses.iter().filter_map(|r| if let Some(Value::Number(n)) = r.answers.get(&q.key) { Some(f64::from(*n)) } else { None }))
                .collect();
            (element, mean(&values))
        })
        .collect()
}

/// The two ways results are split into groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Sector,
    Level,
}

impl Dimension {
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Sector => "sector",
            Dimension::Level => "niveau",
        }
    }

    pub fn from_code(code: &str) -> Option<Dimension> {
        match code {
            "sector" => Some(Dimension::Sector),
            "niveau" => Some(Dimension::Level),
            _ => None,
        }
    }

    pub fn group_of(self, r: &Response) -> Option<&'static str> {
        match self {
            Dimension::Sector => r.sector.map(Sector::code),
            Dimension::Level => r.level.map(RespondentLevel::code),
        }
    }
}

/// The minimum group size of a round: as configured, never below the installation's `floor`.
pub fn minimum(configured: usize, floor: usize) -> usize {
    configured.max(floor).max(FLOOR)
}

/// Whether a round's results are published on `today`: once it has closed, and from then on
/// the same, since a closed round takes no more answers.
pub fn is_published(closes: &str, today: &str) -> bool {
    today > closes
}

/// The groups whose results may be shown. A group below `min` is hidden; when the hidden
/// groups together hold fewer than `min` answers, the smallest shown groups are hidden too,
/// until they do — otherwise the total minus the shown groups would give them away. So every
/// shown group and its complement (everyone else) hold at least `min`, or the complement none.
pub fn visible_groups(counts: &BTreeMap<&'static str, usize>, min: usize) -> Vec<&'static str> {
    visible_groups_beside(counts, 0, min)
}

/// As `visible_groups`, with `outside` answers in no group (they count as hidden).
pub fn visible_groups_beside(counts: &BTreeMap<&'static str, usize>, outside: usize, min: usize) -> Vec<&'static str> {
    let mut shown: Vec<(&'static str, usize)> = counts.iter().filter(|(_, n)| **n >= min).map(|(g, n)| (*g, *n)).collect();
    let mut hidden: usize = counts.values().filter(|n| **n < min).sum::<usize>() + outside;
    shown.sort_by_key(|(g, n)| (*n, *g));
    while hidden > 0 && hidden < min && !shown.is_empty() {
        hidden += shown.remove(0).1;
    }
    let mut names: Vec<&'static str> = shown.into_iter().map(|(g, _)| g).collect();
    names.sort_unstable();
    names
}

/// The groups of `dimension` whose results may be shown, with answers outside every group
/// counted as hidden.
pub fn shown_groups(responses: &[Response], dimension: Dimension, min: usize) -> Vec<&'static str> {
    let counts = group_counts(responses, dimension);
    let outside = responses.len() - counts.values().sum::<usize>();
    visible_groups_beside(&counts, outside, min)
}

pub fn group_counts(responses: &[Response], dimension: Dimension) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for r in responses {
        if let Some(g) = dimension.group_of(r) {
            *counts.entry(g).or_insert(0) += 1;
        }
    }
    counts
}

/// A filter on the results: everyone, or one group of one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Group(Dimension, &'static str),
}

/// Reads a group filter ("sector:gemeente", "niveau:beleid"); an unknown one is everyone.
pub fn filter_of(raw: &str) -> Filter {
    match raw.split_once(':') {
        Some(("sector", code)) => Sector::ALL.iter().find(|s| s.code() == code).map(|s| Filter::Group(Dimension::Sector, s.code())).unwrap_or(Filter::All),
        Some(("niveau", code)) => {
            RespondentLevel::ALL.iter().find(|s| s.code() == code).map(|s| Filter::Group(Dimension::Level, s.code())).unwrap_or(Filter::All)
        }
        _ => Filter::All,
    }
}

/// Reads a group filter of a round split by `split_by`; a group of any other dimension, or of
/// none, is everyone.
pub fn round_filter(split_by: Option<Dimension>, raw: &str) -> Filter {
    match filter_of(raw) {
        Filter::Group(d, g) if split_by == Some(d) => Filter::Group(d, g),
        _ => Filter::All,
    }
}

/// The answers a filter may show, or `None` when that would show fewer than `min` people
/// (or a group hidden to protect another).
pub fn select(responses: &[Response], filter: Filter, min: usize) -> Option<Vec<&Response>> {
    let selected: Vec<&Response> = match filter {
        Filter::All => responses.iter().collect(),
        Filter::Group(dimension, group) => {
            if !shown_groups(responses, dimension, min).contains(&group) {
                return None;
            }
            responses.iter().filter(|r| dimension.group_of(r) == Some(group)).collect()
        }
    };
    (selected.len() >= min).then_some(selected)
}

/// Whether what `contributes` says of the answers in `filter` may be shown: when at least
/// `min` respondents contribute to it, and — for a group — when the respondents of the round's
/// other shown groups and of the hidden ones that contribute hold at least `min` too, or none
/// (the groups are thinned as `visible_groups` does, but counting only those that contribute).
/// So a question or element that few of the hidden respondents answered is not to be had as
/// the total minus the shown groups.
pub fn contribution_shown(responses: &[Response], split_by: Option<Dimension>, filter: Filter, min: usize, contributes: impl Fn(&Response) -> bool) -> bool {
    let all = responses.iter().filter(|r| contributes(r)).count();
    if all < min {
        return false;
    }
    let Some(dimension) = split_by else { return true };
    let shown = shown_groups(responses, dimension, min);
    let mut counts: BTreeMap<&'static str, usize> = shown.iter().map(|g| (*g, 0)).collect();
    for r in responses.iter().filter(|r| contributes(r)) {
        if let Some(n) = dimension.group_of(r).and_then(|g| counts.get_mut(g)) {
            *n += 1;
        }
    }
    match filter {
        Filter::All => true,
        Filter::Group(_, g) => visible_groups_beside(&counts, all - counts.values().sum::<usize>(), min).contains(&g),
    }
}

/// Whether a question's results may be shown for `filter` (`contribution_shown` over those who answered it).
pub fn question_shown(responses: &[Response], split_by: Option<Dimension>, filter: Filter, q: &Question, min: usize) -> bool {
    contribution_shown(responses, split_by, filter, min, |r| r.answers.contains_key(&q.key))
}

/// Whether an element's mean may be shown for `filter` (`contribution_shown` over those who
/// gave a score to one of its statements).
pub fn element_shown(template: &Template, responses: &[Response], split_by: Option<Dimension>, filter: Filter, element: u8, min: usize) -> bool {
    let keys: Vec<&str> = template.sections.iter().filter(|s| s.element == Some(element)).flat_map(|s| s.questions.iter().map(|q| q.key.as_str())).collect();
    contribution_shown(responses, split_by, filter, min, |r| keys.iter().any(|k| matches!(r.answers.get(*k), Some(Value::Number(_)))))
}

/// The element means of `filter`'s answers, each only where `element_shown`.
pub fn element_means_shown(
    template: &Template,
    all: &[Response],
    split_by: Option<Dimension>,
    filter: Filter,
    rs: &[&Response],
    min: usize,
) -> Vec<(u8, Option<f64>)> {
    element_means(template, rs).into_iter().map(|(e, m)| (e, m.filter(|_| element_shown(template, all, split_by, filter, e, min)))).collect()
}

/// Per element, the largest difference between the means of the shown groups.
pub fn divergence(template: &Template, responses: &[Response], dimension: Dimension, min: usize) -> Vec<(u8, Option<f64>)> {
    let groups = shown_groups(responses, dimension, min);
    let per_group: Vec<Vec<(u8, Option<f64>)>> = groups
        .iter()
        .filter_map(|g| {
            select(responses, Filter::Group(dimension, g), min)
                .map(|rs| element_means_shown(template, responses, Some(dimension), Filter::Group(dimension, g), &rs, min))
        })
        .collect();
    template
        .elements()
        .into_iter()
        .map(|element| {
            let means: Vec<f64> = per_group.iter().filter_map(|m| m.iter().find(|(e, _)| *e == element).and_then(|(_, v)| *v)).collect();
            let spread = (means.len() >= 2).then(|| means.iter().cloned().fold(f64::MIN, f64::max) - means.iter().cloned().fold(f64::MAX, f64::min));
            (element, spread)
        })
        .collect()
}

/// The now/wanted pairs of `kind` in a template: per row its section and both questions.
fn now_wanted(template: &Template, kind: QuestionKind) -> Vec<(&Section, &Question, &Question)> {
    template
        .sections
        .iter()
        .flat_map(|s| s.questions.iter().map(move |q| (s, q)))
        .filter(|(_, q)| q.kind == kind && q.pair.as_deref() == Some("now"))
        .filter_map(|(s, now)| s.questions.iter().find(|w| w.kind == kind && w.row == now.row && w.pair.as_deref() == Some("wanted")).map(|w| (s, now, w)))
        .collect()
}

/// For now/wanted choice pairs: how many of `rs` (the answers `filter` selects from `all`)
/// chose each combination. A pair counts only where those who answered both halves may be
/// shown (`contribution_shown`), so neither a few people's choices nor the total minus the
/// shown groups gives a hidden group's combination away.
pub fn pair_counts(
    template: &Template,
    all: &[Response],
    split_by: Option<Dimension>,
    filter: Filter,
    rs: &[&Response],
    min: usize,
) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for (_, now, wanted) in now_wanted(template, QuestionKind::Choice) {
        let both = |r: &Response| matches!((r.answers.get(&now.key), r.answers.get(&wanted.key)), (Some(Value::Text(_)), Some(Value::Text(_))));
        if !contribution_shown(all, split_by, filter, min, both) {
            continue;
        }
        for r in rs {
            if let (Some(Value::Text(a)), Some(Value::Text(b))) = (r.answers.get(&now.key), r.answers.get(&wanted.key)) {
                *counts.entry((a.clone(), b.clone())).or_insert(0) += 1;
            }
        }
    }
    counts
}

/// For now/wanted slider pairs: per row its section, the mean now and the mean wanted of `rs`,
/// each only where that question's results may be shown (`question_shown`).
pub fn shift_gaps<'a>(
    template: &'a Template,
    all: &[Response],
    split_by: Option<Dimension>,
    filter: Filter,
    rs: &[&Response],
    min: usize,
) -> Vec<(&'a Section, Option<f64>, Option<f64>)> {
    let mean_of = |q: &Question| stat(q, rs).mean.filter(|_| question_shown(all, split_by, filter, q, min));
    now_wanted(template, QuestionKind::Slider).into_iter().map(|(s, now, wanted)| (s, mean_of(now), mean_of(wanted))).collect()
}

/// The `k` lowest-scoring elements with the themes that address them.
pub fn lowest<'a>(template: &'a Template, means: &[(u8, Option<f64>)], k: usize) -> Vec<(u8, f64, &'a [u8])> {
    let mut scored: Vec<(u8, f64)> = means.iter().filter_map(|(e, m)| m.map(|m| (*e, m))).collect();
    scored.sort_by(|a, b| a.1.total_cmp(&b.1));
    scored
        .into_iter()
        .take(k)
        .map(|(e, m)| (e, m, template.sections.iter().find(|s| s.element == Some(e)).map(|s| s.themes.as_slice()).unwrap_or(&[])))
        .collect()
}

/// A new round as a form or the API asks for it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RoundInput {
    /// The built-in template to copy: werkzame_elementen, samenwerkingsmodel, perspectiefwisseling, regie, stem_ouders or stem_jongeren.
    pub template: String,
    pub title: String,
    pub opens: String,
    pub closes: String,
    /// The smallest group whose results are shown (at least the installation's floor, default 5; empty is the floor).
    pub min_group: String,
    /// The one dimension the results are split along, chosen before the round opens: sector,
    /// niveau, or empty for everyone together only. Parents' and young people's rounds are not split.
    pub split_by: String,
    /// The question keys to keep; empty keeps them all.
    pub questions: Vec<String>,
    /// Per question key, the collaboration's own wording.
    pub texts: BTreeMap<String, String>,
    /// Per section key, one statement of the collaboration's own to add.
    pub extra: BTreeMap<String, String>,
}

/// A checked round: its own copy of the questionnaire, open from `opens` to `closes`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundPlan {
    pub title: String,
    pub template: Template,
    pub opens: String,
    pub closes: String,
    pub min_group: usize,
    pub split_by: Option<Dimension>,
}

impl RoundInput {
    /// Checks a new round; its minimum group may not go below the installation's `floors`.
    pub fn parse(&self, floors: &crate::measure::Floors) -> Result<RoundPlan, Invalid> {
        let mut errors = Invalid::default();
        let base = template(self.template.trim());
        if base.is_none() {
            errors.add("template", "err.choice");
        }
        let title = crate::error::required_text(&mut errors, "title", &self.title, 200);
        let opens = crate::error::required_text(&mut errors, "opens", &crate::date::written(&self.opens), 10);
        let closes = crate::error::required_text(&mut errors, "closes", &crate::date::written(&self.closes), 10);
        for (field, date) in [("opens", &opens), ("closes", &closes)] {
            if !date.is_empty() && !crate::date::is_date(date) {
                errors.add(field, "err.date");
            }
        }
        if crate::date::is_date(&opens) && crate::date::is_date(&closes) && closes < opens {
            errors.add("closes", "err.end_before_start");
        }
        let min_group = floors.check_group(&mut errors, "min_group", &self.min_group).max(FLOOR);
        let split_by = match self.split_by.trim() {
            "" => None,
            raw => match Dimension::from_code(raw) {
                Some(d) if base.is_some_and(|t| t.audience == Audience::Partners) => Some(d),
                _ => {
                    errors.add("split_by", "err.choice");
                    None
                }
            },
        };
        let template = base.and_then(|t| {
            let keep: Vec<String> = if self.questions.is_empty() { t.questions().map(|(_, q)| q.key.clone()).collect() } else { self.questions.clone() };
            t.adapted(&keep, &self.texts, &self.extra).map_err(|e| errors.errors.extend(e.errors)).ok()
        });
        match template {
            Some(template) => errors.or(RoundPlan { title, template, opens, closes, min_group, split_by }),
            None => Err(errors),
        }
    }
}

/// Whether a round takes answers on `today` (dates as YYYY-MM-DD).
pub fn is_open(opens: &str, closes: &str, today: &str) -> bool {
    opens <= today && today <= closes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_filter_counts_only_for_the_rounds_own_split() {
        assert_eq!(filter_of("sector:gemeente"), Filter::Group(Dimension::Sector, "gemeente"));
        assert_eq!(filter_of("niveau:beleid"), Filter::Group(Dimension::Level, "beleid"));
        assert_eq!(filter_of("sector:onbekend"), Filter::All);
        assert_eq!(filter_of("gemeente"), Filter::All);
        assert_eq!(round_filter(Some(Dimension::Sector), "sector:gemeente"), Filter::Group(Dimension::Sector, "gemeente"));
        assert_eq!(round_filter(Some(Dimension::Level), "sector:gemeente"), Filter::All);
        assert_eq!(round_filter(None, "niveau:beleid"), Filter::All);
    }

    fn response(sector: &str, level: &str, answers: &[(&str, u8)]) -> Response {
        let t = template("werkzame_elementen").expect("template");
        let answers = answers.iter().map(|(k, v)| (k.to_string(), Value::Number(*v))).collect();
        check_response(t, sector, level, answers).expect("valid")
    }

    #[test]
    fn the_built_in_templates_are_complete() {
        let keys: Vec<_> = templates().iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["werkzame_elementen", "samenwerkingsmodel", "perspectiefwisseling", "regie", "stem_ouders", "stem_jongeren"]);
        let t = template("werkzame_elementen").expect("template");
        assert_eq!(t.elements(), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(t.sections.iter().filter(|s| s.element.is_some()).all(|s| s.questions.len() >= 3 && !s.themes.is_empty()));
        for t in templates() {
            let mut keys: Vec<_> = t.questions().map(|(_, q)| &q.key).collect();
            let n = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), n, "{} has unique question keys", t.key);
            for (_, q) in t.questions() {
                match q.kind {
                    QuestionKind::Choice | QuestionKind::Multi => assert!(!q.options.is_empty(), "{}", q.key),
                    QuestionKind::Slider => assert!(q.left.is_some() && q.right.is_some(), "{}", q.key),
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn answers_are_checked_against_the_template() {
        let t = template("werkzame_elementen").expect("template");
        let form = [("q-e1_1".to_string(), "4".to_string()), ("q-e1_2".to_string(), DONT_KNOW.to_string()), ("q-e1_3".to_string(), "9".to_string())];
        let err = check_response(t, "gemeente", "", answers_from_form(t, &form)).expect_err("invalid");
        assert_eq!(err.errors.iter().map(|e| (e.field, e.code)).collect::<Vec<_>>(), [("level", "err.choice"), ("answers", "err.answer")]);
        let ok = check_response(t, "gemeente", "beleid", answers_from_form(t, &form[..2])).expect("valid");
        assert_eq!(ok.answers.get("e1_2"), Some(&Value::Text(DONT_KNOW.into())));
        // Parents state no sector or level.
        let parents = template("stem_ouders").expect("template");
        assert_eq!(check_response(parents, "", "", BTreeMap::new()).expect("valid").sector, None);
    }

    #[test]
    fn adapting_keeps_pairs_whole_and_drops_empty_sections() {
        let t = template("perspectiefwisseling").expect("template");
        let none = BTreeMap::new();
        let adapted = t.adapted(&["r1_now".to_string()], &none, &none).expect("valid");
        assert_eq!(adapted.sections.len(), 1);
        assert_eq!(adapted.sections[0].questions.len(), 2);
        assert!(t.adapted(&[], &none, &none).is_err());
        let scan = template("werkzame_elementen").expect("template");
        let texts = BTreeMap::from([("e1_1".to_string(), "We hebben een gedeeld beeld van 2030.".to_string())]);
        let extra = BTreeMap::from([("e1".to_string(), "Ook de wethouder kent de visie.".to_string())]);
        let own = scan.adapted(&["e1_1".to_string()], &texts, &extra).expect("valid");
        let questions = &own.sections[0].questions;
        assert_eq!(questions[0].text.nl, "We hebben een gedeeld beeld van 2030.");
        assert_eq!((questions[1].key.as_str(), questions[1].kind), ("e1_eigen", QuestionKind::Scale));
        assert_eq!(own.elements(), [1]);
    }

    #[test]
    fn means_leave_dont_know_out_and_divergence_compares_shown_groups() {
        let t = template("werkzame_elementen").expect("template");
        let mut rs: Vec<Response> = Vec::new();
        for _ in 0..5 {
            rs.push(response("gemeente", "beleid", &[("e1_1", 5), ("e2_1", 3)]));
            rs.push(response("kinderopvang", "uitvoering", &[("e1_1", 3), ("e2_1", 3)]));
            rs.push(response("jeugdhulp", "uitvoering", &[("e1_1", 4), ("e2_1", 3)]));
        }
        rs.push(response("jeugdhulp", "uitvoering", &[("e1_1", 4)]));
        rs.push(response("primair_onderwijs", "uitvoering", &[("e1_1", 1)]));
        rs.push(response("primair_onderwijs", "uitvoering", &[("e1_1", 1)]));
        // Two hidden answers would follow from the total, so the smallest shown group goes too.
        assert_eq!(visible_groups(&group_counts(&rs, Dimension::Sector), 5), ["jeugdhulp", "kinderopvang"]);
        assert!(select(&rs, Filter::Group(Dimension::Sector, "gemeente"), 5).is_none());
        let d = divergence(t, &rs, Dimension::Sector, 5);
        assert_eq!(d[0], (1, Some(1.0)), "only the shown groups are compared");
        assert_eq!(d[1], (2, Some(0.0)));
        rs.extend((0..3).map(|_| response("primair_onderwijs", "bestuurlijk", &[])));
        assert_eq!(visible_groups(&group_counts(&rs, Dimension::Sector), 5), ["gemeente", "jeugdhulp", "kinderopvang", "primair_onderwijs"]);
        let all = select(&rs, Filter::All, 5).expect("enough");
        let s = stat(&t.sections[0].questions[0], &all);
        assert_eq!((s.n, s.counts[4].1), (18, 5));
        assert_eq!((minimum(1, 0), minimum(1, 5), minimum(7, 5)), (FLOOR, 5, 7));
        let e1 = &t.sections[0].questions[0];
        assert_eq!(score_parts(e1, &all, 5), Some(crate::measure::Parts::ratio(5.0 * 5.0 + 3.0 * 5.0 + 4.0 * 6.0 + 1.0 * 2.0, 18.0)));
        assert_eq!(score_parts(e1, &all[..4], 5), None);
    }

    use crate::rng::Rng;

    #[test]
    fn no_random_table_shows_a_group_below_the_minimum_or_lets_one_be_recomputed() {
        let sectors = ["gemeente", "kinderopvang", "primair_onderwijs", "voortgezet_onderwijs", "jeugdhulp"];
        let levels = ["bestuurlijk", "beleid", "uitvoering"];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..2000 {
            let min = minimum(rng.next(8) as usize, 0);
            let size = rng.next(40) as usize;
            let rs: Vec<Response> = (0..size)
                .map(|_| response(sectors[rng.next(sectors.len() as u64) as usize], levels[rng.next(3) as usize], &[("e1_1", 1 + rng.next(5) as u8)]))
                .collect();
            for dimension in [Dimension::Sector, Dimension::Level] {
                let counts = group_counts(&rs, dimension);
                let shown = visible_groups(&counts, min);
                let shown_total: usize = shown.iter().map(|g| counts[g]).sum();
                let hidden_total = rs.len() - shown_total;
                assert!(shown.iter().all(|g| counts[g] >= min), "case {case}: a shown group is too small");
                // With nothing shown, the hidden total is the total, which is only shown from `min` up.
                assert!(hidden_total == 0 || hidden_total >= min || shown.is_empty(), "case {case}: the hidden groups ({hidden_total}) follow from the total");
                for g in counts.keys() {
                    let result = select(&rs, Filter::Group(dimension, g), min);
                    assert_eq!(result.is_some(), shown.contains(g), "case {case}: {g}");
                    assert!(result.is_none_or(|r| r.len() >= min));
                }
            }
            assert_eq!(select(&rs, Filter::All, min).is_some(), rs.len() >= min);
        }
    }
}
