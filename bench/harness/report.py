#!/usr/bin/python3
"""bench/harness/report.py RESULTS.jsonl — the table of bench/harness/run.sh: per model the
median it/s of bench/nn's engine loop, of the harness at toy_train's quick evaluation and
probes, and of the bare harness, with the ratios harness / bench and where the quick run's
time went (medians over the repeats)."""
import json
import statistics
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
models = []
for r in rows:
    if r.get("model") not in models:
        models.append(r["model"])


def med(xs):
    return statistics.median(xs) if xs else float("nan")


print("## bench/harness — generator iterations/s inside `ganrepro run` vs bench/nn (one thread)")
print()
cores = sorted({r["blas_core"] for r in rows})
print("OpenBLAS core(s) reported: " + ", ".join(cores)
      + ("" if len(cores) == 1 else "  (WARNING: the sides ran on different cores)"))
print()
print("Wall clock (what a user waits; sensitive to the machine's load):")
print()
print("| model | runs | bench it/s | quick it/s | ratio | quick engine it/s | ratio "
      "| bare it/s | ratio | quick eval s / 100 steps | quick probe s / 100 steps |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for m in models:
    b = [r["rate_median"] for r in rows if r["model"] == m and r["impl"] == "ganrepro"]
    q = [r for r in rows if r["model"] == m and r["impl"] == "harness" and r["setting"] == "quick"]
    z = [r for r in rows if r["model"] == m and r["impl"] == "harness" and r["setting"] == "bare"]
    bm = med(b)
    qw = med([r["rate_wall"] for r in q])
    qe = med([r["rate_engine"] for r in q])
    zw = med([r["rate_wall"] for r in z])
    ev = med([100 * r["eval_seconds"] / r["steps"] for r in q])
    pr = med([100 * r["probe_seconds"] / r["steps"] for r in q])
    print(f"| {m} | {len(b)} | {bm:.2f} | {qw:.2f} | {qw / bm:.3f} | {qe:.2f} | {qe / bm:.3f} "
          f"| {zw:.2f} | {zw / bm:.3f} | {ev:.3f} | {pr:.3f} |")

print()
print("CPU time (iterations per CPU second: bench_nn's timed loop; the whole `ganrepro run`):")
print()
print("| model | bench it/CPU-s | quick it/CPU-s | ratio | bare it/CPU-s | ratio |")
print("|---|---|---|---|---|---|")
for m in models:
    b = med([r["cpu_rate_median"] for r in rows if r["model"] == m and r["impl"] == "ganrepro"])
    q = med([r["rate_cpu"] for r in rows
             if r["model"] == m and r["impl"] == "harness" and r["setting"] == "quick"])
    z = med([r["rate_cpu"] for r in rows
             if r["model"] == m and r["impl"] == "harness" and r["setting"] == "bare"])
    print(f"| {m} | {b:.2f} | {q:.2f} | {q / b:.3f} | {z:.2f} | {z / b:.3f} |")
