//! Photos on the device: decode a picked file, downscale it on a canvas (longest side ≤ 1600 px,
//! JPEG quality 0.8, whatever the source type; EXIF such as GPS is dropped), make a ≈240 px
//! thumbnail, and hash the result (its content address).

use super::{await_promise, js_error};
use siteline_model::AttachmentRef;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap};

pub const MAX_SIDE: u32 = 1600;
pub const THUMB_SIDE: u32 = 240;
pub const QUALITY: f64 = 0.8;
pub const THUMB_QUALITY: f64 = 0.7;
pub const JPEG: &str = "image/jpeg";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImageError {
    #[error("not a picture this device can read: {0}")]
    NotImage(String),
    #[error("processing the picture failed: {0}")]
    Failed(String),
}

/// A photo ready to store: the downscaled JPEG, its thumbnail, and its reference.
pub struct Processed {
    pub full: Blob,
    pub thumb: Blob,
    pub attachment: AttachmentRef,
}

/// Size that fits `w`×`h` within `max`×`max`, keeping the aspect ratio (never upscaled).
pub fn fit(w: u32, h: u32, max: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= max || long == 0 {
        return (w.max(1), h.max(1));
    }
    let scale = f64::from(max) / f64::from(long);
    let s = |v: u32| ((f64::from(v) * scale).round() as u32).clamp(1, max);
    (s(w), s(h))
}

/// Decodes, downscales, thumbnails and hashes a picked file.
pub async fn process(file: &Blob) -> Result<Processed, ImageError> {
    let bitmap = decode(file).await?;
    let (w, h) = (bitmap.width(), bitmap.height());
    let (fw, fh) = fit(w, h, MAX_SIDE);
    let (tw, th) = fit(w, h, THUMB_SIDE);
    let full = encode(&bitmap, fw, fh, QUALITY).await;
    let thumb = encode(&bitmap, tw, th, THUMB_QUALITY).await;
    bitmap.close();
    let (full, thumb) = (full?, thumb?);
    let sha256 = super::crypto::sha256_blob(&full)
        .await
        .map_err(ImageError::Failed)?;
    let attachment = AttachmentRef {
        sha256,
        size: full.size() as u64,
        content_type: JPEG.to_string(),
    };
    Ok(Processed {
        full,
        thumb,
        attachment,
    })
}

/// A thumbnail of a stored photo (for photos fetched from the server).
pub async fn thumbnail(full: &Blob) -> Result<Blob, ImageError> {
    let bitmap = decode(full).await?;
    let (tw, th) = fit(bitmap.width(), bitmap.height(), THUMB_SIDE);
    let out = encode(&bitmap, tw, th, THUMB_QUALITY).await;
    bitmap.close();
    out
}

async fn decode(file: &Blob) -> Result<ImageBitmap, ImageError> {
    let w = web_sys::window().ok_or_else(|| ImageError::Failed("no window".into()))?;
    let p = w
        .create_image_bitmap_with_blob(file)
        .map_err(|e| ImageError::NotImage(js_error(&e)))?;
    await_promise(p)
        .await
        .map_err(ImageError::NotImage)?
        .dyn_into::<ImageBitmap>()
        .map_err(|_| ImageError::NotImage("not an ImageBitmap".into()))
}

async fn encode(bitmap: &ImageBitmap, w: u32, h: u32, quality: f64) -> Result<Blob, ImageError> {
    let fail = |e: JsValue| ImageError::Failed(js_error(&e));
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| ImageError::Failed("no document".into()))?;
    let canvas: HtmlCanvasElement = doc
        .create_element("canvas")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| ImageError::Failed("not a canvas".into()))?;
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(fail)?
        .ok_or_else(|| ImageError::Failed("no 2d context".into()))?
        .dyn_into()
        .map_err(|_| ImageError::Failed("not a 2d context".into()))?;
    let _ = js_sys::Reflect::set(&ctx, &"imageSmoothingQuality".into(), &"high".into());
    // JPEG has no transparency: a transparent PNG gets a white background, not black.
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, f64::from(w), f64::from(h))
        .map_err(fail)?;
    let blob = await_promise(js_sys::Promise::new(&mut |resolve, reject| {
        let refuse = reject.clone();
        let cb = wasm_bindgen::closure::Closure::once_into_js(move |b: JsValue| {
            if b.is_null() {
                let _ = refuse.call1(&JsValue::NULL, &"toBlob gave nothing".into());
            } else {
                let _ = resolve.call1(&JsValue::NULL, &b);
            }
        });
        if let Err(e) = canvas.to_blob_with_type_and_encoder_options(
            cb.unchecked_ref(),
            JPEG,
            &JsValue::from_f64(quality),
        ) {
            let _ = reject.call1(&JsValue::NULL, &e);
        }
    }))
    .await
    .map_err(ImageError::Failed)?;
    blob.dyn_into::<Blob>()
        .map_err(|_| ImageError::Failed("not a Blob".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn fit_keeps_the_ratio_and_never_upscales() {
        assert_eq!(fit(1800, 1200, 1600), (1600, 1067));
        assert_eq!(fit(1200, 1800, 1600), (1067, 1600));
        assert_eq!(fit(800, 600, 1600), (800, 600));
        assert_eq!(fit(4000, 3000, 240), (240, 180));
        assert_eq!(fit(10_000, 1, 240), (240, 1));
        assert_eq!(fit(0, 0, 240), (1, 1));
    }
}
