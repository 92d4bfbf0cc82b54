//! Continuity on the finance page: money promised or recorded per partner for this year and
//! the four after it, against what the pots plan, as a table and a drawing with the same
//! numbers; and the horizon within which ending funding of running work is flagged, which a
//! beheerder sets.

use super::{base, frame, refused};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Form, PageResult, see_other};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, State};
use domain::Invalid;
use domain::access::Action;
use domain::finance::{YearsView, bar_lengths};

pub struct YearBar {
    pub label: String,
    pub value: String,
    pub y: i32,
    pub width: String,
}

/// The years' table and drawing as the page shows them.
pub struct YearsTable {
    pub years: Vec<i32>,
    pub partners: Vec<(String, Vec<String>)>,
    pub committed: Vec<String>,
    pub planned: Vec<String>,
    pub bars: Vec<YearBar>,
    pub height: i32,
    pub desc: String,
    pub horizon: u32,
    pub horizon_text: String,
    pub version: i64,
}

const ROW: i32 = 36;

pub fn years_table(lang: Lang, v: &YearsView, name: impl Fn(i64) -> String, (horizon, version): (u32, i64)) -> YearsTable {
    let lengths = bar_lengths(&v.committed, 330.0);
    let bars: Vec<YearBar> = v
        .years
        .iter()
        .zip(&v.committed)
        .zip(&lengths)
        .enumerate()
        .map(|(i, ((y, c), l))| YearBar { label: y.to_string(), value: lang.money(*c), y: 10 + i as i32 * ROW, width: format!("{l:.1}") })
        .collect();
    YearsTable {
        years: v.years.clone(),
        partners: v.partners.iter().map(|(p, cents)| (name(*p), cents.iter().map(|c| lang.money(*c)).collect())).collect(),
        committed: v.committed.iter().map(|c| lang.money(*c)).collect(),
        planned: v.planned.iter().map(|c| lang.money(*c)).collect(),
        height: 10 + bars.len().max(1) as i32 * ROW,
        desc: bars.iter().map(|b| format!("{}: {}", b.label, b.value)).collect::<Vec<_>>().join("; "),
        bars,
        horizon_text: lang.t("finance.horizon_now").replace("{value}", &horizon.to_string()),
        horizon,
        version,
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct HorizonForm {
    horizon: String,
    version: String,
}

pub(super) async fn set_horizon(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Manage, "field.horizon").await?;
    let form: HorizonForm = body.parse()?;
    let Ok(version) = form.version.trim().parse::<i64>() else { return Err(AppError::Invalid(Invalid::single("version", "err.form")).into()) };
    // A refused horizon comes back with what was typed and the message at the field.
    let view = Form::new(format!("{}/horizon", base(id)), page.t("finance.horizon_save"))
        .number("horizon", page.t("field.horizon"), &form.horizon, true)
        .hint(page.t("finance.horizon_hint"))
        .hidden("version", version)
        .cancel(base(id));
    match crate::finance::set_horizon(&state, &actor(&visitor, origin), c.id, &form.horizon, version).await {
        Ok(_) => Ok(see_other(&format!("{}#continuiteit", base(id)))),
        Err(err) => refused(&page, view, err),
    }
}
