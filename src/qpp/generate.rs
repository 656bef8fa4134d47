//! Realistic QPP JSON files of any size, for benchmarks and load tests: N participants (groups
//! and clinicians, TINs with leading zeros, NPIs with valid check digits), each with quality
//! (MIPS CQM, QCDR and multi-rate measures), PI and IA sets using real measure IDs of the year.
//! The output passes every error rule (warnings allowed), so a benchmark measures the whole path.

use super::catalogue::{Index, Measure};
use serde_json::{json, Value};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: deterministic, so a benchmark file is the same every time.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn usable(m: &Measure, category: &str, metric: &[&str]) -> bool {
    m.category == category
        && metric.contains(&m.metric_type.as_str())
        && (m.methods.is_empty() || m.methods.iter().any(|x| x == "registry"))
        && m.programs.as_ref().is_none_or(|p| p.iter().any(|p| p == "mips"))
}

fn rate(rng: &mut Rng, m: &Measure) -> Value {
    let ep = 20 + rng.below(500);
    let met = rng.below(ep + 1);
    let exc = rng.below(ep - met + 1) / 4;
    let mut v = json!({ "performanceMet": met, "eligiblePopulation": ep, "eligiblePopulationException": exc, "performanceNotMet": ep - met - exc });
    if m.metric_type.starts_with("registry") {
        v["performanceRate"] = json!(((met as f64 / (ep - exc).max(1) as f64) * 10000.0).round() / 100.0);
    } else {
        v["eligiblePopulationExclusion"] = json!(0);
    }
    v
}

/// A file of `participants` submissions for `catalogue`'s year, pretty-printed like exporters do.
pub fn generate(catalogue: &Index, participants: usize, seed: u64) -> String {
    let who: Vec<(String, Option<String>)> = (0..participants)
        .map(|i| {
            let tin = format!("{:09}", 1_000_000 + i / 4);
            let npi = (i % 4 != 0).then(|| {
                crate::domain::Npi::with_check_digit(&format!("1{:08}", 10_000_000 + i))
                    .map(|n| n.as_str().to_string())
                    .unwrap_or_default()
            });
            (tin, npi)
        })
        .collect();
    generate_for(catalogue, &who, seed)
}

/// A valid file with one submission per (TIN, NPI) given: a group when the NPI is `None`.
pub fn generate_for(catalogue: &Index, who: &[(String, Option<String>)], seed: u64) -> String {
    let participants = who.len();
    let year = catalogue.year();
    let mut rng = Rng(seed | 1);
    let measures = &catalogue.catalogue.measures;
    let single: Vec<&Measure> = measures
        .iter()
        .filter(|m| usable(m, "quality", &["singlePerformanceRate", "registrySinglePerformanceRate"]))
        .collect();
    let multi: Vec<&Measure> = measures
        .iter()
        .filter(|m| {
            usable(m, "quality", &["registryMultiPerformanceRate", "multiPerformanceRate"]) && !m.strata.is_empty()
        })
        .collect();
    let ia: Vec<&Measure> = measures.iter().filter(|m| usable(m, "ia", &["boolean"])).collect();
    // Required PI measures, leaving out any that substitutes for one already chosen (PI_HIE_5
    // replaces PI_HIE_1 and PI_HIE_4: reporting both would be an error).
    let mut pi: Vec<&Measure> = vec![];
    for m in measures
        .iter()
        .filter(|m| m.category == "pi" && m.required && !m.id.ends_with("_PRE") && !m.id.ends_with("_PROD"))
    {
        if !pi.iter().any(|p| p.substitutes.contains(&m.id) || m.substitutes.contains(&p.id)) {
            pi.push(m);
        }
    }
    let start = format!("{year}-01-01");
    let end = format!("{year}-12-31");
    let mut out = Vec::with_capacity(participants);
    for (i, (tin, npi)) in who.iter().enumerate().take(participants) {
        let mut sub = match npi {
            None => json!({ "entityType": "group", "taxpayerIdentificationNumber": tin, "performanceYear": year }),
            Some(npi) => {
                json!({ "entityType": "individual", "taxpayerIdentificationNumber": tin, "nationalProviderIdentifier": npi, "performanceYear": year })
            }
        };
        let mut quality = vec![];
        let mut used = vec![];
        for _ in 0..6 {
            let m = single[rng.below(single.len() as u64) as usize];
            if used.contains(&m.id) {
                continue;
            }
            used.push(m.id.clone());
            let mut value = rate(&mut rng, m);
            value["isEndToEndReported"] = json!(false);
            quality.push(json!({ "measureId": m.id, "value": value }));
        }
        if let Some(m) = multi.get(rng.below(multi.len() as u64) as usize) {
            let strata: Vec<Value> = m
                .strata
                .iter()
                .map(|s| {
                    let mut v = rate(&mut rng, m);
                    v["stratum"] = json!(s);
                    v
                })
                .collect();
            quality.push(json!({ "measureId": m.id, "value": { "isEndToEndReported": false, "strata": strata } }));
        }
        let mut pi_measures = vec![];
        for m in &pi {
            let value = if m.metric_type == "proportion" {
                let d = 10 + rng.below(1000);
                json!({ "numerator": rng.below(d + 1), "denominator": d })
            } else {
                json!(true)
            };
            pi_measures.push(json!({ "measureId": m.id, "value": value }));
        }
        let mut ia_measures = vec![];
        for _ in 0..(2 + rng.below(3)) {
            let m = ia[rng.below(ia.len() as u64) as usize];
            if !ia_measures.iter().any(|x: &Value| x["measureId"] == json!(m.id)) {
                ia_measures.push(json!({ "measureId": m.id, "value": true }));
            }
        }
        sub["measurementSets"] = json!([
            { "category": "quality", "submissionMethod": "registry", "performanceStart": start, "performanceEnd": end, "measurements": quality },
            { "category": "pi", "submissionMethod": "registry", "cehrtId": format!("{year}C{:010}", i as u64), "performanceStart": start, "performanceEnd": end, "measurements": pi_measures },
            { "category": "ia", "submissionMethod": "registry", "performanceStart": start, "performanceEnd": end, "measurements": ia_measures },
        ]);
        out.push(sub);
    }
    serde_json::to_string_pretty(&Value::Array(out)).unwrap_or_default()
}

