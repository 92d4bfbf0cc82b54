//! Working areas' use cases, below both doors (pages and API): checking a working area against
//! the collaboration's area classification, and every indicator's figure over it as the
//! indicator's publication has it.

use crate::AppState;
use crate::error::AppError;
use crate::publication::{published, too_close_with};
use domain::area::AreaCode;
use domain::collaboration::Collaboration;
use domain::disclosure::{Place, Shown, Withheld};
use domain::scope::{ScopeContent, ScopeFigure, ScopeInput};
use std::collections::BTreeMap;
use store::scope::Scope;

/// One indicator's figures over a working area: per period, what may be shown.
pub struct IndicatorFigures {
    pub indicator: i64,
    pub code: String,
    pub name: String,
    pub figures: Vec<(String, ScopeFigure)>,
}

/// Every indicator's figure over the working area in every period with an approved figure in
/// one of its areas, as the indicator's publication has it: a working area is one of its
/// cells, audited with every area and the other working areas. One withheld as too close names
/// the areas and working areas its difference with would give a small number away.
pub async fn figures(state: &AppState, c: &Collaboration, scope: &Scope) -> Result<Vec<IndicatorFigures>, AppError> {
    let covering = scope.content.covering();
    let names: BTreeMap<i64, String> = state.db.scopes(c.id).await?.into_iter().map(|s| (s.id, s.content.name)).collect();
    let mut all = Vec::new();
    for i in state.indicators(c.id).await? {
        let k = &i.content;
        let view = crate::publication::view(state, c.id, i.id).await?;
        let mut figures = Vec::new();
        for (period, areas) in state.db.area_figures(c.id, i.id, &covering).await? {
            if areas.is_empty() {
                continue;
            }
            let figure = match view.scope(&period, scope.id) {
                Some(Shown::Withheld(Withheld::Incomplete { measured, areas })) => ScopeFigure::Incomplete { measured: *measured, areas: *areas },
                Some(Shown::Withheld(Withheld::TooClose { with })) => {
                    ScopeFigure::TooClose { with: place_labels(state, c, &names, &too_close_with(with)).await? }
                }
                // A working area withheld for anything but its difference with others is itself small.
                Some(Shown::Withheld(Withheld::Secret { .. })) => ScopeFigure::Small { below: k.rules.secret_below },
                other => ScopeFigure::Published(published(other)),
            };
            figures.push((period, figure));
        }
        all.push(IndicatorFigures { indicator: i.id, code: k.code.clone(), name: k.name.clone(), figures });
    }
    Ok(all)
}

/// Places as people know them: an area as "Name (code)", a working area by its name, the
/// collaboration's total as such.
async fn place_labels(state: &AppState, c: &Collaboration, scopes: &BTreeMap<i64, String>, places: &[Place]) -> Result<Vec<String>, AppError> {
    let areas: Vec<&AreaCode> = places.iter().filter_map(|p| if let Place::Area(a) = p { Some(a) } else { None }).collect();
    let mut labels = crate::indicator::area_labels(state, c, &areas).await?.into_iter();
    Ok(places
        .iter()
        .map(|p| match p {
            Place::Area(_) => labels.next().unwrap_or_default(),
            Place::Scope(id) => scopes.get(id).cloned().unwrap_or_else(|| format!("werkgebied {id}")),
            Place::Total => c.name.clone(),
        })
        .collect())
}

/// Checks a working area and that its areas are in the collaboration's classification.
pub async fn checked(state: &AppState, c: &Collaboration, input: &ScopeInput) -> Result<ScopeContent, AppError> {
    let content = ScopeContent::parse(input)?;
    let known = match state.db.area_year_for(c.area_year).await? {
        Some(year) => state.db.area_codes(year).await?,
        None => Default::default(),
    };
    if content.members.iter().any(|m| !known.contains(m.area.as_str())) {
        return Err(domain::Invalid::single("members", "err.unknown_area").into());
    }
    Ok(content)
}
