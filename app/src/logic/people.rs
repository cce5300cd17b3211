//! Who did what, in words: display names for login names (from the sites' member lists and the
//! keyring, kept for offline use), the server's own events as 系统, devices labelled as such.

use crate::i18n::{Lang, K};
use siteline_model::api::SiteInfo;
use siteline_model::DeviceId;
use std::collections::BTreeMap;

/// The author of the server's own events (numbers, automatic escalations).
pub const SYSTEM_AUTHOR: &str = "system";

/// Login name → display name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct People(BTreeMap<String, String>);

impl People {
    /// From the sites' members, then `extra` (e.g. the keyring's users) where the sites do not
    /// name them. Empty display names are ignored.
    pub fn new<'a>(
        sites: &[SiteInfo],
        extra: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> People {
        let mut map = BTreeMap::new();
        for p in sites.iter().flat_map(|s| &s.people) {
            let name = p.display_name.trim();
            if !name.is_empty() {
                map.entry(p.username.clone())
                    .or_insert_with(|| name.to_string());
            }
        }
        for (user, name) in extra {
            let name = name.trim();
            if !name.is_empty() {
                map.entry(user.to_string())
                    .or_insert_with(|| name.to_string());
            }
        }
        People(map)
    }

    /// How a person is shown: the display name, 系统 for the server, else the login name.
    pub fn name(&self, username: &str, lang: Lang) -> String {
        if username == SYSTEM_AUTHOR {
            return system(lang).to_string();
        }
        self.0
            .get(username)
            .cloned()
            .unwrap_or_else(|| username.to_string())
    }
}

/// 系统 / System.
pub fn system(lang: Lang) -> &'static str {
    K::SystemAuthor.get(lang)
}

/// A device as shown in the timeline: "设备 5902" / "device 5902"; none for the server's own.
pub fn device_label(device: &DeviceId, lang: Lang) -> Option<String> {
    if *device == DeviceId::SERVER {
        return None;
    }
    Some(format!("{} {}", K::DeviceWord.get(lang), device.short()))
}
