//! In-browser tests of the wrapped browser APIs: PBKDF2 verifiers for offline login, the wrapped
//! device key, SHA-256 of photos, and downscaling a picture to JPEG on a canvas.

use siteline_app::logic::keyring::PBKDF2_ITERATIONS;
use siteline_app::web::{crypto, hex, image};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_verifier_accepts_only_its_password() {
    let v = crypto::make_verifier("staff-密码-1").await.unwrap();
    assert_eq!(v.iterations, PBKDF2_ITERATIONS);
    assert_eq!(v.salt.len(), 32);
    assert_eq!(v.hash.len(), 64);
    assert!(!v.hash.contains("staff"));
    assert!(crypto::check_verifier(&v, "staff-密码-1").await.unwrap());
    assert!(!crypto::check_verifier(&v, "staff-密码-2").await.unwrap());
    assert!(!crypto::check_verifier(&v, "").await.unwrap());
    let again = crypto::make_verifier("staff-密码-1").await.unwrap();
    assert_ne!(again.salt, v.salt, "random salt");
    assert_ne!(again.hash, v.hash);
}

#[wasm_bindgen_test]
async fn a_device_key_is_kept_wrapped_and_only_its_password_unwraps_it() {
    let key = "0123456789abcdef".repeat(4);
    let w = crypto::wrap_device_key("staff-密码-1", &key).await.unwrap();
    assert_eq!(w.wrapped.len(), 64);
    assert_ne!(w.wrapped, key, "not stored as it is");
    assert_eq!(
        crypto::unwrap_device_key(&w, "staff-密码-1").await.unwrap(),
        key
    );
    assert_ne!(
        crypto::unwrap_device_key(&w, "staff-密码-2").await.unwrap(),
        key
    );
    let again = crypto::wrap_device_key("staff-密码-1", &key).await.unwrap();
    assert_ne!(again.salt, w.salt, "a fresh salt per wrapping");
    assert_ne!(again.wrapped, w.wrapped);
}

#[wasm_bindgen_test]
async fn pbkdf2_matches_the_rfc_7914_vector() {
    // RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64 (first 32 bytes).
    let out = crypto::pbkdf2("passwd", b"salt", 1).await.unwrap();
    assert_eq!(
        hex(&out),
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
    );
}

#[wasm_bindgen_test]
async fn sha256_of_a_blob() {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&b"abc"[..]));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    assert_eq!(
        crypto::sha256_blob(&blob).await.unwrap(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

/// A PNG of `w`×`h` drawn on a canvas.
async fn png(w: u32, h: u32) -> web_sys::Blob {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c: web_sys::HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(w);
    c.set_height(h);
    let ctx: web_sys::CanvasRenderingContext2d =
        c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    ctx.set_fill_style_str("#3a7");
    ctx.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
    let (tx, rx) = futures::channel::oneshot::channel();
    let cb = wasm_bindgen::closure::Closure::once_into_js(move |b: wasm_bindgen::JsValue| {
        let _ = tx.send(b);
    });
    c.to_blob_with_type(cb.unchecked_ref(), "image/png")
        .unwrap();
    rx.await.unwrap().dyn_into().unwrap()
}

#[wasm_bindgen_test]
async fn a_large_png_becomes_a_1600px_jpeg_with_a_thumbnail_and_its_hash() {
    let p = image::process(&png(1800, 1200).await).await.unwrap();
    assert_eq!(p.attachment.content_type, "image/jpeg");
    assert_eq!(p.full.type_(), "image/jpeg");
    assert_eq!(p.attachment.size, p.full.size() as u64);
    assert_eq!(
        p.attachment.sha256,
        crypto::sha256_blob(&p.full).await.unwrap()
    );
    let dims = |b: web_sys::Blob| async move {
        let bm: web_sys::ImageBitmap = wasm_bindgen_futures::JsFuture::from(
            web_sys::window()
                .unwrap()
                .create_image_bitmap_with_blob(&b)
                .unwrap(),
        )
        .await
        .unwrap()
        .dyn_into()
        .unwrap();
        (bm.width(), bm.height())
    };
    assert_eq!(dims(p.full.clone()).await, (1600, 1067));
    assert_eq!(dims(p.thumb.clone()).await, (240, 160));
}

#[wasm_bindgen_test]
async fn a_file_that_is_not_a_picture_is_refused() {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&b"not a picture"[..]));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    assert!(matches!(
        image::process(&blob).await,
        Err(image::ImageError::NotImage(_))
    ));
}
