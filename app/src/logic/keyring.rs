//! The device's keyring: every user who logged in on this (shared) tablet, with their token for
//! syncing their own records and a PBKDF2 password verifier for logging in offline. Pure
//! bookkeeping; the hashing is in `web::crypto`, persistence in `store::prefs`.

use serde::{Deserialize, Serialize};
use siteline_model::api::UserInfo;
use siteline_model::{Role, Timestamp};
use std::collections::BTreeMap;

/// PBKDF2-SHA256 iterations of a new verifier.
pub const PBKDF2_ITERATIONS: u32 = 100_000;

/// How a password is checked offline: PBKDF2-SHA256(password, salt, iterations) == hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verifier {
    /// Hex.
    pub salt: String,
    pub iterations: u32,
    /// Hex of the 32-byte derived key.
    pub hash: String,
}

/// The device key of a user, wrapped under their password (see `web::crypto`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedKey {
    /// Hex.
    pub salt: String,
    pub iterations: u32,
    /// Hex of key XOR PBKDF2(password, salt).
    pub wrapped: String,
}

/// XOR of a key with a pad at least as long (wrapping and unwrapping are the same).
pub fn wrap_xor(key: &[u8], pad: &[u8]) -> Option<Vec<u8>> {
    (key.len() <= pad.len()).then(|| key.iter().zip(pad).map(|(k, p)| k ^ p).collect())
}

/// One user who logged in on this device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEntry {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub department: Option<String>,
    /// The sites the server last said the user works at.
    #[serde(default)]
    pub sites: Vec<String>,
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub token_expires_at: Option<Timestamp>,
    /// The server answered 401 to this token.
    #[serde(default)]
    pub token_invalid: bool,
    /// Logged out with records still pending: the token is kept only to sync them.
    #[serde(default)]
    pub signed_out: bool,
    #[serde(default)]
    pub verifier: Option<Verifier>,
    /// Gets a new session after an offline login, without keeping the password.
    #[serde(default)]
    pub device_key: Option<WrappedKey>,
}

impl KeyEntry {
    pub fn user(&self) -> UserInfo {
        UserInfo {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            department: self.department.clone(),
            sites: self.sites.clone(),
            disabled: false,
        }
    }
}

/// Whether a user's records can be sent now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenState {
    Valid,
    Expired,
    /// Refused by the server (401).
    Invalid,
    /// Never logged in here, or the token was dropped.
    Missing,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    #[serde(default)]
    pub users: Vec<KeyEntry>,
}

/// What logging out did to the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Logout {
    /// No pending records: the token was removed; end it on the server too (when online).
    Dropped(Option<String>),
    /// Pending records: the token stays, only to send them.
    KeptForSync,
}

/// A user whose records wait for them to log in again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub username: String,
    pub display_name: String,
    pub records: usize,
    pub state: TokenState,
}

impl Keyring {
    pub fn get(&self, username: &str) -> Option<&KeyEntry> {
        self.users.iter().find(|u| u.username == username)
    }

    fn get_mut(&mut self, username: &str) -> Option<&mut KeyEntry> {
        self.users.iter_mut().find(|u| u.username == username)
    }

    /// Records an online login: fresh token, user details, and (when computed) a new verifier
    /// and wrapped device key.
    pub fn logged_in(
        &mut self,
        user: &UserInfo,
        token: &str,
        expires_at: Timestamp,
        verifier: Option<Verifier>,
    ) {
        self.logged_in_with(user, token, expires_at, verifier, None);
    }

    /// Like [`Keyring::logged_in`], also keeping a new wrapped device key.
    pub fn logged_in_with(
        &mut self,
        user: &UserInfo,
        token: &str,
        expires_at: Timestamp,
        verifier: Option<Verifier>,
        device_key: Option<WrappedKey>,
    ) {
        let entry = match self.get_mut(&user.username) {
            Some(e) => e,
            None => {
                self.users.push(KeyEntry {
                    username: user.username.clone(),
                    display_name: String::new(),
                    role: user.role,
                    department: None,
                    sites: Vec::new(),
                    token: None,
                    token_expires_at: None,
                    token_invalid: false,
                    signed_out: false,
                    verifier: None,
                    device_key: None,
                });
                self.users.last_mut().expect("just pushed")
            }
        };
        entry.display_name = user.display_name.clone();
        entry.role = user.role;
        entry.department = user.department.clone();
        entry.sites = user.sites.clone();
        entry.token = Some(token.to_string());
        entry.token_expires_at = Some(expires_at);
        entry.token_invalid = false;
        entry.signed_out = false;
        if verifier.is_some() {
            entry.verifier = verifier;
        }
        if device_key.is_some() {
            entry.device_key = device_key;
        }
    }

    pub fn token_state(&self, username: &str, now: Timestamp) -> TokenState {
        match self.get(username) {
            None => TokenState::Missing,
            Some(e) if e.token.is_none() => TokenState::Missing,
            Some(e) if e.token_invalid => TokenState::Invalid,
            Some(e) if e.token_expires_at.is_some_and(|t| t <= now) => TokenState::Expired,
            Some(_) => TokenState::Valid,
        }
    }

    /// The token to send `username`'s records with. One past its expiry by the device clock is
    /// still tried (tablet clocks drift; the server's 401 is what marks it invalid).
    pub fn token_for(&self, username: &str, now: Timestamp) -> Option<String> {
        match self.token_state(username, now) {
            TokenState::Valid | TokenState::Expired => self.get(username)?.token.clone(),
            TokenState::Invalid | TokenState::Missing => None,
        }
    }

