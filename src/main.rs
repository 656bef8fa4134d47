//! One binary target: in the wasm build it mounts the SPA, in the native build it runs the server.

#[cfg(target_arch = "wasm32")]
fn main() {
    mips_elections::app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    mips_elections::server::main()
}
