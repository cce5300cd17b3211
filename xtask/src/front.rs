//! The front-end build (replaces Trunk): cargo → wasm-split → wasm-bindgen → wasm-opt → `dist/`.
//!
//! The app marks whole pages as split points (`app/src/pages/lazy.rs`); `wasm_split_cli_support`
//! cuts the linked wasm into the first-load module and one module per split (plus shared
//! chunks). Everything the build emits for the app goes into one content-addressed directory
//! `dist/pkg-<hash>/` (names inside stay plain, so the split loader's relative URLs hold), the
//! stylesheet is `style-<hash>.css`, and `index.html` is written from the template with the
//! first-load links and a `siteline-precache` list the service worker caches at install.

use crate::proc::Ctx;
use crate::tools::WASM_TARGET;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The app's package and wasm-bindgen output name.
const APP: &str = "siteline-app";
/// Where the split step puts the module its loaders import (relative to the main JS).
const LINK_JS: &str = "__wasm_split.js";
/// The marker in the template `index.html` where the asset links go.
const ASSETS_MARK: &str = "<!-- siteline:assets -->";

/// What a build wrote, by role (paths relative to `dist/`).
#[derive(Debug, Default)]
pub struct Built {
    /// Needed before the app is interactive: index.html, css, main js, link js, main wasm.
    pub first_load: Vec<String>,
    /// Fetched when a page that needs them opens (and precached by the service worker).
    pub on_demand: Vec<String>,
}

/// Builds the release front end into `dist/` (replaced whole).
pub fn build(ctx: &Ctx) -> Result<Built, String> {
    let work = ctx.target_dir().join("front");
    let _ = std::fs::remove_dir_all(&work);
    let split_dir = work.join("split");
    let pkg_tmp = work.join("pkg");
    mkdir(&split_dir)?;
    mkdir(&pkg_tmp)?;

    println!("front end: cargo build --profile front --target {WASM_TARGET} (relocations kept)");
    ctx.run(
        ctx.cargo()
            .args(["build", "--profile", "front", "-p", APP, "--bin", APP])
            .args(["--target", WASM_TARGET])
            // wasm-split needs the linker's relocations to move functions between modules.
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                "-Clink-args=--emit-relocs",
            ),
        "cargo build (app, wasm)",
    )?;
    let linked = ctx
        .target_dir()
        .join(WASM_TARGET)
        .join("front")
        .join(format!("{APP}.wasm"));
    let input = read(&linked)?;

    println!("front end: wasm-split");
    let main_split = split_dir.join("main.wasm");
    let main_js = format!("./{APP}.js");
    let split = wasm_split_cli_support::transform({
        let mut o = wasm_split_cli_support::Options::new(&input);
        o.output_dir = &split_dir;
        o.main_out_path = &main_split;
        o.main_module = &main_js;
        o.link_name = "./__wasm_split.js";
        o
    })
    .map_err(|e| format!("wasm-split: {e:#}"))?;

    println!("front end: wasm-bindgen");
    ctx.run(
        ctx.cmd("wasm-bindgen")
            .args(["--target", "web", "--keep-lld-exports", "--no-demangle"])
            .args(["--out-name", APP, "--out-dir"])
            .arg(&pkg_tmp)
            .arg(&main_split),
        "wasm-bindgen",
    )?;
    copy(&split_dir.join(LINK_JS), &pkg_tmp.join(LINK_JS))?;
    let mut lazy = Vec::new();
    for m in &split.split_modules {
        let name = file_name(m)?;
        copy(m, &pkg_tmp.join(&name))?;
        lazy.push(name);
    }
    lazy.sort();

    println!("front end: wasm-opt -Oz ({} modules)", lazy.len() + 1);
    let main_wasm = format!("{APP}_bg.wasm");
    for name in std::iter::once(&main_wasm).chain(&lazy) {
        let f = pkg_tmp.join(name);
        ctx.run(
            ctx.cmd(ctx.npm_bin.join("wasm-opt"))
                .arg("-Oz")
                .args(WASM_FEATURES)
                .arg(&f)
                .arg("-o")
                .arg(&f),
            "wasm-opt",
        )?;
    }
    let built = assemble(ctx, &pkg_tmp, &main_wasm, &lazy)?;
    precompress(&ctx.root.join("dist"), &built)?;
    Ok(built)
}

/// Writes `<file>.br` (quality 11) beside every built asset but index.html, which the server
/// sends as is to browsers that accept brotli: no request pays for compressing the app.
fn precompress(dist: &Path, built: &Built) -> Result<(), String> {
    let files: Vec<&String> = built
        .first_load
        .iter()
        .chain(&built.on_demand)
        .filter(|n| n.as_str() != "index.html")
        .collect();
    println!("front end: brotli -q 11 ({} files)", files.len());
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let jobs: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || -> Result<(), String> {
                    for name in part {
                        let f = dist.join(name);
                        let br = brotli_q11(&read(&f)?)?;
                        write(&dist.join(format!("{name}.br")), &br)?;
                    }
                    Ok(())
                })
            })
            .collect();
        jobs.into_iter()
            .try_for_each(|j| j.join().map_err(|_| "brotli thread panicked".to_string())?)
    })
}

