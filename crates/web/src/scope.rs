//! Working areas' use cases, below both doors (pages and API): checking a working area against
//! the collaboration's area classification, and every indicator's figure over it.

use crate::AppState;
use crate::error::AppError;
use domain::area::{AreaCode, AreaLevel};
use domain::collaboration::Collaboration;
use domain::measure::{AreaFigure, Parts, publish_level};
use domain::scope::{ScopeContent, ScopeFigure, ScopeInput, figure_areas, scope_figure};
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
/// one of its areas.
pub async fn figures(state: &AppState, c: &Collaboration, scope: &Scope) -> Result<Vec<IndicatorFigures>, AppError> {
    let covering = scope.content.covering();
    let needed = figure_areas(&covering);
    // The collaboration's other working areas: one of them inside this one leaves a difference.
    let others: Vec<Vec<AreaCode>> = state.db.scopes(c.id).await?.into_iter().filter(|s| s.id != scope.id).map(|s| s.content.covering()).collect();
    let mut all = Vec::new();
    let levels: Vec<AreaLevel> =
        [AreaLevel::Gemeente, AreaLevel::Wijk, AreaLevel::Buurt].into_iter().filter(|l| covering.iter().any(|a| a.level() == *l)).collect();
    for i in state.indicators(c.id).await? {
        let k = &i.content;
        let mut figures = Vec::new();
        for (period, areas) in state.db.area_figures(c.id, i.id, &needed).await? {
            if !covering.iter().any(|a| areas.contains_key(a)) {
                continue;
            }
            // An area measured only in part has no figure: it leaves the working area incomplete.
            let areas: BTreeMap<AreaCode, Parts> = areas.into_iter().filter_map(|(a, f)| f.parts().map(|p| (a, p))).collect();
            // How each area stands in the table of its own level this period.
            let mut alone = BTreeMap::new();
            for level in &levels {
                let rows = state.db.rollup_areas(c.id, i.id, &period, *level).await?;
                let cells: Vec<AreaFigure> = rows.iter().map(|(_, f)| *f).collect();
                let (_, shown) = publish_level(&cells, k.kind, k.factor, &k.rules);
                alone.extend(rows.into_iter().map(|(a, _)| a).zip(shown));
            }
            figures.push((period, scope_figure(&covering, &others, &areas, &alone, k.kind, k.factor, &k.rules)));
        }
        all.push(IndicatorFigures { indicator: i.id, code: k.code.clone(), name: k.name.clone(), figures });
    }
    Ok(all)
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
