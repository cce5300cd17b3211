//! The document's own attributes: its language (`lang`, for screen readers and fonts), the
//! device's theme and text size (`data-theme`, `data-text`) and the browser's theme colour.

use crate::i18n::Lang;
use crate::logic::display::Display;

/// Sets the root element's attributes and `<meta name="theme-color">` for `lang` and `display`.
pub fn apply(lang: Lang, display: Display) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(root) = doc.document_element() {
        let code = match lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        };
        let _ = root.set_attribute("lang", code);
        let set = |name: &str, value: Option<&str>| match value {
            Some(v) => root.set_attribute(name, v),
            None => root.remove_attribute(name),
        };
        let _ = set("data-theme", display.theme.attr());
        let _ = set("data-text", display.text_attr());
    }
    if let Ok(Some(meta)) = doc.query_selector("meta[name=\"theme-color\"]") {
        let _ = meta.set_attribute("content", display.theme_color());
    }
}
