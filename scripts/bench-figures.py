#!/usr/bin/env python3
"""Prints make bench's table of figures: each figure beside its baseline measured in the same run (the median over
the run's iterations), and writes the same as one JSON document.

    python3 scripts/bench-figures.py FIGURES.jsonl [OUT.json]

FIGURES.jsonl holds one JSON object per iteration (written by the benchmarks, see Benchmarks/…/Figures.swift):
{"id", "figure", "value", "unit", "baseline"?, "baselineValue"?, "ratio"?, "goal", "met"}.
"""
import json
import statistics
import sys


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    rows: dict[str, list[dict]] = {}
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    item = json.loads(line)
                    rows.setdefault(item["id"], []).append(item)
    except FileNotFoundError:
        print("no figures were recorded (did the benchmarks run with CHANCERY_BENCH_DATABASE_URL?)", file=sys.stderr)
        return 1
    table = []
    for fid in sorted(rows):
        runs = rows[fid]
        last = runs[-1]
        value = statistics.median(r["value"] for r in runs)
        base = [r["baselineValue"] for r in runs if r.get("baselineValue") is not None]
        ratio = [r["ratio"] for r in runs if r.get("ratio") is not None]
        table.append({
            "id": fid, "figure": last["figure"], "value": value, "unit": last["unit"],
            "baseline": last.get("baseline"), "baselineValue": statistics.median(base) if base else None,
            "ratio": statistics.median(ratio) if ratio else None, "goal": last["goal"],
            "met": sum(1 for r in runs if r["met"]) * 2 > len(runs), "iterations": len(runs),
        })
    print()
    print("| figure | value (median) | baseline (same run) | ratio | goal | met |")
    print("| --- | --- | --- | --- | --- | --- |")
    for t in table:
        base = f"{t['baseline']}: {t['baselineValue']:,.0f} {t['unit']}" if t["baselineValue"] is not None else "—"
        ratio = f"{t['ratio']:.3f}" if t["ratio"] is not None else "—"
        print(f"| {t['id']} {t['figure']} | {t['value']:,.0f} {t['unit']} | {base} | {ratio} | {t['goal']} | "
              f"{'yes' if t['met'] else 'no'} ({t['iterations']} runs) |")
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w", encoding="utf-8") as f:
            json.dump(table, f, ensure_ascii=False, indent=2)
        print(f"\n(also in {sys.argv[2]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
