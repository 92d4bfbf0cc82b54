//! Four eyes: a collaboration's setting that figures are approved by another member than the
//! one who submitted them. The beheerder sets it; it is off until then.

use super::{Form, Page, PageResult, collaboration_access, form_page, see_other};
use crate::AppState;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;

pub fn routes() -> Routes {
    Routes::new().get("/samenwerkingen/{id}/vier-ogen", show).post("/samenwerkingen/{id}/vier-ogen", save)
}

fn form(page: &Page, id: i64, on: bool) -> Form {
    Form::new(format!("/samenwerkingen/{id}/vier-ogen"), page.t("form.save"))
        .intro(page.t("four_eyes.intro"))
        .checkbox("four_eyes", page.t("four_eyes.label"), on)
        .hint(page.t("four_eyes.hint"))
        .cancel(format!("/samenwerkingen/{id}"))
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    let page = Page::new(lang, "four_eyes.title").user(&visitor.user).in_collab(&c, role, "overview");
    Ok(form_page(&page, &form(&page, id, state.db.four_eyes(c.id).await?), StatusCode::OK))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct FourEyesForm {
    four_eyes: String,
}

async fn save(State(state): State<AppState>, ClientOrigin(origin): ClientOrigin, visitor: Visitor, Path(id): Path<i64>, body: FormBody) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    // An unticked checkbox sends nothing: anything but "true" is off.
    let (input, _): (FourEyesForm, domain::Invalid) = body.parse_kept()?;
    state.db.set_four_eyes(&actor(&visitor, origin), c.id, input.four_eyes == "true").await?;
    Ok(see_other(&format!("/samenwerkingen/{id}")))
}
