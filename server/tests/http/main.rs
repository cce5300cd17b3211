//! HTTP-level tests: each starts a fresh in-process server and drives it over real HTTP.

mod auth;
mod common;
mod complaints;
mod escalation;
mod input;
mod sites;
mod static_files;
mod sync;
mod workflow;
