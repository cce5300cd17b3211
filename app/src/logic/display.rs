//! How this device shows the app: the theme (standard, high contrast for bright car parks,
//! dark for night rounds) and large text; remembered per device.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    Standard,
    Contrast,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Standard, Theme::Contrast, Theme::Dark];

    /// The `data-theme` attribute of the document (none for the standard theme).
    pub fn attr(self) -> Option<&'static str> {
        match self {
            Theme::Standard => None,
            Theme::Contrast => Some("contrast"),
            Theme::Dark => Some("dark"),
        }
    }

    pub fn code(self) -> &'static str {
        self.attr().unwrap_or("standard")
    }
}

/// The display settings of this device.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Display {
    pub theme: Theme,
    pub large_text: bool,
}

impl Display {
    /// The `data-text` attribute of the document.
    pub fn text_attr(self) -> Option<&'static str> {
        self.large_text.then_some("large")
    }

    /// The browser's `theme-color` for this theme (the status bar of the installed app).
    pub fn theme_color(self) -> &'static str {
        match self.theme {
            Theme::Standard => "#0f5f8c",
            Theme::Contrast => "#003a66",
            Theme::Dark => "#11161c",
        }
    }
}
