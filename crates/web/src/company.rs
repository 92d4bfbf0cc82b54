//! The travel company's use cases, below both doors (pages and API): partners, people and
//! portfolios are simple children of a collaboration, each listed, created, read, updated with
//! a version and deleted the same way. `Child` names what differs per kind (its store calls,
//! its input and its path segment); the doors write each step once, generic over it.

use domain::Invalid;
use domain::ids::{CollaborationId, PartnerId, PersonId, PortfolioId};
use domain::partner::{NewPartner, Partner, PartnerInput};
use domain::person::{NewPerson, Person, PersonInput};
use domain::portfolio::{NewPortfolio, Portfolio, PortfolioInput};
use serde::de::DeserializeOwned;
use std::future::Future;
use store::{Actor, Db, Result};

/// A simple child of a collaboration, as the store keeps it.
pub trait Child: Sized + Send + Sync + 'static {
    /// What a form or a JSON body fills in.
    type Input: DeserializeOwned + Default + Send + Sync + 'static;
    /// The input once checked.
    type New: Send + Sync;
    /// The Dutch path segment of the list, in pages and API alike: `partners`, `personen`.
    const SEGMENT: &'static str;

    fn check(input: &Self::Input) -> std::result::Result<Self::New, Invalid>;
    /// The input that shows this child unchanged, for its edit form.
    fn input(&self) -> Self::Input;
    fn key(&self) -> i64;
    fn version(&self) -> i64;
    fn name(&self) -> &str;

    fn list(db: &Db, c: CollaborationId) -> impl Future<Output = Result<Vec<Self>>> + Send;
    fn one(db: &Db, c: CollaborationId, item: i64) -> impl Future<Output = Result<Self>> + Send;
    fn create(db: &Db, actor: &Actor, c: CollaborationId, new: &Self::New) -> impl Future<Output = Result<Self>> + Send;
    fn update(db: &Db, actor: &Actor, c: CollaborationId, item: i64, version: i64, new: &Self::New) -> impl Future<Output = Result<Self>> + Send;
    fn delete(db: &Db, actor: &Actor, c: CollaborationId, item: i64) -> impl Future<Output = Result<()>> + Send;
}

/// `Child` for a kind whose store calls follow the `partners`/`partner`/`create_partner`/
/// `update_partner`/`delete_partner` pattern and whose row has `id`, `name` and `version`.
macro_rules! child {
    ($kind:ident, $id:ident, $input:ident, $new:ident, $segment:literal, [$list:ident, $one:ident, $create:ident, $update:ident, $delete:ident], $to_input:expr) => {
        impl Child for $kind {
            type Input = $input;
            type New = $new;
            const SEGMENT: &'static str = $segment;

            fn check(input: &$input) -> std::result::Result<$new, Invalid> {
                $new::parse(input)
            }
            fn input(&self) -> $input {
                let to_input: fn(&$kind) -> $input = $to_input;
                to_input(self)
            }
            fn key(&self) -> i64 {
                self.id.0
            }
            fn version(&self) -> i64 {
                self.version
            }
            fn name(&self) -> &str {
                &self.name
            }
            fn list(db: &Db, c: CollaborationId) -> impl Future<Output = Result<Vec<$kind>>> + Send {
                db.$list(c)
            }
            fn one(db: &Db, c: CollaborationId, item: i64) -> impl Future<Output = Result<$kind>> + Send {
                db.$one(c, $id(item))
            }
            fn create(db: &Db, actor: &Actor, c: CollaborationId, new: &$new) -> impl Future<Output = Result<$kind>> + Send {
                db.$create(actor, c, new)
            }
            fn update(db: &Db, actor: &Actor, c: CollaborationId, item: i64, version: i64, new: &$new) -> impl Future<Output = Result<$kind>> + Send {
                db.$update(actor, c, $id(item), version, new)
            }
            fn delete(db: &Db, actor: &Actor, c: CollaborationId, item: i64) -> impl Future<Output = Result<()>> + Send {
                db.$delete(actor, c, $id(item))
            }
        }
    };
}

child!(Partner, PartnerId, PartnerInput, NewPartner, "partners", [partners, partner, create_partner, update_partner, delete_partner], |p| PartnerInput {
    name: p.name.clone(),
    sector: p.sector.code().into(),
    ring: p.ring.code().into(),
    description: p.description.clone(),
});

child!(Person, PersonId, PersonInput, NewPerson, "personen", [people, person, create_person, update_person, delete_person], |p| PersonInput {
    name: p.name.clone(),
    email: p.email.clone(),
    function: p.function.clone(),
    partner_id: p.partner_id.map(|p| p.0),
    roles: p.roles.iter().map(|r| r.code().to_string()).collect(),
    left: p.left,
});

child!(
    Portfolio,
    PortfolioId,
    PortfolioInput,
    NewPortfolio,
    "portefeuilles",
    [portfolios, portfolio, create_portfolio, update_portfolio, delete_portfolio],
    |p| { PortfolioInput { name: p.name.clone(), mandate: p.mandate.clone(), expectations: p.expectations.clone(), holder_id: p.holder_id.map(|h| h.0) } }
);

/// Whether a portfolio has nobody (still active) holding it, among the collaboration's people.
pub fn vacant(p: &Portfolio, people: &[Person]) -> bool {
    domain::portfolio::is_vacant(p, |pid| people.iter().find(|h| h.id == pid).is_none_or(|h| h.left))
}
