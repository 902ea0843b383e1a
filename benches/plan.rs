//! Parsing and checking the seed plan (81 rules over seven files).

#![expect(
    missing_docs,
    reason = "criterion_group! defines an undocumented function"
)]

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;

fn seed() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../seeds/xianning-2023"
    ))
}

fn parse_and_check(c: &mut Criterion) {
    c.bench_function("parse + check seed plan", |b| {
        b.iter(|| {
            let outcome = oblige::check_path(seed());
            assert!(outcome.plan.is_some());
            outcome
        });
    });
}

criterion_group!(benches, parse_and_check);
criterion_main!(benches);
