//! Binary entry point Trunk builds to WASM.

fn main() {
    siteline_app::start();
}
