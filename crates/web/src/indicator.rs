//! Indicators' use cases, below both doors (pages and API): checking an indicator against its
//! agreement and who sets its rules, the cells a period is shown in, and the export file. Every
//! figure is read from the indicator's stored publication (`crate::publication`).

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::xlsx;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::access::{Action, Role};
use domain::area::{AreaCode, AreaLevel};
use domain::collaboration::Collaboration;
use domain::ids::CollaborationId;
use domain::indicator::{IndicatorContent, IndicatorInput};
use domain::measure::Published;
use store::indicator::Indicator;

/// A figure as it may be shown, in Dutch notation; secret is said, never shown as zero, and an
/// incomplete one says how much of it was measured instead of a partial sum.
pub fn shown(lang: &Lang, p: Published) -> String {
    match p {
        Published::Value(v) if v.fract() == 0.0 => format!("{v}"),
        Published::Value(v) => format!("{v:.1}").replace('.', if *lang == Lang::En { "." } else { "," }),
        Published::Secret => lang.t("indicators.secret").to_string(),
        Published::Incomplete { measured, areas } => incomplete(lang, measured, areas),
        Published::Denominator => lang.t("indicators.denominator").to_string(),
        Published::Updating => lang.t("indicators.updating").to_string(),
    }
}

/// What the marks for withheld figures mean, with the indicator's own threshold: the legend
/// beside a chart or table.
pub fn legend(lang: &Lang, k: &IndicatorContent) -> Vec<String> {
    let threshold = shown(lang, Published::Value(k.rules.secret_below));
    let mut lines = vec![lang.t("indicators.legend_secret").replace("{secret_below}", &threshold)];
    if k.kind != domain::measure::IndicatorKind::Aantal {
        lines.push(lang.t("indicators.legend_denominator").replace("{min_denominator}", &shown(lang, Published::Value(k.rules.min_denominator))));
    }
    lines.push(lang.t("indicators.legend_updating").to_string());
    lines
}

/// "onvolledig: 3 van 5 gebieden gemeten".
pub fn incomplete(lang: &Lang, measured: usize, areas: usize) -> String {
    lang.t("scopes.incomplete").replace("{measured}", &measured.to_string()).replace("{areas}", &areas.to_string())
}

/// Checks an indicator against its data-sharing agreement (only then may it be active) and its
/// publication rules against who sets them: a beheerder only, never below the instance's
/// floors. Rules left empty stay as `previous` had them (the floors for a new indicator).
pub async fn checked(
    state: &AppState,
    c: &Collaboration,
    role: Role,
    input: &IndicatorInput,
    previous: Option<&Indicator>,
) -> Result<IndicatorContent, AppError> {
    let floors = state.floors();
    let base = previous.map_or_else(|| floors.rules(), |p| p.content.rules).at_least(floors);
    let shares = previous.and_then(|p| p.content.shares);
    let content = IndicatorContent::parse_with(input, base, shares)?;
    if (content.rules != base || content.shares != shares) && !role.allows(Action::Manage) {
        return Err(AppError::ForbiddenBecause("error.rules_beheerder_only"));
    }
    content.rules.check(floors)?;
    if let Some(s) = content.shares.filter(|s| Some(*s) != shares) {
        // The other indicator is one of this collaboration's, shares with none itself, and
        // none shares with this one: one count, and the indicators over it.
        let all = state.db.indicators(c.id).await?;
        let this = previous.map(|p| p.id);
        let other = all.iter().find(|i| i.id == s.with && Some(i.id) != this);
        let shared_with_this = this.is_some_and(|id| all.iter().any(|i| i.content.shares.is_some_and(|x| x.with == id)));
        match other {
            None => return Err(domain::error::Invalid::single("shares_with", "err.shares_unknown").into()),
            Some(o) if o.content.shares.is_some() || shared_with_this => {
                return Err(domain::error::Invalid::single("shares_with", "err.shares_chain").into());
            }
            Some(_) => {}
        }
    }
    let sharing = match content.sharing {
        Some(id) => state.db.agreements(c.id).await?.into_iter().find(|a| a.id == id).map(|a| a.content),
        None => None,
    };
    content.check_activation(sharing.as_ref())?;
    Ok(content)
}

/// The areas of one period that the card and the export show, which add up to the period's
/// total: one per gemeente when several gemeenten are measured; of one gemeente measured
/// itself, that gemeente; else its wijken, each from its own measurement or its buurten (exact
/// or incomplete); and of one wijk measured through its buurten, those buurten. Which areas:
/// the summaries say; what is shown of each: the publication.
pub async fn area_cells(state: &AppState, c: CollaborationId, indicator: i64, period: &str) -> Result<Vec<AreaCode>, AppError> {
    let codes = |rows: Vec<(AreaCode, domain::measure::AreaFigure)>| rows.into_iter().map(|(a, _)| a).collect::<Vec<_>>();
    let gemeenten = state.db.rollup_areas(c, indicator, period, AreaLevel::Gemeente).await?;
    if gemeenten.len() != 1 {
        return Ok(codes(gemeenten));
    }
    let rows = state.db.approved_in(c, indicator, period).await?;
    if rows.iter().any(|(a, _)| a.level() == AreaLevel::Gemeente) {
        return Ok(codes(gemeenten));
    }
    let wijken = state.db.rollup_areas(c, indicator, period, AreaLevel::Wijk).await?;
    match wijken.as_slice() {
        [(wijk, _)] if !rows.iter().any(|(a, _)| a == wijk) => Ok(rows.into_iter().filter(|(a, _)| a.level() == AreaLevel::Buurt).map(|(a, _)| a).collect()),
        _ => Ok(codes(wijken)),
    }
}

