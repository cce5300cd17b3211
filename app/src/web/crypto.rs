//! SubtleCrypto: SHA-256 of photos (their content address), PBKDF2-SHA256 password verifiers
//! for offline login on a shared tablet, and the device key wrapped under the password. The
//! password itself is never stored.

use super::{await_promise, hex, object};
use crate::logic::keyring::{wrap_xor, Verifier, WrappedKey, PBKDF2_ITERATIONS};
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CryptoKey, SubtleCrypto};

fn subtle() -> Result<SubtleCrypto, String> {
    let w = web_sys::window().ok_or("no window")?;
    let c = w
        .crypto()
        .map_err(|_| "crypto is not available".to_string())?;
    Ok(c.subtle())
}

/// SHA-256 of a blob's bytes, as lower-case hex.
pub async fn sha256_blob(blob: &web_sys::Blob) -> Result<String, String> {
    let buf = await_promise(blob.array_buffer()).await?;
    let buf: ArrayBuffer = buf.dyn_into().map_err(|_| "not an ArrayBuffer")?;
    sha256_buffer(&buf).await
}

pub async fn sha256_buffer(buf: &ArrayBuffer) -> Result<String, String> {
    let p = subtle()?
        .digest_with_str_and_buffer_source("SHA-256", buf)
        .map_err(|e| super::js_error(&e))?;
    let out = await_promise(p).await?;
    Ok(hex(&Uint8Array::new(&out).to_vec()))
}

/// PBKDF2-SHA256 of `password` with `salt`: 32 bytes.
pub async fn pbkdf2(password: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, String> {
    let s = subtle()?;
    let raw = Uint8Array::from(password.as_bytes());
    let usages = js_sys::Array::of1(&JsValue::from_str("deriveBits"));
    let p = s
        .import_key_with_str("raw", &raw, "PBKDF2", false, &usages)
        .map_err(|e| super::js_error(&e))?;
    let key: CryptoKey = await_promise(p)
        .await?
        .dyn_into()
        .map_err(|_| "not a CryptoKey")?;
    let params = object(&[
        ("name", JsValue::from_str("PBKDF2")),
        ("hash", JsValue::from_str("SHA-256")),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", JsValue::from(iterations)),
    ]);
    let p = s
        .derive_bits_with_object(&params, &key, 256)
        .map_err(|e| super::js_error(&e))?;
    let bits = await_promise(p).await?;
    Ok(Uint8Array::new(&bits).to_vec())
}

/// A new verifier for `password` (random 16-byte salt).
pub async fn make_verifier(password: &str) -> Result<Verifier, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let hash = pbkdf2(password, &salt, PBKDF2_ITERATIONS).await?;
    Ok(Verifier {
        salt: hex(&salt),
        iterations: PBKDF2_ITERATIONS,
        hash: hex(&hash),
    })
}

/// Whether `password` matches the verifier.
pub async fn check_verifier(v: &Verifier, password: &str) -> Result<bool, String> {
    let salt = super::from_hex(&v.salt).ok_or("bad salt")?;
    let want = super::from_hex(&v.hash).ok_or("bad hash")?;
    let got = pbkdf2(password, &salt, v.iterations).await?;
    // Compare without an early exit.
    Ok(
        got.len() == want.len()
            && got.iter().zip(&want).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0,
    )
}

/// The device key (hex) wrapped under `password`: XOR with a PBKDF2 key of its own salt, so it
/// is readable only with the password (guessing costs a PBKDF2 per try, as for the verifier).
pub async fn wrap_device_key(password: &str, key_hex: &str) -> Result<WrappedKey, String> {
    let key = super::from_hex(key_hex).ok_or("bad device key")?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let pad = pbkdf2(password, &salt, PBKDF2_ITERATIONS).await?;
    Ok(WrappedKey {
        salt: hex(&salt),
        iterations: PBKDF2_ITERATIONS,
        wrapped: hex(&wrap_xor(&key, &pad).ok_or("device key longer than 32 bytes")?),
    })
}

/// The device key (hex) from its wrapping, with the password already checked by the verifier.
pub async fn unwrap_device_key(w: &WrappedKey, password: &str) -> Result<String, String> {
    let salt = super::from_hex(&w.salt).ok_or("bad salt")?;
    let wrapped = super::from_hex(&w.wrapped).ok_or("bad wrapped key")?;
    let pad = pbkdf2(password, &salt, w.iterations).await?;
    Ok(hex(&wrap_xor(&wrapped, &pad).ok_or("bad wrapped key")?))
}
