//! Evaluation throughput of the seed plan: reading JSON Lines and pushing 10⁵ and 10⁶ events,
//! each event new (the iterator) or one event refilled (`EventReader::read_into`).
//!
//! The log is the seed's own, repeated with fresh ids, so every event is valid for the plan.
//! Run with `cargo bench -p oblige --bench eval`.

#![expect(
    missing_docs,
    reason = "criterion_group! defines an undocumented function"
)]
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark whose set-up fails has nothing to measure"
)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use oblige::{EvalOptions, Evaluator, Event, EventReader, Format, Plan, ReadOptions};
use std::path::Path;

fn seed(file: &str) -> std::path::PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../seeds/xianning-2023"
    ))
    .join(file)
}

/// The seed log repeated up to `n` lines, each with a new id.
fn log(n: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(seed("events-2023.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("\"id\":\"")).collect();
    let mut out = Vec::with_capacity(n * 160);
    for i in 0..n {
        let line = lines[i % lines.len()];
        let (_, rest) = line.split_once("\"id\":\"").unwrap();
        let (_, rest) = rest.split_once('"').unwrap();
        out.extend_from_slice(format!("{{\"id\":\"b{i}\"{rest}\n").as_bytes());
    }
    out
}

fn throughput(c: &mut Criterion) {
    let plan = oblige::check_path(seed("")).plan.unwrap();
    let registry = oblige::read_registry_file(seed("units.csv"), &plan).unwrap();
    let mut group = c.benchmark_group("eval seed plan");
    group.sample_size(10);
    for n in [100_000, 1_000_000] {
        let bytes = log(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("read + push", n), &bytes, |b, bytes| {
            b.iter(|| {
                let mut evaluator = Evaluator::new(&plan, &registry, EvalOptions::default());
                for event in reader(bytes, &plan) {
                    evaluator.push(&event.unwrap());
                }
                evaluator
            });
        });
        group.bench_with_input(
            BenchmarkId::new("read_into + push", n),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    let mut evaluator = Evaluator::new(&plan, &registry, EvalOptions::default());
                    let mut reader = reader(bytes, &plan);
                    let mut event = Event::default();
                    while let Some(read) = reader.read_into(&mut event) {
                        read.unwrap();
                        evaluator.push(&event);
                    }
                    evaluator
                });
            },
        );
    }
    group.finish();
}

fn reader<'p>(bytes: &'p [u8], plan: &'p Plan) -> EventReader<'p, &'p [u8]> {
    EventReader::new(
        bytes,
        Format::JsonLines,
        "bench",
        plan,
        ReadOptions::default(),
    )
    .unwrap()
}

criterion_group!(benches, throughput);
criterion_main!(benches);