/// Areas as people know them, "Name (code)", by the collaboration's classification year.
pub async fn area_labels(state: &AppState, c: &Collaboration, codes: &[&AreaCode]) -> Result<Vec<String>, AppError> {
    let names = match state.db.area_year_for(c.area_year).await? {
        Some(year) => state.db.area_names(year, &codes.iter().map(|a| a.as_str()).collect::<Vec<_>>()).await?,
        None => Default::default(),
    };
    Ok(codes
        .iter()
        .map(|a| match names.get(a.as_str()).map(String::as_str).or_else(|| domain::area::gemeente_name(a.as_str())) {
            Some(name) => format!("{name} ({a})", a = a.as_str()),
            None => a.as_str().to_string(),
        })
        .collect())
}

/// The periods with an approved figure, oldest first.
pub async fn approved_periods(state: &AppState, c: CollaborationId, indicator: i64) -> Result<Vec<String>, AppError> {
    Ok(state.db.rollup_totals(c, indicator).await?.into_iter().filter(|(_, f)| f.any()).map(|(p, _)| p).collect())
}

/// Per period with an approved figure, the collaboration's total as published.
pub async fn published_totals(state: &AppState, c: CollaborationId, indicator: i64) -> Result<Vec<(String, Published)>, AppError> {
    let view = crate::publication::view(state, c, indicator).await?;
    Ok(approved_periods(state, c, indicator).await?.into_iter().map(|p| (p.clone(), view.total(&p))).collect())
}

/// The export's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn from_code(code: &str) -> Option<ExportFormat> {
        match code {
            "csv" => Some(ExportFormat::Csv),
            "xlsx" => Some(ExportFormat::Xlsx),
            _ => None,
        }
    }
}

/// An indicator's published figures as a file: first what the indicator is and by which rules
/// its figures are published, then per period the collaboration's total beside its target and
/// the baseline, and the figure of each area that the card shows for that period. Every figure
/// went through the same rules as the card; a secret one is the word, never 0 or empty.
pub async fn export_file(state: &AppState, lang: &Lang, c: &Collaboration, i: &Indicator, format: ExportFormat) -> Result<Response, AppError> {
    use xlsx::Cell;
    let k = &i.content;
    let text = |t: &str| Cell::Text(t.to_string());
    let number = |v: f64| shown(lang, Published::Value(v));
    let figure = |p: Published| match p {
        Published::Value(v) => Cell::Number(v),
        other => text(&shown(lang, other)),
    };
    let rules = [
        format!("{} {}.", lang.t("indicators.rule_round"), number(k.rules.round_to)),
        format!("{} {}.", lang.t("indicators.rule_secret"), number(k.rules.secret_below)),
        format!("{} {}.", lang.t("indicators.rule_denominator"), number(k.rules.min_denominator)),
        lang.t("indicators.rule_table").to_string(),
        legend(lang, k).join(" · "),
    ];
    let mut rows: Vec<Vec<Cell>> = vec![
        vec![text(lang.t("field.indicator_code")), text(&k.code)],
        vec![text(lang.t("field.name")), text(&k.name)],
        vec![text(lang.t("field.kind")), text(&lang.label("indicatorkind", k.kind.code()))],
        vec![text(lang.t("field.unit")), text(&k.unit)],
        vec![text(lang.t("field.indicator_definition")), text(&k.definition)],
        vec![text(lang.t("field.source")), text(&k.source)],
        vec![text(lang.t("indicators.rules")), text(&rules.join(" "))],
        vec![],
        [
            lang.t("field.period"),
            lang.t("indicators.area_code"),
            lang.t("field.area"),
            lang.t("indicators.value"),
            lang.t("indicators.target"),
            lang.t("field.baseline"),
        ]
        .iter()
        .map(|h| text(h))
        .collect(),
    ];
    let view = crate::publication::view(state, c.id, i.id).await?;
    for period in approved_periods(state, c.id, i.id).await? {
        let target = k.target(&period).map(Cell::Number).unwrap_or(Cell::Empty);
        let baseline = k.baseline.map(Cell::Number).unwrap_or(Cell::Empty);
        rows.push(vec![text(&period), Cell::Empty, text(lang.t("indicators.whole")), figure(view.total(&period)), target, baseline]);
        let cells = area_cells(state, c.id, i.id, &period).await?;
        let labels = area_labels(state, c, &cells.iter().collect::<Vec<_>>()).await?;
        for (area, label) in cells.iter().zip(labels) {
            rows.push(vec![text(&period), text(area.as_str()), text(&label), figure(view.area(&period, area)), Cell::Empty, Cell::Empty]);
        }
    }
    let stem: String = format!("indicator-{}", k.code).chars().map(|ch| if ch.is_ascii_alphanumeric() || ch == '-' { ch } else { '_' }).collect();
    let (body, content_type, extension) = match format {
        ExportFormat::Csv => (xlsx::csv(&rows).into_bytes(), "text/csv; charset=utf-8", "csv"),
        // Row 9 names the columns, below the indicator's description.
        ExportFormat::Xlsx => (xlsx::workbook_with_header(&k.code, 8, &rows)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    };
    let disposition = format!("attachment; filename=\"{stem}.{extension}\"");
    Ok(([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}