/// Brotli quality 11, window 22: what a browser gets for a built asset.
pub fn brotli_q11(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The wasm features rustc's wasm32 target emits today; wasm-opt must accept them.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Writes `dist/`: the hashed package directory, stylesheet, public files and index.html.
fn assemble(ctx: &Ctx, pkg_tmp: &Path, main_wasm: &str, lazy: &[String]) -> Result<Built, String> {
    let dist = ctx.root.join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    mkdir(&dist)?;

    let mut names: Vec<String> = vec![format!("{APP}.js"), LINK_JS.into(), main_wasm.into()];
    names.extend(lazy.iter().cloned());
    let mut hasher = Sha256::new();
    for n in &names {
        hasher.update(n.as_bytes());
        hasher.update(read(&pkg_tmp.join(n))?);
    }
    let pkg = format!("pkg-{}", short_hash(hasher));
    mkdir(&dist.join(&pkg))?;
    for n in &names {
        copy(&pkg_tmp.join(n), &dist.join(&pkg).join(n))?;
    }

    let css = minify_css(&String::from_utf8_lossy(&read(
        &ctx.root.join("style/main.css"),
    )?));
    let mut h = Sha256::new();
    h.update(css.as_bytes());
    let css_name = format!("style-{}.css", short_hash(h));
    write(&dist.join(&css_name), css.as_bytes())?;

    let public = ctx.root.join("public");
    let entries = std::fs::read_dir(&public).map_err(|e| format!("{}: {e}", public.display()))?;
    for e in entries {
        let path = e.map_err(|e| e.to_string())?.path();
        if path.is_file() {
            copy(&path, &dist.join(file_name(&path)?))?;
        }
    }

    let at = |n: &str| format!("/{pkg}/{n}");
    let precache: Vec<String> = std::iter::once(at(LINK_JS))
        .chain(lazy.iter().map(|n| at(n)))
        .collect();
    let template = String::from_utf8_lossy(&read(&ctx.root.join("index.html"))?).into_owned();
    let html = index_html(
        &template,
        &format!("/{css_name}"),
        &at(&format!("{APP}.js")),
        &at(main_wasm),
        &precache,
    )?;
    write(&dist.join("index.html"), html.as_bytes())?;

    let mut first_load = vec!["index.html".to_string(), css_name];
    first_load.extend(
        [format!("{APP}.js"), LINK_JS.into(), main_wasm.into()].map(|n| format!("{pkg}/{n}")),
    );
    Ok(Built {
        first_load,
        on_demand: lazy.iter().map(|n| format!("{pkg}/{n}")).collect(),
    })
}

/// The template with its asset marker replaced by the stylesheet, module preloads, the
/// service worker's precache list and the start script.
pub fn index_html(
    template: &str,
    css: &str,
    js: &str,
    wasm: &str,
    precache: &[String],
) -> Result<String, String> {
    if !template.contains(ASSETS_MARK) {
        return Err(format!("index.html has no {ASSETS_MARK} marker"));
    }
    let links = format!(
        "<link rel=\"stylesheet\" href=\"{css}\">\n    \
         <link rel=\"modulepreload\" href=\"{js}\">\n    \
         <link rel=\"preload\" href=\"{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n    \
         <meta name=\"siteline-precache\" content=\"{}\">\n    \
         <script type=\"module\">import init from '{js}'; \
         init({{ module_or_path: '{wasm}' }}).then((w) => {{ self.sitelineWasm = w; }});</script>",
        precache.join(" ")
    );
    Ok(template.replace(ASSETS_MARK, &links))
}

/// CSS without comments, indentation or blank lines (what brotli would still pay for).
pub fn minify_css(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = match rest[start + 2..].find("*/") {
            Some(end) => &rest[start + 2 + end + 2..],
            None => "",
        };
    }
    out.push_str(rest);
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn short_hash(h: Sha256) -> String {
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn file_name(p: &Path) -> Result<String, String> {
    p.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_string)
        .ok_or_else(|| format!("{} has no file name", p.display()))
}

fn mkdir(p: &Path) -> Result<(), String> {
    std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn read(p: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn write(p: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(p, bytes).map_err(|e| format!("{}: {e}", p.display()))
}

fn copy(from: &Path, to: &PathBuf) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_loses_comments_and_blank_lines_only() {
        let css = "/* head */\n.a {\n    color: red; /* why */\n}\n\n\n.b{x:1}";
        assert_eq!(minify_css(css), ".a {\ncolor: red;\n}\n.b{x:1}");
        assert_eq!(minify_css("a{} /* open"), "a{}");
    }

    #[test]
    fn index_html_gets_links_at_the_marker() {
        let t = "<head>\n    <!-- siteline:assets -->\n</head>";
        let pre = [
            "/pkg-1/__wasm_split.js".to_string(),
            "/pkg-1/split_board.wasm".into(),
        ];
        let h = index_html(t, "/style-2.css", "/pkg-1/a.js", "/pkg-1/a_bg.wasm", &pre).unwrap();
        assert!(h.contains("href=\"/style-2.css\""));
        assert!(h.contains("import init from '/pkg-1/a.js'"));
        assert!(h.contains("module_or_path: '/pkg-1/a_bg.wasm'"));
        // The device bench reads the linear memory's size from the exports.
        assert!(h.contains("self.sitelineWasm = w"));
        assert!(h.contains("content=\"/pkg-1/__wasm_split.js /pkg-1/split_board.wasm\""));
        assert!(!h.contains(ASSETS_MARK));
        assert!(index_html("<head></head>", "", "", "", &[]).is_err());
    }
}
