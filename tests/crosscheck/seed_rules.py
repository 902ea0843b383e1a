#!/usr/bin/env python3
"""An independent check of the seed plan's report: four of its rules recomputed in plain Python.

    python3 tests/crosscheck/seed_rules.py [path/to/oblige]

Runs `oblige eval --format json` on the seed plan and its 2023 log (full year, and as of
2023-06-21), then recomputes from units.csv and events-2023.jsonl alone, following
docs/semantics.md and nothing of the engine:

- 第3条_领导小组会议: a count with a subject filter, unit activity and an exemption, per half-year;
- 第3条_市级部门重点企业全覆盖检查: a coverage rule (target, related actor, share covered);
- 第6条_事故一小时报告: a report-in-time duty on the trigger's own `recorded_at`;
- 第6条_事故逐级上报: a response duty (trigger under the subject, response naming the trigger).

Every verdict, count and evidence list of these rules must agree; the script prints the first
disagreements and exits 1 if there is any. Standard library only.
"""

import csv
import json
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "xianning-2023"
LOCAL = timezone(timedelta(hours=8))  # Asia/Shanghai has had no daylight saving since 1991
YEAR = 2023
REPORT_LIMIT = 1  # 事故报告时限, hours
CHAIN_LIMIT = 3  # 逐级上报时限, hours
EVIDENCE_LIMIT = 20


