//! One binary target: in the wasm build it mounts the SPA, in the native build it runs the server.

#[cfg(target_arch = "wasm32")]
fn main() {
    // The validator's Web Worker loads this same module to run the QPP JSON rules
    // (`app::worker`); a worker has no window and no page to mount.
    if web_sys::window().is_none() {
        return;
    }
    mips_elections::app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    mips_elections::server::cli::main()
}
