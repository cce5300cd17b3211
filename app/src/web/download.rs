//! Saves bytes as a file the user downloads (a Blob URL on a temporary link).

use wasm_bindgen::JsCast;

pub fn save(bytes: &[u8], name: &str, mime: &str) -> Result<(), String> {
    let err = |e: wasm_bindgen::JsValue| super::js_error(&e);
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| "not a link")?;
    a.set_href(&url);
    a.set_download(name);
    a.set_attribute("style", "display:none").map_err(err)?;
    let body = doc.body().ok_or("no body")?;
    body.append_child(&a).map_err(err)?;
    a.click();
    let _ = body.remove_child(&a);
    // Revoke later: the download reads the URL asynchronously.
    let keep = url.clone();
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&keep);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}
