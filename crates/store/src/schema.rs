//! The tables as data: their order (parents before children) and column kinds. `copy` moves
//! rows with it, and the parity test checks it against what both migration folders create.

use crate::{Db, Result, dispatch};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    /// A 32-bit column (`INT` on PostgreSQL).
    Int32,
    Text,
    Bool,
    Float,
}

pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// Whether `id` is generated (and so needs its sequence moved past copied rows).
    pub generated_id: bool,
}

use Kind::*;

/// Tables the system fills itself when it migrates (the built-in area list); a copy or a
/// restore replaces their rows instead of refusing a target that holds them.
pub const REFERENCE: &[&str] = &["areas"];

pub const TABLES: &[Table] = &[
    Table {
        name: "users",
        columns: &[
            ("id", Int),
            ("email", Text),
            ("name", Text),
            ("password_hash", Text),
            ("is_admin", Bool),
            ("disabled", Bool),
            ("totp_secret", Text),
            ("totp_enabled", Bool),
            ("totp_last_step", Int),
            ("created_at", Int),
            ("national_reader", Bool),
        ],
        generated_id: true,
    },
    Table {
        name: "sessions",
        columns: &[("id_hash", Text), ("user_id", Int), ("second_factor_pending", Bool), ("created_at", Int), ("last_seen_at", Int)],
        generated_id: false,
    },
    Table { name: "login_failures", columns: &[("id", Int), ("account", Text), ("origin", Text), ("at", Int)], generated_id: true },
    Table {
        name: "api_tokens",
        columns: &[("id", Int), ("user_id", Int), ("name", Text), ("token_hash", Text), ("created_at", Int), ("last_used_at", Int), ("expires_at", Int)],
        generated_id: true,
    },
    Table {
        name: "invitations",
        columns: &[("id", Int), ("user_id", Int), ("token_hash", Text), ("created_at", Int), ("expires_at", Int), ("used_at", Int)],
        generated_id: true,
    },
    Table {
        name: "collaborations",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("description", Text),
            ("scale", Text),
            ("age_focus", Text),
            ("status", Text),
            ("area_year", Int32),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("first_beheerder_id", Int),
            ("four_eyes", Bool),
        ],
        generated_id: true,
    },
    Table { name: "collaboration_areas", columns: &[("collaboration_id", Int), ("code", Text), ("position", Int32)], generated_id: false },
    Table { name: "memberships", columns: &[("collaboration_id", Int), ("user_id", Int), ("role", Text)], generated_id: false },
    Table {
        name: "partners",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("name", Text),
            ("sector", Text),
            ("ring", Text),
            ("description", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "people",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("partner_id", Int),
            ("name", Text),
            ("email", Text),
            ("function", Text),
            ("has_left", Bool),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table { name: "person_roles", columns: &[("person_id", Int), ("role", Text)], generated_id: false },
    Table {
        name: "portfolios",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("name", Text),
            ("mandate", Text),
            ("expectations", Text),
            ("holder_id", Int),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "journey_progress",
        columns: &[("collaboration_id", Int), ("step_key", Text), ("status", Text), ("note", Text), ("set_on", Text), ("updated_at", Int)],
        generated_id: false,
    },
    Table {
        name: "reflections",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("question_key", Text),
            ("answer", Text),
            ("answered_on", Text),
            ("author", Text),
            ("created_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "examples",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("place", Text),
            ("age_group", Text),
            ("themes", Text),
            ("sectors", Text),
            ("title", Text),
            ("summary", Text),
            ("why", Text),
            ("source", Text),
            ("shared", Bool),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "obstacles",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("category", Text),
            ("title", Text),
            ("description", Text),
            ("effect", Text),
            ("tried", Text),
            ("status", Text),
            ("response", Text),
            ("responded_at", Int),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "obstacle_recognitions",
        columns: &[("obstacle_id", Int), ("collaboration_id", Int), ("context", Text), ("created_at", Int)],
        generated_id: false,
    },
    Table { name: "responsibility_topics", columns: &[("id", Int), ("collaboration_id", Int), ("name", Text), ("created_at", Int)], generated_id: true },
    Table { name: "responsibility_marks", columns: &[("topic_id", Int), ("partner_id", Int), ("mark", Text), ("updated_at", Int)], generated_id: false },
    Table {
        name: "agreements",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("title", Text),
            ("kind", Text),
            ("status", Text),
            ("review", Text),
            ("content", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "agreement_versions",
        columns: &[("agreement_id", Int), ("version", Int), ("content", Text), ("changed_by", Text), ("changed_at", Int)],
        generated_id: false,
    },
    Table {
        name: "agreement_assents",
        columns: &[("agreement_id", Int), ("version", Int), ("partner_id", Int), ("assent", Text), ("reason", Text), ("at", Int)],
        generated_id: false,
    },
    Table {
        name: "bodies",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("name", Text),
            ("level", Text),
            ("reports_to", Int),
            ("content", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table { name: "visions", columns: &[("collaboration_id", Int), ("draft", Text), ("version", Int), ("updated_at", Int)], generated_id: false },
    Table {
        name: "vision_versions",
        columns: &[("collaboration_id", Int), ("version", Int), ("content", Text), ("adopted_by", Text), ("adopted_at", Int)],
        generated_id: false,
    },
    Table {
        name: "vision_endorsements",
        columns: &[("collaboration_id", Int), ("version", Int), ("partner_id", Int), ("assent", Text), ("reason", Text), ("at", Int)],
        generated_id: false,
    },
    Table {
        name: "meetings",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("body_id", Int),
            ("date", Text),
            ("content", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "action_points",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("meeting_id", Int),
            ("title", Text),
            ("owner_id", Int),
            ("due", Text),
            ("status", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "scan_rounds",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("title", Text),
            ("template_key", Text),
            ("template", Text),
            ("opens", Text),
            ("closes", Text),
            ("min_group", Int),
            ("created_at", Int),
            ("split_by", Text),
        ],
        generated_id: true,
    },
    Table {
        name: "scan_links",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("round_id", Int),
            ("token", Text),
            ("label", Text),
            ("sector", Text),
            ("reusable", Bool),
            ("uses", Int),
            ("created_at", Int),
            ("refused", Int),
        ],
        generated_id: true,
    },
    Table { name: "scan_answers", columns: &[("id", Text), ("round_id", Int), ("sector", Text), ("level", Text), ("answers", Text)], generated_id: false },
    Table {
        name: "indicators",
        columns: &[("id", Int), ("collaboration_id", Int), ("code", Text), ("content", Text), ("version", Int), ("created_at", Int), ("updated_at", Int)],
        generated_id: true,
    },
    Table {
        name: "measurements",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("indicator_id", Int),
            ("area", Text),
            ("period", Text),
            ("numerator", Float),
            ("denominator", Float),
            ("status", Text),
            ("changed_by", Text),
            ("changed_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "rollups",
        columns: &[
            ("collaboration_id", Int),
            ("indicator_id", Int),
            ("period", Text),
            ("area", Text),
            ("numerator", Float),
            ("denominator", Float),
            ("measured", Int),
            ("areas", Int),
        ],
        generated_id: false,
    },
    Table {
        name: "period_counts",
        columns: &[("collaboration_id", Int), ("indicator_id", Int), ("period", Text), ("status", Text), ("measurements", Int), ("last_changed", Int)],
        generated_id: false,
    },
    Table {
        name: "publications",
        columns: &[("collaboration_id", Int), ("indicator_id", Int), ("wanted", Int), ("made", Int), ("body", Text), ("made_at", Int)],
        generated_id: false,
    },
    Table {
        name: "programme_ambitions",
        columns: &[("id", Int), ("collaboration_id", Int), ("title", Text), ("description", Text), ("version", Int), ("created_at", Int), ("updated_at", Int)],
        generated_id: true,
    },
    Table {
        name: "programme_goals",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("ambition_id", Int),
            ("title", Text),
            ("measure", Text),
            ("target_date", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "programme_activities",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("goal_id", Int),
            ("title", Text),
            ("starts", Text),
            ("ends", Text),
            ("status", Text),
            ("trekker_id", Int),
            ("owner_id", Int),
            ("agreement_id", Int),
            ("content", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "programme_notes",
        columns: &[("id", Int), ("collaboration_id", Int), ("activity_id", Int), ("date", Text), ("text", Text), ("author", Text), ("created_at", Int)],
        generated_id: true,
    },
    Table {
        name: "finance_pots",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("name", Text),
            ("starts", Text),
            ("ends", Text),
            ("overspend_allowed", Bool),
            ("content", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "finance_contributions",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("partner_id", Int),
            ("year", Text),
            ("source", Text),
            ("status", Text),
            ("amount_cents", Int),
            ("hours", Int),
            ("hourly_rate_cents", Int),
            ("agreement_id", Int),
            ("starts", Text),
            ("ends", Text),
            ("content", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("pot_id", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "finance_contribution_versions",
        columns: &[("collaboration_id", Int), ("contribution_id", Int), ("version", Int), ("content", Text), ("changed_by", Text), ("changed_at", Int)],
        generated_id: false,
    },
    Table {
        name: "finance_plans",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("pot_id", Int),
            ("activity_id", Int),
            ("year", Text),
            ("planned_cents", Int),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "finance_spendings",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("pot_id", Int),
            ("activity_id", Int),
            ("date", Text),
            ("amount_cents", Int),
            ("description", Text),
            ("author", Text),
            ("created_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "finance_settings",
        columns: &[("collaboration_id", Int), ("horizon_months", Int), ("version", Int), ("updated_at", Int)],
        generated_id: false,
    },
    Table {
        name: "finance_decisions",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("pot_id", Int),
            ("requested", Text),
            ("decided", Text),
            ("amount_cents", Int),
            ("holder_id", Int),
            ("second_holder_id", Int),
            ("within_mandate", Bool),
            ("content", Text),
            ("author", Text),
            ("created_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "audit_log",
        columns: &[
            ("seq", Int),
            ("at", Int),
            ("actor", Text),
            ("collaboration_id", Int),
            ("action", Text),
            ("object", Text),
            ("result", Text),
            ("origin", Text),
            ("prev_hash", Text),
            ("hash", Text),
        ],
        generated_id: false,
    },
    Table { name: "areas", columns: &[("year", Int32), ("code", Text), ("level", Text), ("name", Text), ("parent", Text)], generated_id: false },
    Table {
        name: "scopes",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("name", Text),
            ("kind", Text),
            ("members", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("description", Text),
        ],
        generated_id: true,
    },
    Table { name: "period_locks", columns: &[("collaboration_id", Int), ("period", Text), ("locked_by", Text), ("locked_at", Int)], generated_id: false },
    Table {
        name: "cycles",
        columns: &[("id", Int), ("collaboration_id", Int), ("period", Text), ("content", Text), ("version", Int), ("created_at", Int), ("updated_at", Int)],
        generated_id: true,
    },
    Table {
        name: "stories",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("indicator_id", Int),
            ("period", Text),
            ("content", Text),
            ("version", Int),
            ("changed_by", Text),
            ("changed_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "case_reviews",
        columns: &[
            ("id", Int),
            ("collaboration_id", Int),
            ("body_id", Int),
            ("reviewed_on", Text),
            ("content", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        generated_id: true,
    },
    Table {
        name: "case_review_settings",
        columns: &[("collaboration_id", Int), ("min_group", Int), ("version", Int), ("updated_at", Int)],
        generated_id: false,
    },
    Table {
        name: "idempotency_keys",
        columns: &[
            ("user_id", Int),
            ("idempotency_key", Text),
            ("request", Text),
            ("request_hash", Text),
            ("status", Int32),
            ("response_headers", Text),
            ("response_body", Text),
            ("created_at", Int),
        ],
        generated_id: false,
    },
    Table { name: "health_probe", columns: &[("id", Int), ("at", Int)], generated_id: false },
];

/// The tables and columns that the migrations actually created, as the database reports them.
pub async fn actual_columns(db: &Db) -> Result<BTreeMap<String, Vec<String>>> {
    let rows: Vec<(String, String)> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as(
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' ORDER BY m.name, p.cid",
            )
            .fetch_all(pool)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations' ORDER BY table_name, ordinal_position",
            )
            .fetch_all(pool)
            .await?
        }
    };
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (table, column) in rows {
        tables.entry(table).or_default().push(column);
    }
    Ok(tables)
}

/// Rows per table, in `TABLES` order.
pub async fn row_counts(db: &Db) -> Result<Vec<(&'static str, i64)>> {
    let mut counts = Vec::new();
    for table in TABLES {
        let sql = format!("SELECT COUNT(*) FROM {}", table.name);
        let n: i64 = dispatch!(db, |pool| sqlx::query_scalar(&sql).fetch_one(pool).await)?;
        counts.push((table.name, n));
    }
    Ok(counts)
}
