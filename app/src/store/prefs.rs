//! Small preferences in localStorage (gloo-storage): the login session, UI language, intake draft,
//! and the sites (location labels, time-limit policy, calendar) cached for offline use.

use crate::i18n::Lang;
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use siteline_model::api::{SiteInfo, UserInfo};
use siteline_model::Timestamp;

const SESSION: &str = "siteline.session";
const LANG: &str = "siteline.lang";
const DRAFT: &str = "siteline.draft";
const SITES: &str = "siteline.sites";

/// Who is logged in on this device. Logging out removes only this, never local records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub expires_at: Timestamp,
    pub user: UserInfo,
}

pub fn load_session() -> Option<Session> {
    LocalStorage::get(SESSION).ok()
}

pub fn save_session(s: &Session) {
    // localStorage full or disabled: the session then lasts for this page only.
    let _ = LocalStorage::set(SESSION, s);
}

pub fn clear_session() {
    LocalStorage::delete(SESSION);
}

pub fn load_lang() -> Lang {
    LocalStorage::get(LANG).unwrap_or_default()
}

pub fn save_lang(l: Lang) {
    let _ = LocalStorage::set(LANG, l);
}

/// The intake form as typed, so a reload or crash never loses it. Every field defaults, so a draft
/// saved by an older version still loads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub description: String,
    pub location: String,
    pub category: String,
    pub severity: String,
    pub channel: String,
    pub complainant_name: String,
    pub complainant_phone: String,
    pub complainant_unit: String,
    pub customer_type: String,
    pub anonymous: bool,
    pub wants: String,
    pub against: String,
    pub nature: String,
    /// `datetime-local` value, China time.
    pub promised_reply_at: String,
}

pub fn load_draft() -> Draft {
    LocalStorage::get(DRAFT).unwrap_or_default()
}

pub fn save_draft(d: &Draft) {
    let _ = LocalStorage::set(DRAFT, d);
}

pub fn clear_draft() {
    LocalStorage::delete(DRAFT);
}

/// The sites as last fetched from the server, and when (device clock).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteCache {
    pub fetched_at: Timestamp,
    pub sites: Vec<SiteInfo>,
}

pub fn load_sites() -> SiteCache {
    LocalStorage::get(SITES).unwrap_or_default()
}

pub fn save_sites(c: &SiteCache) {
    // Full or disabled storage only means the sites are fetched again next time.
    let _ = LocalStorage::set(SITES, c);
}
