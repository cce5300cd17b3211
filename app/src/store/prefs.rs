//! Small preferences in localStorage (gloo-storage): the login session, the device keyring, UI
//! language, intake drafts (photo references only: the photos are in IndexedDB), the sites cached
//! for offline use, the storage-persistence answer and the last successful sync.

use crate::i18n::Lang;
use crate::logic::display::Display;
use crate::logic::keyring::Keyring;
use gloo_storage::{LocalStorage, SessionStorage, Storage};
use serde::{Deserialize, Serialize};
use siteline_model::api::{SiteInfo, UserInfo};
use siteline_model::{AttachmentRef, ComplaintId, Timestamp};

const SESSION: &str = "siteline.session";
const LANG: &str = "siteline.lang";
const DISPLAY: &str = "siteline.display";
const DRAFT: &str = "siteline.draft";
const SITES: &str = "siteline.sites";
const KEYRING: &str = "siteline.keyring";
const PERSIST: &str = "siteline.persist";
const LAST_SYNC: &str = "siteline.last-sync";
const RELOGIN: &str = "siteline.relogin";

/// Who is logged in on this device. Logging out removes only this, never local records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub expires_at: Timestamp,
    pub user: UserInfo,
    /// Logged in with the password checked on this device (server unreachable).
    #[serde(default)]
    pub offline: bool,
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

/// The device's display settings (theme, large text).
pub fn load_display() -> Display {
    LocalStorage::get(DISPLAY).unwrap_or_default()
}

pub fn save_display(d: Display) {
    let _ = LocalStorage::set(DISPLAY, d);
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
    /// Photos picked so far (their bytes are already in IndexedDB).
    pub photos: Vec<AttachmentRef>,
}

impl Draft {
    /// Whether anything was typed or picked (an update then waits until it is saved).
    pub fn has_input(&self) -> bool {
        let texts = [
            &self.description,
            &self.location,
            &self.complainant_name,
            &self.complainant_phone,
            &self.complainant_unit,
            &self.wants,
            &self.against,
            &self.promised_reply_at,
        ];
        texts.iter().any(|t| !t.trim().is_empty()) || !self.photos.is_empty()
    }
}

/// Where a draft is kept: the intake's own, or the correction of a rejected record (so fixing one
/// never overwrites a half-typed new complaint).
fn draft_key(fix: Option<ComplaintId>) -> String {
    match fix {
        None => DRAFT.to_string(),
        Some(id) => format!("{DRAFT}.fix.{id}"),
    }
}

pub fn load_draft_for(fix: Option<ComplaintId>) -> Option<Draft> {
    LocalStorage::get(draft_key(fix)).ok()
}

pub fn load_draft() -> Draft {
    load_draft_for(None).unwrap_or_default()
}

/// Saves a draft; `false` if localStorage refused (full or disabled).
pub fn save_draft_for(fix: Option<ComplaintId>, d: &Draft) -> bool {
    LocalStorage::set(draft_key(fix), d).is_ok()
}

pub fn save_draft(d: &Draft) {
    let _ = save_draft_for(None, d);
}

pub fn clear_draft_for(fix: Option<ComplaintId>) {
    LocalStorage::delete(draft_key(fix));
}

pub fn clear_draft() {
    clear_draft_for(None);
}

/// Photos referenced by any saved draft (kept when cleaning up photos).
pub fn draft_photos() -> Vec<String> {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return vec![];
    };
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k == DRAFT || k.starts_with(&format!("{DRAFT}.fix.")))
        .filter_map(|k| LocalStorage::get::<Draft>(&k).ok())
        .flat_map(|d| d.photos.into_iter().map(|p| p.sha256))
        .collect()
}

pub fn load_keyring() -> Keyring {
    LocalStorage::get(KEYRING).unwrap_or_default()
}

pub fn save_keyring(k: &Keyring) {
    let _ = LocalStorage::set(KEYRING, k);
}

/// The answer to `navigator.storage.persist()` at first login.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersistAnswer {
    pub asked_at: Timestamp,
    pub granted: bool,
}

pub fn load_persist() -> Option<PersistAnswer> {
    LocalStorage::get(PERSIST).ok()
}

pub fn save_persist(a: PersistAnswer) {
    let _ = LocalStorage::set(PERSIST, a);
}

pub fn load_last_sync() -> Option<Timestamp> {
    LocalStorage::get(LAST_SYNC).ok()
}

pub fn save_last_sync(t: Timestamp) {
    let _ = LocalStorage::set(LAST_SYNC, t);
}

/// After an offline login without a usable token: the user and their unwrapped device key, for
/// this tab only (sessionStorage). The key gets a session on this device only, expires, and is
/// revoked by a new password or disabling; the password itself is never kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRelogin {
    pub username: String,
    pub device_key: String,
}

const DEVICE_RELOGIN: &str = "siteline.device-relogin";

pub fn load_device_relogin() -> Option<DeviceRelogin> {
    SessionStorage::get(DEVICE_RELOGIN).ok()
}

pub fn save_device_relogin(r: &DeviceRelogin) {
    let _ = SessionStorage::set(DEVICE_RELOGIN, r);
}

pub fn clear_device_relogin() {
    SessionStorage::delete(DEVICE_RELOGIN);
}

/// Older app versions kept a password here after an offline login; it is deleted on sight (the
/// device key in the keyring does that job now, without the password).
pub fn clear_relogin() {
    SessionStorage::delete(RELOGIN);
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
