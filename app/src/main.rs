//! Binary entry point `cargo xtask` builds to WASM (and wasm-split cuts into modules).

fn main() {
    siteline_app::start();
}
