//! The seed plan (Xianning 2023) as a whole: its traceability table and English rendering are
//! what the tools make of the rule files today, the plan checks clean, and the evaluation of its
//! sample log (full year and mid-year) is pinned as reviewed snapshots.

use oblige::Lang;
use std::path::Path;
use support::{evaluate, format, report_text, root, rule_files};

const PLAN: &str = "seeds/xianning-2023";
const PLAN_EN: &str = "seeds/xianning-2023-en";
const SOURCE: &str = "seeds/000_36200e883f9acb6a.txt";
const TRACEABILITY: &str = "seeds/TRACEABILITY.md";

#[test]
fn traceability_table_is_current() {
    let trace = oblige::trace_in(&root(), Path::new(PLAN), Path::new(SOURCE)).unwrap();
    let committed = std::fs::read_to_string(root().join(TRACEABILITY)).unwrap();
    assert!(
        committed == trace.to_markdown(),
        "`{TRACEABILITY}` is out of date with the rule files; regenerate it with\n  \
         oblige trace {PLAN} --source {SOURCE} --output {TRACEABILITY}"
    );
    let untraced: Vec<u64> = trace.untraced().map(|a| a.number).collect();
    assert_eq!(
        untraced,
        Vec::<u64>::new(),
        "articles with neither a rule nor a reason"
    );
    assert_eq!(
        trace.quotes_not_found,
        Vec::new(),
        "quotes not in the source"
    );
    assert_eq!(trace.articles.len(), 23);
}

#[test]
fn english_rendering_is_the_formatters() {
    let zh_dir = root().join(PLAN);
    let en_dir = root().join(PLAN_EN);
    let zh_names = rule_files(&zh_dir);
    assert_eq!(
        rule_files(&en_dir),
        zh_names,
        "`{PLAN_EN}` must hold exactly the rule files of `{PLAN}`"
    );
    for name in &zh_names {
        let zh = std::fs::read_to_string(zh_dir.join(name)).unwrap();
        assert!(
            format(name, &zh, None) == zh,
            "`{PLAN}/{name}` is not formatted; run\n  oblige fmt {PLAN}/{name}"
        );
        let en = std::fs::read_to_string(en_dir.join(name)).unwrap();
        assert!(
            format(name, &zh, Some(Lang::En)) == en,
            "`{PLAN_EN}/{name}` is not the English rendering of `{PLAN}/{name}`; run\n  \
             oblige fmt --lang en --stdout {PLAN}/{name} > {PLAN_EN}/{name}"
        );
    }
}

#[test]
fn seed_plan_checks_without_errors_or_warnings() {
    let outcome = oblige::check_path(root().join(PLAN));
    let rendered: Vec<String> = outcome
        .diagnostics
        .iter()
        .map(|d| oblige::render_human(&outcome.sources, d))
        .collect();
    assert!(rendered.is_empty(), "{}", rendered.join("\n"));
    assert!(outcome.plan.is_some());
}

#[test]
fn full_year_report() {
    let report = evaluate(None);
    insta::assert_snapshot!(report_text(&report));
}

#[test]
fn mid_year_report() {
    // `--as-of 2023-06-20` on the command line: the end of that day.
    let report = evaluate(Some("2023-06-21T00:00:00+08:00"));
    insta::assert_snapshot!(report_text(&report));
}

/// Helpers, compiled for tests only so that they may fail the test with a message.
#[cfg(test)]
mod support {
    use super::PLAN;
    use oblige::report::model::{Cmp, CoverageRow, FindingRow, Inputs, ResultRow, StatusCounts};
    use oblige::{EvalOptions, Evaluator, Lang, Plan, ReadOptions, Report, SourceMap, Status};
    use std::fmt::Write as _;
    use std::path::{Path, PathBuf};

    /// The repository root.
    pub fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    pub fn seed_plan() -> Plan {
        let outcome = oblige::check_path(root().join(PLAN));
        match outcome.into_result() {
            Ok(plan) => plan,
            Err(e) => panic!("the seed plan does not check:\n{e}"),
        }
    }

