//! Deleting, for every kind: a confirmation page naming the item, then the delete.

use super::{Kind, frame, list_url};
use crate::AppState;
use crate::company::Child;
use crate::error::AppError;
use crate::html::collaboration::actor;
use crate::html::{PageResult, confirm_page, see_other};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, State};
use domain::access::Action;
use domain::collaboration::Collaboration;
use domain::partner::Partner;
use domain::person::Person;
use domain::portfolio::Portfolio;

async fn item_name(state: &AppState, c: &Collaboration, kind: Kind, item: i64) -> Result<String, AppError> {
    Ok(match kind {
        Kind::Partner => Partner::one(&state.db, c.id, item).await?.name,
        Kind::Person => Person::one(&state.db, c.id, item).await?.name,
        Kind::Portfolio => Portfolio::one(&state.db, c.id, item).await?.name,
        Kind::Example => {
            state
                .db
                .examples_visible_to(c.id)
                .await?
                .into_iter()
                .find(|e| e.own_id() == Some(item) && e.owner == Some(c.id.0))
                .ok_or(AppError::NotFound)?
                .title
                .0
        }
        Kind::Body => state.db.body(c.id, item).await?.content.name,
        Kind::Meeting => state.db.meeting(c.id, item).await?.content.date,
        Kind::Scope => state.db.scope(c.id, item).await?.content.name,
    })
}

pub(super) async fn delete_form(
    State(state): State<AppState>,
    lang: Lang,
    visitor: Visitor,
    Path((id, segment, item)): Path<(i64, String, i64)>,
) -> PageResult {
    let kind = Kind::from_segment(&segment).ok_or(AppError::NotFound)?;
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Manage, kind, "delete").await?;
    let name = item_name(&state, &c, kind, item).await?;
    let question = format!("{} “{name}”", page.t(&kind.key("delete_question")));
    Ok(confirm_page(&page, &question, &format!("{}/{item}/verwijderen", list_url(id, kind)), &list_url(id, kind)))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, segment, item)): Path<(i64, String, i64)>,
) -> PageResult {
    let kind = Kind::from_segment(&segment).ok_or(AppError::NotFound)?;
    let (c, _, _) = frame(&state, lang, &visitor, id, Action::Manage, kind, "delete").await?;
    let actor = actor(&visitor, origin);
    match kind {
        Kind::Partner => Partner::delete(&state.db, &actor, c.id, item).await?,
        Kind::Person => Person::delete(&state.db, &actor, c.id, item).await?,
        Kind::Portfolio => Portfolio::delete(&state.db, &actor, c.id, item).await?,
        Kind::Example => state.db.delete_example(&actor, c.id, item).await?,
        Kind::Body => state.db.delete_body(&actor, c.id, item).await?,
        Kind::Meeting => state.db.delete_meeting(&actor, c.id, item).await?,
        Kind::Scope => {
            state.db.delete_scope(&actor, c.id, item).await?;
            crate::publication::settle(&state, c.id).await;
        }
    }
    Ok(see_other(&list_url(id, kind)))
}
