//! Fuzz target: any bytes as a push body through decode, checks, gate and commit-order fold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    siteline_server::fuzz::push_pipeline(data);
});