    /// The server refused this user's token.
    pub fn mark_invalid(&mut self, username: &str) {
        if let Some(e) = self.get_mut(username) {
            e.token_invalid = true;
        }
    }

    /// Logging out: the token goes unless it is still needed to send pending records.
    pub fn logged_out(&mut self, username: &str, has_pending: bool) -> Logout {
        let Some(e) = self.get_mut(username) else {
            return Logout::Dropped(None);
        };
        if has_pending {
            e.signed_out = true;
            Logout::KeptForSync
        } else {
            e.signed_out = false;
            e.token_expires_at = None;
            Logout::Dropped(e.token.take())
        }
    }

    /// After a sync: tokens of logged-out users whose records are all sent are dropped. Answers
    /// the dropped tokens (to end those sessions on the server).
    pub fn drop_finished(&mut self, pending: &BTreeMap<String, usize>) -> Vec<String> {
        let mut dropped = vec![];
        for e in &mut self.users {
            if e.signed_out && pending.get(&e.username).copied().unwrap_or(0) == 0 {
                e.signed_out = false;
                e.token_expires_at = None;
                dropped.extend(e.token.take());
            }
        }
        dropped
    }

    /// Authors with pending records and no usable token: they must log in (online) again.
    pub fn waiting(&self, pending: &BTreeMap<String, usize>, now: Timestamp) -> Vec<Waiting> {
        pending
            .iter()
            .filter(|(_, n)| **n > 0)
            .filter_map(|(user, n)| {
                let state = self.token_state(user, now);
                (state != TokenState::Valid).then(|| Waiting {
                    username: user.clone(),
                    display_name: self
                        .get(user)
                        .map(|e| e.display_name.clone())
                        .filter(|d| !d.is_empty())
                        .unwrap_or_else(|| user.clone()),
                    records: *n,
                    state,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn user(name: &str) -> UserInfo {
        UserInfo {
            username: name.into(),
            display_name: format!("{name}-显示"),
            role: Role::Staff,
            department: None,
            sites: vec!["SL".into()],
            disabled: false,
        }
    }

    fn v() -> Verifier {
        Verifier {
            salt: "00".into(),
            iterations: 1,
            hash: "11".into(),
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn login_stores_token_and_keeps_an_older_verifier() {
        let mut k = Keyring::default();
        k.logged_in(&user("a"), "t1", Timestamp(100), Some(v()));
        assert_eq!(k.token_for("a", Timestamp(50)), Some("t1".into()));
        assert_eq!(k.token_state("a", Timestamp(100)), TokenState::Expired);
        assert_eq!(
            k.token_for("a", Timestamp(100)),
            Some("t1".into()),
            "tried anyway"
        );
        assert_eq!(k.token_state("b", Timestamp(0)), TokenState::Missing);
        k.mark_invalid("a");
        assert_eq!(k.token_state("a", Timestamp(0)), TokenState::Invalid);
        k.logged_in(&user("a"), "t2", Timestamp(200), None);
        assert_eq!(k.token_for("a", Timestamp(150)), Some("t2".into()));
        assert_eq!(k.get("a").unwrap().verifier, Some(v()), "verifier kept");
        assert_eq!(k.users.len(), 1);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn logout_drops_the_token_only_without_pending_records() {
        let mut k = Keyring::default();
        k.logged_in(&user("a"), "ta", Timestamp(1_000), Some(v()));
        k.logged_in(&user("b"), "tb", Timestamp(1_000), Some(v()));
        assert_eq!(k.logged_out("a", false), Logout::Dropped(Some("ta".into())));
        assert_eq!(k.token_state("a", Timestamp(0)), TokenState::Missing);
        assert!(
            k.get("a").unwrap().verifier.is_some(),
            "offline login still possible"
        );
        assert_eq!(k.logged_out("b", true), Logout::KeptForSync);
        assert_eq!(k.token_for("b", Timestamp(0)), Some("tb".into()));
        // b's records went: the token is dropped after the sync.
        let mut pending = BTreeMap::new();
        pending.insert("b".to_string(), 1);
        assert!(k.drop_finished(&pending).is_empty());
        pending.insert("b".to_string(), 0);
        assert_eq!(k.drop_finished(&pending), vec!["tb".to_string()]);
        assert_eq!(k.token_state("b", Timestamp(0)), TokenState::Missing);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn waiting_lists_authors_without_a_usable_token() {
        let mut k = Keyring::default();
        k.logged_in(&user("ok"), "t", Timestamp(1_000), None);
        k.logged_in(&user("old"), "t", Timestamp(10), None);
        let mut pending = BTreeMap::new();
        pending.insert("ok".to_string(), 2);
        pending.insert("old".to_string(), 3);
        pending.insert("stranger".to_string(), 1);
        pending.insert("none".to_string(), 0);
        let w = k.waiting(&pending, Timestamp(500));
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].username, "old");
        assert_eq!(w[0].display_name, "old-显示");
        assert_eq!(w[0].records, 3);
        assert_eq!(w[0].state, TokenState::Expired);
        assert_eq!(w[1].display_name, "stranger");
        assert_eq!(w[1].state, TokenState::Missing);
    }
}
