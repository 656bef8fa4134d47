//! Native throughput of the QPP JSON validator (criterion): MB/s on generated 1 MB and 50 MB
//! registry files (PY2025, real measure IDs), against serde_json parsing the same bytes into a
//! `Value` (parsing only, no rules) as a reference. Run: `cargo bench --bench validate`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mips_elections::qpp::{embedded, generate, validate};
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let catalogue = embedded::year(2025).expect("PY2025 catalogue");
    let mut group = c.benchmark_group("qpp_validate");
    group.measurement_time(Duration::from_secs(20)).sample_size(10);
    // `cargo test --all-targets` runs benches once as a smoke test (no `--bench` flag): 1 MB only.
    let full = std::env::args().any(|a| a == "--bench");
    let sizes: &[(&str, usize)] = if full { &[("1MB", 1 << 20), ("50MB", 50 << 20)] } else { &[("1MB", 1 << 20)] };
    for &(label, bytes) in sizes {
        let file = generate::generate_bytes(catalogue, bytes, 42);
        group.throughput(Throughput::Bytes(file.len() as u64));
        group.bench_with_input(BenchmarkId::new("validate", label), &file, |b, f| {
            b.iter(|| {
                let r = validate(f.as_bytes(), &embedded::year, &mut |_| {});
                assert_eq!(r.errors, 0);
                r.submissions.len()
            })
        });
        group.bench_with_input(BenchmarkId::new("serde_json_value_only", label), &file, |b, f| {
            b.iter(|| {
                serde_json::from_slice::<serde_json::Value>(f.as_bytes()).map(|v| v.as_array().map(Vec::len)).ok()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
