//! Writes a realistic QPP JSON registry file: `cargo run --release --example gen_qpp --
//! <participants> [year] > file.json`. See `mips_elections::qpp::generate`.
//!
//! `gen_qpp --network <n> [year]` writes one submission for each of the first `n` clinicians of
//! the demo registry's client network (TIN 207000077), all opt-in eligible in the demo data.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let network = args.first().map(|a| a == "--network").unwrap_or(false);
    if network {
        args.remove(0);
    }
    let participants: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let year: u16 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2025);
    let Some(catalogue) = mips_elections::qpp::embedded::year(year) else {
        eprintln!("gen_qpp: no measures catalogue for {year} (2019–2027)");
        std::process::exit(2);
    };
    let text = if network {
        use mips_elections::server::seed::{network_npi, NETWORK_TIN};
        let who: Vec<(String, Option<String>)> =
            (0..participants).map(|i| (NETWORK_TIN.to_string(), Some(network_npi(i).as_str().to_string()))).collect();
        mips_elections::qpp::generate::generate_for(catalogue, &who, 42)
    } else {
        mips_elections::qpp::generate::generate(catalogue, participants, 42)
    };
    print!("{text}");
}

#[cfg(target_arch = "wasm32")]
fn main() {}
