//! Reusable view pieces: the login guard, the header and banners, complaint badges, photos, the
//! confirm step, a ticking clock.

pub mod badges;
pub mod banners;
pub mod confirm;
pub mod device_window;
pub mod display_settings;
pub mod guard;
pub mod header;
pub mod photos;
pub mod tick;
pub mod toast;
