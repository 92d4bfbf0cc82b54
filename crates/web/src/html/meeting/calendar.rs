//! Calendar files: every meeting of a collaboration, or one.

use super::body_name;
use crate::AppState;
use crate::html::{PageResult, collaboration_access};
use crate::i18n::Lang;
use crate::session::Visitor;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::access::Action;
use domain::collaboration::Collaboration;
use domain::meeting::{Event, ics};
use store::meeting::Meeting;

fn calendar_response(body: String, name: &str) -> Response {
    ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.ics\""))], body)
        .into_response()
}

fn stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", now.year(), u8::from(now.month()), now.day(), now.hour(), now.minute(), now.second())
}

fn events<'a>(lang: &Lang, c: &Collaboration, meetings: &'a [Meeting], titles: &'a [String]) -> Vec<Event<'a>> {
    meetings
        .iter()
        .zip(titles)
        .map(|(m, title)| Event {
            uid: format!("vergadering-{}-{}@reisgenoot", c.id.0, m.id),
            content: &m.content,
            summary: title,
            description: m
                .content
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| format!("{}. {} ({})", i + 1, item.title, lang.label("outcome", item.outcome.code())))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect()
}

pub(super) async fn calendar(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let (meetings, bodies) = (state.db.meetings(c.id).await?, state.db.bodies(c.id).await?);
    let titles: Vec<String> = meetings.iter().map(|m| format!("{} – {}", body_name(&bodies, m.content.body), c.name)).collect();
    Ok(calendar_response(ics(&events(&lang, &c, &meetings, &titles), &stamp()), "vergaderingen"))
}

pub(super) async fn meeting_calendar(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, meeting)): Path<(i64, i64)>) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let (m, bodies) = (state.db.meeting(c.id, meeting).await?, state.db.bodies(c.id).await?);
    let titles = vec![format!("{} – {}", body_name(&bodies, m.content.body), c.name)];
    let meetings = [m];
    Ok(calendar_response(ics(&events(&lang, &c, &meetings, &titles), &stamp()), &format!("vergadering-{meeting}")))
}
