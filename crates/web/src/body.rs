//! The meeting structure's use cases, below both doors (pages and API): the bodies with what
//! the structure page warns about, and creating, changing and removing a body with its
//! partners and reporting line checked against the collaboration.

use crate::AppState;
use crate::error::AppError;
use domain::body::{BodyContent, BodyInput, Flag, flags, partners_in_no_body};
use domain::ids::CollaborationId;
use domain::partner::{Partner, Ring};
use store::Actor;
use store::body::Body;

/// Every body of a collaboration, the flags of each, and the inner-ring partners in no body.
pub struct Structure {
    pub bodies: Vec<Body>,
    pub flags: Vec<(i64, Vec<Flag>)>,
    pub partners: Vec<Partner>,
    pub loose_partners: Vec<i64>,
}

impl Structure {
    pub fn flags_of(&self, id: i64) -> &[Flag] {
        self.flags.iter().find(|(fid, _)| *fid == id).map(|(_, f)| f.as_slice()).unwrap_or_default()
    }

    /// The bodies that report to this one.
    pub fn reported_by(&self, id: i64) -> Vec<i64> {
        self.bodies.iter().filter(|b| b.content.reports_to == Some(id)).map(|b| b.id).collect()
    }
}

pub async fn structure(state: &AppState, c: CollaborationId) -> Result<Structure, AppError> {
    let bodies = state.db.bodies(c).await?;
    let pairs: Vec<(i64, BodyContent)> = bodies.iter().map(|b| (b.id, b.content.clone())).collect();
    let flags = flags(&pairs, &crate::today());
    let partners = state.db.partners(c).await?;
    let inner: Vec<i64> = partners.iter().filter(|p| p.ring == Ring::Binnenring).map(|p| p.id.0).collect();
    let loose_partners = partners_in_no_body(&inner, &pairs);
    Ok(Structure { bodies, flags, partners, loose_partners })
}

/// Checks the seven meeting agreements and stores a new body. A partner or reporting line
/// outside the collaboration is invalid input.
pub async fn create(state: &AppState, actor: &Actor, c: CollaborationId, input: &BodyInput) -> Result<Body, AppError> {
    let content = BodyContent::parse(input)?;
    Ok(state.db.create_body(actor, c, &content).await?)
}

/// Changes a body if it is still at `version`; a newer version is a conflict.
pub async fn update(state: &AppState, actor: &Actor, c: CollaborationId, id: i64, version: i64, input: &BodyInput) -> Result<Body, AppError> {
    let content = BodyContent::parse(input)?;
    Ok(state.db.update_body(actor, c, id, version, &content).await?)
}

/// Removes a body; bodies that reported to it, and its meetings, stay without it.
pub async fn delete(state: &AppState, actor: &Actor, c: CollaborationId, id: i64) -> Result<(), AppError> {
    Ok(state.db.delete_body(actor, c, id).await?)
}

/// The form's input for a stored body, to edit it.
pub fn input_of(b: &BodyContent) -> BodyInput {
    let n = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    BodyInput {
        name: b.name.clone(),
        level: b.level.code().into(),
        kind: b.kind.code().into(),
        purpose: b.purpose.clone(),
        partners: b.partners.iter().map(|p| p.to_string()).collect(),
        invited: b.invited.clone(),
        topics: b.topics.clone(),
        per_year: n(b.per_year),
        minutes: n(b.minutes),
        mode: b.mode.map(|m| m.code().to_string()).unwrap_or_default(),
        evaluate_every_months: n(b.evaluate_every_months),
        last_evaluated: b.last_evaluated.clone(),
        reports_to: b.reports_to.map(|r| r.to_string()).unwrap_or_default(),
        signals: b.signals.clone(),
        regie: b.regie.clone(),
    }
}
