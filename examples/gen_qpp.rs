//! Writes a realistic QPP JSON registry file: `cargo run --release --example gen_qpp --
//! <participants> [year] > file.json`. See `mips_elections::qpp::generate`.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let mut args = std::env::args().skip(1);
    let participants: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let year: u16 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2025);
    let Some(catalogue) = mips_elections::qpp::embedded::year(year) else {
        eprintln!("gen_qpp: no measures catalogue for {year} (2019–2027)");
        std::process::exit(2);
    };
    print!("{}", mips_elections::qpp::generate::generate(catalogue, participants, 42));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
