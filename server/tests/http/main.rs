//! HTTP-level tests: each starts a fresh in-process server and drives it over real HTTP.

mod adversary;
mod attachments;
mod auth;
mod cli;
mod common;
mod complaints;
mod corpus;
mod escalation;
mod exports;
mod fleet;
mod import;
mod input;
mod matrix;
mod raw;
mod reports;
mod shares;
mod sites;
mod static_files;
mod sync;
mod trust;
mod uploads;
mod workflow;