    /// The `.rule` files directly in `dir`, by name.
    pub fn rule_files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", dir.display()))
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".rule"))
            .collect();
        names.sort();
        names
    }

    pub fn format(name: &str, text: &str, lang: Option<Lang>) -> String {
        let mut sources = SourceMap::new();
        let file = sources.add(name, text);
        oblige::format_source(file, text, lang).unwrap_or_else(|diagnostics| {
            let rendered: Vec<String> = diagnostics
                .iter()
                .map(|d| oblige::render_human(&sources, d))
                .collect();
            panic!("`{name}` does not parse:\n{}", rendered.join("\n"))
        })
    }

    /// Evaluates the seed log as the CLI does (strict reading: a malformed line fails the test).
    pub fn evaluate(as_of: Option<&str>) -> Report {
        let plan = seed_plan();
        let dir = root().join(PLAN);
        let registry = oblige::read_registry_file(dir.join("units.csv"), &plan)
            .unwrap_or_else(|errors| panic!("the seed registry does not read: {errors:#?}"));
        let options = EvalOptions {
            as_of: as_of.map(|t| chrono::DateTime::parse_from_rfc3339(t).unwrap().to_utc()),
            ..EvalOptions::default()
        };
        let mut evaluator = Evaluator::new(&plan, &registry, options);
        let reader =
            oblige::read_events_file(dir.join("events-2023.jsonl"), &plan, ReadOptions::default())
                .unwrap();
        for event in reader {
            match event {
                Ok(event) => evaluator.push(&event),
                Err(e) => panic!("malformed seed event: {e}"),
            }
        }
        evaluator.report()
    }

    /// The parts of a report a reviewer reads: inputs, status counts by rule, every row needing
    /// attention, open rows, coverage and findings. Every verdict is pinned by the plan's own test
    /// cases; this text is what shows a changed verdict in review.
    pub fn report_text(report: &Report) -> String {
        let mut s = String::new();
        writeln!(
            s,
            "{} · {} .. {} · as of {}",
            report.plan.title,
            report.range.from,
            report.range.to,
            report.as_of.to_rfc3339()
        )
        .unwrap();
        writeln!(s).unwrap();
        write_inputs(&mut s, &report.inputs);

        writeln!(s, "\n## summary by rule\n").unwrap();
        writeln!(s, "total: {}", counts(&report.summary.total, None)).unwrap();
        for (rule, c) in &report.summary.by_rule {
            let at_risk = report
                .results
                .iter()
                .filter(|r| &r.rule == rule && r.status == Status::Open && r.at_risk)
                .count();
            writeln!(s, "{rule}: {}", counts(c, Some(at_risk))).unwrap();
        }

        let listed: Vec<&ResultRow> = report
            .results
            .iter()
            .filter(|r| !matches!(r.status, Status::Met | Status::NotApplicable | Status::Open))
            .collect();
        writeln!(
            s,
            "\n## rows neither met, open nor not applicable: {}\n",
            listed.len()
        )
        .unwrap();
        writeln!(s, "{HEADER}").unwrap();
        for r in listed {
            writeln!(s, "{}", row(r)).unwrap();
        }
        write_open(&mut s, &report.results);

        writeln!(s, "\n## coverage: {}\n", report.coverage.len()).unwrap();
        for c in &report.coverage {
            writeln!(s, "{}", coverage(c)).unwrap();
        }

        writeln!(s, "\n## findings: {}\n", report.findings.len()).unwrap();
        for f in &report.findings {
            writeln!(s, "{}", finding(f)).unwrap();
        }
        s
    }

    pub const HEADER: &str = "rule | subject | period | status | count | at risk | evidence";

    /// Open rows by rule and period: a period with at most [`FEW`] open subjects lists its rows in
    /// full (every trigger of a response duty is its own period), a larger one only how many are open
    /// and at risk (mid-year, the periods still running hold thousands of open rows).
    pub fn write_open(s: &mut String, results: &[ResultRow]) {
        const FEW: usize = 3;
        let mut groups: Vec<(&str, &str, Vec<&ResultRow>)> = Vec::new();
        for r in results.iter().filter(|r| r.status == Status::Open) {
            match groups
                .iter_mut()
                .find(|(rule, period, _)| *rule == r.rule && *period == r.period.label)
            {
                Some((_, _, rows)) => rows.push(r),
                None => groups.push((&r.rule, &r.period.label, vec![r])),
            }
        }
        let open: usize = groups.iter().map(|(_, _, rows)| rows.len()).sum();
        writeln!(
            s,
            "\n## open rows: {open}, in {} rule periods\n",
            groups.len()
        )
        .unwrap();
        writeln!(s, "{HEADER}").unwrap();
        for (rule, period, rows) in &groups {
            if rows.len() <= FEW {
                for r in rows {
                    writeln!(s, "{}", row(r)).unwrap();
                }
            } else {
                let at_risk = rows.iter().filter(|r| r.at_risk).count();
                writeln!(
                    s,
                    "{rule} | {} subjects | {period} | open | {at_risk} at risk",
                    rows.len()
                )
                .unwrap();
            }
        }
    }

    pub fn write_inputs(s: &mut String, i: &Inputs) {
        writeln!(
            s,
            "events: {} read, {} used, {} unmatched, {} ignored, {} skipped lines",
            i.events_read, i.events_used, i.events_unmatched, i.events_ignored, i.skipped_lines
        )
        .unwrap();
        for (reason, ignored) in &i.ignored_by_reason {
            writeln!(
                s,
                "ignored {reason}: {} (e.g. {})",
                ignored.count,
                ignored.examples.join(", ")
            )
            .unwrap();
        }
    }

    /// Non-zero status counts, in the order of [`Status::ALL`].
    pub fn counts(c: &StatusCounts, at_risk: Option<usize>) -> String {
        let parts: Vec<String> = Status::ALL
            .iter()
            .filter(|&&st| c.get(st) > 0)
            .map(|&st| match (st, at_risk) {
                (Status::Open, Some(n)) if n > 0 => format!("open {} ({n} at risk)", c.get(st)),
                _ => format!("{} {}", st.as_str(), c.get(st)),
            })
            .collect();
        if parts.is_empty() {
            "no rows (no subjects)".to_owned()
        } else {
            parts.join(", ")
        }
    }

    pub fn row(r: &ResultRow) -> String {
        let required = match &r.required {
            None => String::new(),
            Some(req) => match req.cmp {
                Cmp::AtLeast => format!("/≥{}", req.amount),
                Cmp::AtMost => format!("/≤{}", req.amount),
                Cmp::Exactly => format!("/={}", req.amount),
                Cmp::Never => " (none allowed)".to_owned(),
            },
        };
        let e = &r.evidence;
        let mut evidence = Vec::new();
        if let Some(t) = &e.trigger {
            evidence.push(format!("trigger {t}"));
        }
        if let Some(d) = &e.deadline {
            evidence.push(format!("deadline {}", d.to_rfc3339()));
        }
        if let Some(resp) = &e.response {
            evidence.push(format!("response {resp}"));
        }
        if let Some(at) = &e.responded_at {
            evidence.push(format!("at {}", at.to_rfc3339()));
        }
        if let Some(m) = e.delay_minutes {
            evidence.push(format!("delay {m} min"));
        }
        if let Some(g) = &e.first_gap {
            evidence.push(format!("first gap {g}"));
        }
        if !e.events.is_empty() {
            let more = if e.truncated > 0 {
                format!(" +{} more", e.truncated)
            } else {
                String::new()
            };
            evidence.push(format!("events {}{more}", e.events.join(" ")));
        }
        for v in &e.violations {
            evidence.push(format!(
                "violation {} {} {}",
                v.rule,
                v.period,
                v.status.as_str()
            ));
        }
        if let Some(x) = &r.exemption {
            evidence.push(format!("exempt: {x}"));
        }
        format!(
            "{} | {} | {} | {} | {}{required} | {} | {}",
            r.rule,
            r.subject.id,
            r.period.label,
            r.status.as_str(),
            r.count,
            if r.at_risk { "at risk" } else { "-" },
            if evidence.is_empty() {
                "-".to_owned()
            } else {
                evidence.join("; ")
            }
        )
    }

    pub fn coverage(c: &CoverageRow) -> String {
        let uncovered = if c.uncovered.is_empty() {
            String::new()
        } else {
            format!(" · uncovered {}", c.uncovered.join(" "))
        };
        format!(
            "{} | {} | {}/{}{uncovered}",
            c.rule, c.period.label, c.covered, c.total
        )
    }

    pub fn finding(f: &FindingRow) -> String {
        let violations: Vec<String> = f
            .because
            .violations
            .iter()
            .map(|v| format!("{} {} {}", v.rule, v.period, v.status.as_str()))
            .collect();
        format!(
            "{} | {} | {} | because {} events [{}] violations [{}]",
            f.finding,
            f.subject.id,
            f.period.label,
            f.because.rule,
            f.because.events.join(" "),
            violations.join(", ")
        )
    }
}
