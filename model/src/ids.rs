//! Typed identifiers: UUIDv7 built from a caller-supplied clock and randomness (the model has no I/O).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A UUIDv7 from unix milliseconds and 10 random bytes (ordered by time, unique by randomness).
            pub fn new_v7(unix_ms: i64, random: [u8; 10]) -> Self {
                let ms = u64::try_from(unix_ms).unwrap_or(0);
                Self(uuid::Builder::from_unix_timestamp_millis(ms, &random).into_uuid())
            }
            pub fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// One complaint, generated on the device that captured it.
    ComplaintId
);
uuid_id!(
    /// One event of a complaint's append-only stream; sync is idempotent by this id.
    EventId
);
uuid_id!(
    /// One installation of the app (one browser profile on one tablet).
    DeviceId
);

impl DeviceId {
    /// The device id the server uses for events it writes itself (e.g. number assignment).
    pub const SERVER: DeviceId = DeviceId(Uuid::nil());

    /// Short uppercase prefix used in provisional numbers, e.g. `3F9A`.
    pub fn short(&self) -> String {
        let s = self.0.simple().to_string();
        s[s.len() - 4..].to_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v7_ids_sort_by_time_and_round_trip() {
        let a = EventId::new_v7(1_700_000_000_000, [1; 10]);
        let b = EventId::new_v7(1_700_000_000_001, [0; 10]);
        assert!(a < b);
        assert_eq!(a.0.get_version_num(), 7);
        let parsed: EventId = a.to_string().parse().unwrap();
        assert_eq!(parsed, a);
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{a}\""));
    }

    #[test]
    fn device_short_is_four_hex_digits() {
        let d = DeviceId::new_v7(1, [0xab; 10]);
        assert_eq!(d.short().len(), 4);
        assert!(d
            .short()
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    }
}
