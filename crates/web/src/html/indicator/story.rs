//! The story beside the figures per period: what we see, what explains it and what we will do,
//! with its freshness against the figures.

use super::base;
use super::card::{CardQuery, card_view};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Kept, PageResult, collaboration_access, see_other};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, State};
use domain::access::Action;
use domain::ids::CollaborationId;
use domain::story::{Freshness, StoryContent, StoryInput};

#[derive(Default)]
pub(super) struct StoryView {
    pub(super) period: String,
    pub(super) seen: String,
    pub(super) explains: String,
    pub(super) will_do: String,
    pub(super) by: String,
    pub(super) version: i64,
    pub(super) freshness: String,
}

/// The stories per period with their freshness against the figures, and what to flag first.
pub(super) async fn story_views(
    state: &AppState,
    lang: &Lang,
    c: CollaborationId,
    indicator: i64,
    last_changed: &[(String, i64)],
) -> Result<(Vec<StoryView>, Vec<String>), AppError> {
    let stories = state.db.stories(c, indicator).await?;
    let changed = |period: &str| last_changed.iter().filter(|(p, _)| p == period).map(|(_, at)| *at).max();
    let freshness = |period: &str, written: Option<i64>| changed(period).map(|at| Freshness::of(written, at));
    let label = |f: Option<Freshness>| match f {
        Some(Freshness::Stale) => lang.t("story.stale").to_string(),
        _ => String::new(),
    };
    let views = stories
        .iter()
        .map(|s| StoryView {
            period: s.period.clone(),
            seen: s.content.seen.clone(),
            explains: s.content.explains.clone(),
            will_do: s.content.will_do.clone(),
            by: format!("{}, {}", s.changed_by, lang.datetime(s.changed_at)),
            version: s.version,
            freshness: label(freshness(&s.period, Some(s.changed_at))),
        })
        .collect();
    let mut notices = Vec::new();
    if let Some(latest) = last_changed.iter().map(|(p, _)| p.as_str()).max() {
        if domain::story::figures_out_of_date(latest, crate::collaboration::current_year()) {
            notices.push(format!("{} {latest}.", lang.t("story.figures_old")));
        }
        match freshness(latest, stories.iter().find(|s| s.period == latest).map(|s| s.changed_at)) {
            Some(Freshness::Missing) => notices.push(format!("{} {latest}.", lang.t("story.missing"))),
            Some(Freshness::Stale) => notices.push(format!("{} {latest}.", lang.t("story.stale_notice"))),
            _ => {}
        }
    }
    Ok((views, notices))
}

pub(super) async fn save_story(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, indicator)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let i = state.indicator(c.id, indicator).await?;
    let (input, control): (StoryInput, domain::Invalid) = body.parse_kept()?;
    let (period, content) = match control.before(StoryContent::parse(&input, i.content.period_type)) {
        Ok(parsed) => parsed,
        Err(invalid) => {
            let labels = [("period", "field.period"), ("seen", "field.story_seen"), ("explains", "field.story_explains"), ("will_do", "field.story_will_do")];
            let kept = Kept::new(lang, "story", "f-story-", &body, &invalid, &labels)
                .with_id("seen", "f-seen")
                .with_id("explains", "f-explains")
                .with_id("will_do", "f-will-do");
            return card_view(&state, lang, origin, &visitor, id, indicator, CardQuery::default(), kept).await;
        }
    };
    let seen_version = body.version().unwrap_or(0);
    state.db.save_story(&actor(&visitor, origin), c.id, indicator, &period, &content, seen_version).await?;
    Ok(see_other(&format!("{}/{indicator}#verhaal", base(id))))
}
