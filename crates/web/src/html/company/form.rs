//! The form of every kind: new, create, edit and update, written once over `company::Child`.

use super::{Kind, frame, list_url, refused, saved};
use crate::AppState;
use crate::company::Child;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Form, Page, PageResult, form_page};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::collaboration::Collaboration;
use std::future::Future;

/// A child as its form shows it.
pub(super) trait Edited: Child {
    const KIND: Kind;
    /// The form filled with `input`, sent to `action`.
    fn form(state: &AppState, page: &Page, c: &Collaboration, action: String, input: &Self::Input) -> impl Future<Output = Result<Form, AppError>> + Send;
}

fn item_url(id: i64, kind: Kind, item: i64) -> String {
    format!("{}/{item}/bewerken", list_url(id, kind))
}

pub(super) async fn new_form<T: Edited>(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, T::KIND, "new").await?;
    let form = T::form(&state, &page, &c, list_url(id, T::KIND), &T::Input::default()).await?.cancel(list_url(id, T::KIND));
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn create<T: Edited>(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, T::KIND, "new").await?;
    let (input, control): (T::Input, _) = body.parse_kept()?;
    let view = T::form(&state, &page, &c, list_url(id, T::KIND), &input).await?;
    match control.before(T::check(&input)) {
        Ok(new) => saved(&page, view, T::create(&state.db, &actor(&visitor, origin), c.id, &new).await, id, T::KIND),
        Err(invalid) => refused(&page, view, &invalid),
    }
}

pub(super) async fn edit<T: Edited>(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, item)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, T::KIND, "edit").await?;
    let current = T::one(&state.db, c.id, item).await?;
    let form =
        T::form(&state, &page, &c, item_url(id, T::KIND, item), &current.input()).await?.hidden("version", current.version()).cancel(list_url(id, T::KIND));
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn update<T: Edited>(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, item)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, T::KIND, "edit").await?;
    let ((input, control), version): ((T::Input, _), i64) = (body.parse_kept()?, body.version()?);
    let view = T::form(&state, &page, &c, item_url(id, T::KIND, item), &input).await?.hidden("version", version);
    match control.before(T::check(&input)) {
        Ok(new) => saved(&page, view, T::update(&state.db, &actor(&visitor, origin), c.id, item, version, &new).await, id, T::KIND),
        Err(invalid) => refused(&page, view, &invalid),
    }
}