def instant(text):
    """An RFC 3339 time, or a local date / date-time, as an aware datetime."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=LOCAL)


def local_day(moment):
    return moment.astimezone(LOCAL).date()


def load_units():
    units = {}
    with open(SEED / "units.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            row["classes"] = set(row["class"].split(";"))
            units[row["id"]] = row
    return units


def load_events():
    with open(SEED / "events-2023.jsonl", encoding="utf-8") as f:
        events = [json.loads(line) for line in f if line.strip()]
    for e in events:
        e["at"] = instant(e["time"])
        e["day"] = local_day(e["at"])
    return [e for e in events if e["day"].year == YEAR]


def members(units, cls):
    return sorted(u for u, row in units.items() if cls in row["classes"])


def exists_during(unit, first, last):
    start = unit["active_from"] and date.fromisoformat(unit["active_from"])
    end = unit["active_to"] and date.fromisoformat(unit["active_to"])
    return not (start and start > last) and not (end and end < first)


def under(units, child, ancestor):
    """`child under ancestor`: a strict descendant in the parent hierarchy."""
    seen = set()
    parent = units.get(child, {}).get("parent")
    while parent and parent not in seen:
        if parent == ancestor:
            return True
        seen.add(parent)
        parent = units.get(parent, {}).get("parent")
    return False


def earliest(events):
    ordered = sorted(events, key=lambda e: (e["at"], e["id"]))
    return [e["id"] for e in ordered[:EVIDENCE_LIMIT]]


def closed_count(count, needed, closed):
    if count >= needed:
        return "met"
    return "violated" if closed else "open"


HALVES = [("2023-H1", date(2023, 1, 1), date(2023, 6, 30)), ("2023-H2", date(2023, 7, 1), date(2023, 12, 31))]


def leadership_meetings(units, events, as_of):
    out = {}
    meetings = [e for e in events if e["kind"] == "领导小组会议" and e["at"] <= as_of]
    for unit_id in members(units, "成员单位"):
        unit = units[unit_id]
        if unit["层级"] != "市级":
            continue
        for label, first, last in HALVES:
            start = datetime.combine(first, datetime.min.time(), LOCAL)
            end = datetime.combine(last + timedelta(days=1), datetime.min.time(), LOCAL)
            mine = [e for e in meetings if e["actor"] == unit_id and first <= e["day"] <= last]
            founded = unit["成立日期"] and date.fromisoformat(unit["成立日期"])
            if not exists_during(unit, first, last):
                status = "not_applicable"
            elif founded and founded > first:
                status = "exempt"
            elif start > as_of:
                status = "open"
            else:
                status = closed_count(len(mine), 1, end <= as_of)
            out[(unit_id, label)] = (status, len(mine), earliest(mine))
    return out


def key_enterprise_coverage(units, events, as_of):
    out = {}
    inspections = [e for e in events if e["kind"] == "检查" and e["at"] <= as_of]
    end = datetime(YEAR + 1, 1, 1, tzinfo=LOCAL)
    for unit_id in members(units, "企业"):
        unit = units[unit_id]
        if unit["重点"] != "true":
            continue
        by_city = [
            e for e in inspections
            if e.get("target") == unit_id and unit["市级监管部门"] and e["actor"] == unit["市级监管部门"]
        ]
        if not exists_during(unit, date(YEAR, 1, 1), date(YEAR, 12, 31)):
            status = "not_applicable"
        else:
            status = closed_count(len(by_city), 1, end <= as_of)
        out[(unit_id, str(YEAR))] = (status, len(by_city), earliest(by_city))
    return out


def response_status(answer_at, deadline, as_of):
    if answer_at is not None:
        return "met" if answer_at <= deadline else "late"
    return "missing" if deadline <= as_of else "open"


def accident_reports(units, events, as_of):
    out = {}
    subjects = set(members(units, "企业"))
    for e in events:
        if e["kind"] != "事故" or e["actor"] not in subjects or e["at"] > as_of:
            continue
        deadline = e["at"] + timedelta(hours=REPORT_LIMIT)
        recorded = e.get("recorded_at") and instant(e["recorded_at"])
        if recorded and recorded > as_of:
            recorded = None
        out[(e["actor"], e["id"])] = (response_status(recorded, deadline, as_of), 0, [])
    return out


def chained_reports(units, events, as_of):
    out = {}
    seen = [e for e in events if e["at"] <= as_of]
    for county in members(units, "县区"):
        triggers = sorted(
            (e for e in seen if e["kind"] == "事故" and under(units, e["actor"], county)),
            key=lambda e: (e["at"], e["id"]),
        )
        answers = sorted(
            (e for e in seen if e["kind"] == "事故信息上报" and e["actor"] == county),
            key=lambda e: (e["at"], e["id"]),
        )
        used = set()
        for t in triggers:
            deadline = t["at"] + timedelta(hours=CHAIN_LIMIT)
            answer = next(
                (a for a in answers
                 if a["id"] not in used and a["at"] >= t["at"] and a.get("事故编号") == t["id"]),
                None,
            )
            if answer:
                used.add(answer["id"])
            status = response_status(answer and answer["at"], deadline, as_of)
            out[(county, t["id"])] = (status, 0, [])
    return out


RULES = {
    "第3条_领导小组会议": (leadership_meetings, True),
    "第3条_市级部门重点企业全覆盖检查": (key_enterprise_coverage, True),
    "第6条_事故一小时报告": (accident_reports, False),
    "第6条_事故逐级上报": (chained_reports, False),
}


def engine_rows(oblige, as_of):
    args = [
        oblige, "eval", "--plan", str(SEED), "--units", str(SEED / "units.csv"),
        "--events", str(SEED / "events-2023.jsonl"), "--format", "json", "--fail-on", "never",
    ]
    if as_of:
        args += ["--as-of", as_of]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"oblige eval failed ({done.returncode}):\n{done.stderr}")
    report = json.loads(done.stdout)
    rows = defaultdict(dict)
    for r in report["results"]:
        if r["status"] == "not_applicable" and r["duty"] == "response":
            continue  # the one placeholder row of a subject without triggers
        rows[r["rule"]][(r["subject"]["id"], r["period"]["label"])] = (
            r["status"], r["count"], r["evidence"]["events"],
        )
    return rows


def compare(oblige, as_of_text):
    as_of = instant(as_of_text) if as_of_text else datetime(YEAR + 1, 1, 1, tzinfo=LOCAL)
    units, events = load_units(), load_events()
    engine = engine_rows(oblige, as_of_text)
    problems = []
    for rule, (model, has_counts) in RULES.items():
        expected = model(units, events, as_of)
        got = engine.get(rule, {})
        if not expected:
            problems.append(f"{rule}: the model found no rows; the check would be empty")
        for key in sorted(set(expected) | set(got)):
            want, have = expected.get(key), got.get(key)
            if want is not None and have is not None and not has_counts:
                have = (have[0], 0, [])
            if want != have:
                problems.append(f"{rule} {key}: expected {want}, oblige gave {have}")
        statuses = sorted(Counter(v[0] for v in expected.values()).items())
        shown = ", ".join(f"{n} {s}" for s, n in statuses)
        print(f"{as_of_text or 'full year'}: {rule}: {len(expected)} rows compared ({shown})")
    return problems


def main():
    oblige = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "release" / "oblige")
    problems = compare(oblige, None) + compare(oblige, "2023-06-21")
    for p in problems[:30]:
        print(p)
    if problems:
        sys.exit(f"{len(problems)} disagreements")
    print("crosscheck: oblige agrees with the independent computation")


if __name__ == "__main__":
    main()
