//! Thin wrappers over browser APIs the pages and sync need (no Leptos): SubtleCrypto, canvas
//! image processing, the document's language and theme, storage persistence and estimates, downloads, the cross-tab sync lock and
//! service-worker updates. Failures come back as plain text for logs and messages.

pub mod crypto;
pub mod document;
pub mod download;
pub mod image;
pub mod locks;
pub mod storage;
pub mod sw;

use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Awaits a JS promise, turning a rejection into text.
pub async fn await_promise(p: Promise) -> Result<JsValue, String> {
    JsFuture::from(p).await.map_err(|e| js_error(&e))
}

/// `name: message` of a JS error (a `DOMException` such as `QuotaExceededError` keeps its name).
pub fn js_error(e: &JsValue) -> String {
    let get = |k: &str| {
        Reflect::get(e, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
    };
    match (get("name"), get("message")) {
        (Some(n), Some(m)) => format!("{n}: {m}"),
        (None, Some(m)) => m,
        _ => e.as_string().unwrap_or_else(|| format!("{e:?}")),
    }
}

/// A property of a JS object, if present and not `undefined`/`null`.
pub fn prop(obj: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Calls `obj[method](args…)`.
pub fn call(obj: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let f = prop(obj, method)
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| format!("{method} is not available"))?;
    let arr: js_sys::Array = args.iter().collect();
    f.apply(obj, &arr).map_err(|e| js_error(&e))
}

/// A plain JS object from key/value pairs.
pub fn object(pairs: &[(&str, JsValue)]) -> js_sys::Object {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes from hex (`None` if malformed).
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn hex_round_trips() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(from_hex("000fff"), Some(vec![0, 15, 255]));
        assert_eq!(from_hex("0"), None);
        assert_eq!(from_hex("zz"), None);
    }
}