/// As many participants as make a file of about `bytes` bytes.
pub fn generate_bytes(catalogue: &Index, bytes: usize, seed: u64) -> String {
    let sample = generate(catalogue, 20, seed);
    let per = (sample.len() / 20).max(1);
    generate(catalogue, (bytes / per).max(1), seed)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn generated_files_are_valid_and_realistic() {
        let c = crate::qpp::embedded::year(2025).unwrap();
        let text = super::generate(c, 200, 7);
        let r = crate::qpp::validate(text.as_bytes(), &crate::qpp::embedded::year, &mut |_| {});
        let errors: Vec<_> =
            r.diagnostics.iter().filter(|d| d.severity == crate::qpp::Severity::Error).take(5).collect();
        assert_eq!(r.errors, 0, "{errors:#?}");
        assert_eq!(r.warnings, 0, "{:#?}", r.diagnostics.first());
        assert_eq!(r.submissions.len(), 200);
        assert!(text.len() / 200 > 2_000, "about 5 KB per participant, got {}", text.len() / 200);
        let one_mb = super::generate_bytes(c, 1 << 20, 1);
        assert!((900_000..1_300_000).contains(&one_mb.len()), "{}", one_mb.len());
    }
}

/// `seed` with byte edits applied, each `(at, op, byte)`: op 0 replaces, 1 inserts, 2 deletes at
/// `at × stride` (modulo the length). The fuzz targets feed it arbitrary edits.
pub fn mutate(seed: &[u8], edits: &[(u16, u8, u8)], stride: usize) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for (at, op, b) in edits.iter().take(8) {
        let at = (*at as usize * stride) % (bytes.len() + 1);
        match op % 3 {
            0 if at < bytes.len() => bytes[at] = *b,
            1 => bytes.insert(at, *b),
            _ if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => {}
        }
    }
    bytes
}

/// `count` copies of `seed`, each with three bytes replaced at pseudo-random places (a fixed
/// linear congruential sequence from `rng`), for tests that must never panic.
pub fn mutants(seed: &[u8], count: usize, rng: u64) -> impl Iterator<Item = Vec<u8>> + '_ {
    let mut state = rng;
    (0..count).map(move |_| {
        let mut b = seed.to_vec();
        for _ in 0..3 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let i = (state >> 33) as usize % b.len().max(1);
            if let Some(x) = b.get_mut(i) {
                *x = (state >> 13) as u8;
            }
        }
        b
    })
}
