//! Reading a log with several threads gives the report one reader gives, byte for byte.
#![expect(
    clippy::unwrap_used,
    reason = "helpers of a test: a broken set-up should stop it at once"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn oblige(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_oblige"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn report(units: &Path, events: &Path, threads: &str) -> Vec<u8> {
    let out = oblige(&[
        "eval",
        "--plan",
        "seeds/xianning-2023",
        "--units",
        units.to_str().unwrap(),
        "--events",
        events.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "never",
        "--threads",
        threads,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn one_and_several_threads_give_identical_reports() {
    let dir = std::env::temp_dir().join(format!("oblige-threads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let units = dir.join("units.csv");
    for ext in ["jsonl", "csv"] {
        let events = dir.join(format!("events.{ext}"));
        // Large enough to be split (files under 4 MiB are read by one reader).
        let gen = oblige(&[
            "gen",
            "--events",
            "40000",
            "--units",
            "2000",
            "--units-out",
            units.to_str().unwrap(),
            "--events-out",
            events.to_str().unwrap(),
        ]);
        assert!(
            gen.status.success(),
            "{}",
            String::from_utf8_lossy(&gen.stderr)
        );
        assert!(std::fs::metadata(&events).unwrap().len() > 4 << 20);
        let one = report(&units, &events, "1");
        assert_eq!(one, report(&units, &events, "2"), "{ext}, 2 threads");
        assert_eq!(one, report(&units, &events, "3"), "{ext}, 3 threads");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
