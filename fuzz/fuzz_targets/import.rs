//! Arbitrary bytes through the importer's reader and checks: `table::read`, `Sheet` and
//! `import::plan` against a small fixed collaboration must answer, never panic, and a plan they
//! give must be one the store can write (every row names a known area and period, once).
//!
//! Workbooks (a ZIP archive or an OLE compound file) are left to `calamine`'s own fuzzing: the
//! reader catches a panic of `calamine` on a damaged workbook and calls it corrupt, but under
//! libFuzzer any panic aborts, caught or not. Everything else is text, read by our own code.

#![no_main]

use domain::import::{Context, Existing, IndicatorRef, Stored, StoredBuilder, indicator_codes, plan};
use domain::indicator::{MeasurementStatus, PeriodType};
use domain::measure::{IndicatorKind, Parts};
use domain::table::{Limits, Sheet, read};
use libfuzzer_sys::fuzz_target;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

struct Fixture {
    indicators: HashMap<String, IndicatorRef>,
    areas: HashSet<String>,
    locked: HashSet<String>,
    existing: Stored,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let indicator = |id, kind, period_type| IndicatorRef { id, kind, period_type };
        let indicators = HashMap::from([
            ("THZ".to_string(), indicator(1, IndicatorKind::Aantal, PeriodType::Schooljaar)),
            ("VVE".to_string(), indicator(2, IndicatorKind::Verhouding, PeriodType::Jaar)),
            ("GEM".to_string(), indicator(3, IndicatorKind::Gemiddelde, PeriodType::Kwartaal)),
            ("HJ".to_string(), indicator(4, IndicatorKind::Schaalscore, PeriodType::Halfjaar)),
        ]);
        let areas = ["GM0344", "WK034401", "BU03440101", "BU0363AD03"].into_iter().map(String::from).collect();
        let locked = HashSet::from(["2023-2024".to_string()]);
        let mut existing = StoredBuilder::default();
        existing.insert(1, "GM0344", "2024-2025", Existing { parts: Parts::count(10.0), status: MeasurementStatus::Goedgekeurd });
        existing.insert(1, "WK034401", "2024-2025", Existing { parts: Parts::count(4.0), status: MeasurementStatus::Ingediend });
        existing.insert(2, "GM0344", "2024", Existing { parts: Parts::ratio(1.0, 2.0), status: MeasurementStatus::Concept });
        Fixture { indicators, areas, locked, existing: existing.build() }
    })
}

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK\x03\x04") || data.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return;
    }
    // Small limits keep each run fast; the limits themselves are tested in table.rs.
    let limits = Limits { entries: 64, unpacked_bytes: 4 << 20 };
    let _ = read(data, limits);
    let Ok(sheet) = Sheet::open(data, limits) else { return };
    let _ = indicator_codes(&sheet);
    let f = fixture();
    for replace in [false, true] {
        let ctx = Context { indicators: &f.indicators, areas: &f.areas, locked: &f.locked, existing: &f.existing, replace, raw: replace };
        let Ok(plan) = plan(&sheet, &ctx) else { continue };
        assert!(plan.new.len() + plan.replaced.len() + plan.unchanged <= plan.rows);
        let mut keys = HashSet::new();
        for p in plan.writes() {
            let (area, period) = (plan.area(p), plan.period(p));
            assert!(f.areas.contains(area) && !period.is_empty() && !f.locked.contains(period), "{area:?} {period:?}");
            assert!(keys.insert((p.indicator, area, period)), "written twice: {area} {period}");
        }
        if !replace {
            assert!(plan.replaced.is_empty());
        }
    }
});
