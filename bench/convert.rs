//! Native speed of the QRDA III converter (criterion): the largest valid CMS fixture
//! (`ctt-MIPS-1f-MIPS_GROUP_04172025.xml`, 0.5 MB) and a generated 10 MB document (the same file
//! with its supplemental-data elements repeated, which the converter reads and skips), against
//! quick-xml reading the same bytes without building anything. Run: `cargo bench --bench convert`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mips_elections::qpp::convert::convert;
use mips_elections::qpp::embedded;
use std::time::Duration;

const FIXTURE: &str = include_str!("../tests/fixtures/qrda/valid/ctt-MIPS-1f-MIPS_GROUP_04172025.xml");

/// The fixture grown to about `bytes` by repeating each payer supplemental-data element.
fn grown(bytes: usize) -> String {
    let with = |copies: usize| {
        let marker = "<!--Payer Supplemental Data Element";
        let mut out = String::new();
        let mut rest = FIXTURE;
        while let Some(i) = rest.find(marker) {
            // The element holds its count's entryRelationship: it ends at the second close tag.
            let close = "</entryRelationship>";
            let first = rest[i..].find(close).map(|e| i + e + close.len()).unwrap_or(i);
            let end = rest[first..].find(close).map(|e| first + e + close.len()).unwrap_or(first);
            out.push_str(&rest[..i]);
            for _ in 0..copies {
                out.push_str(&rest[i..end]);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    };
    let per_copy = with(2).len() - with(1).len();
    with(bytes.saturating_sub(FIXTURE.len()) / per_copy.max(1) + 1)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("qrda_convert");
    group.measurement_time(Duration::from_secs(10)).sample_size(10);
    // `cargo test --all-targets` runs benches once as a smoke test (no `--bench` flag): the fixture only.
    let full = std::env::args().any(|a| a == "--bench");
    let mut files = vec![("fixture-0.5MB", FIXTURE.to_string())];
    if full {
        files.push(("generated-10MB", grown(10 << 20)));
    }
    for (label, file) in &files {
        group.throughput(Throughput::Bytes(file.len() as u64));
        group.bench_with_input(BenchmarkId::new("convert", label), file, |b, f| {
            b.iter(|| {
                let c = convert(f.as_bytes(), &embedded::year);
                assert_eq!(c.errors(), 0, "{:?}", c.findings.first());
                c.qpp.is_some()
            })
        });
        group.bench_with_input(BenchmarkId::new("quick_xml_read_only", label), file, |b, f| {
            b.iter(|| {
                let mut r = quick_xml::Reader::from_str(f);
                let mut n = 0usize;
                while !matches!(r.read_event(), Ok(quick_xml::events::Event::Eof) | Err(_)) {
                    n += 1;
                }
                n
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
