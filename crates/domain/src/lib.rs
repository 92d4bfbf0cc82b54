//! Reisgenoot's domain: the types, rules and calculations of a collaboration around the
//! pedagogische basis. Nothing here does I/O, so every rule can be tested on its own.

pub mod access;
pub mod agreement;
pub mod area;
pub mod audit;
pub mod body;
pub mod case_review;
pub mod collaboration;
pub mod company;
pub mod cycle;
pub mod date;
pub mod disclosure;
pub mod error;
pub mod example;
pub mod finance;
pub mod finance_import;
pub mod ids;
pub mod import;
pub mod indicator;
pub mod journey;
pub mod legal;
pub mod measure;
pub mod meeting;
pub mod obstacle;
pub mod partner;
pub mod password;
pub mod person;
pub mod portfolio;
pub mod programme;
pub mod responsibility;
#[cfg(test)]
mod rng;
pub mod scan;
pub mod scope;
pub mod search;
pub mod story;
pub mod table;
pub mod totp;
pub mod vision;
mod vocab;

pub use error::{FieldError, Invalid};
