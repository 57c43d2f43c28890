#!/usr/bin/python3
"""Table for bench/nn: read the JSON lines of bench_nn_gemm_peak, bench_nn and torch_bench.py
(any number of runs of each, concatenated) and print one comparison table.

  report.py RESULTS.jsonl [--format md|text]

Every figure is the median over runs of each run's median over repeats. Ratios compare
ganrepro's best thread count with PyTorch's best (the issue's target: "at least as fast as
PyTorch's best thread setting"); %peak is the workload's analytic GFLOP/s (bench/nn/
workloads.h) over the cblas_sgemm peak measured in the same run at the same thread count;
"floor" is the iteration rate of the workload's bare GEMM list (an optimistic ceiling).
"""
import json
import statistics
import sys
from collections import defaultdict

MODELS = [("toy_wgangp", "(a) toy WGAN-GP"), ("toy_wgan_clip", "(b) toy WGAN-clip"),
          ("toy_gan", "(c) toy GAN-NS"), ("mnist_gan", "(d) MNIST GAN-NS"),
          ("mnist_wgangp", "(e) MNIST WGAN-GP")]
TARGET = {"toy_wgangp": 1.0, "toy_wgan_clip": 1.0, "toy_gan": 1.0, "mnist_gan": 1.3,
          "mnist_wgangp": 1.3}
PEAK_TARGET = {"toy_wgangp": 0.75, "mnist_gan": 0.75}

path = sys.argv[1]
fmt = "md"
if "--format" in sys.argv:
    fmt = sys.argv[sys.argv.index("--format") + 1]

ours = defaultdict(list)    # (model, threads) -> [rate]
torch = defaultdict(list)
flops = {}
peak = defaultdict(list)    # threads -> [gflops]
floor = defaultdict(list)   # (model, threads) -> [it/s]
load = defaultdict(list)    # source -> [other cores]
ours_cpu = defaultdict(list)   # (model, threads) -> [iterations per CPU-second]
torch_cpu = defaultdict(list)
peak_cpu = defaultdict(list)   # threads -> [GFLOP per CPU-second]
floor_cpu = defaultdict(list)
allocs = 0
policy = set()
optim_ours = defaultdict(list)   # (optim, n, path) -> [ns per parameter]
optim_torch = defaultdict(list)  # (optim, n) -> [ns per parameter]
optim_paths = {}                 # (optim, n) -> paths in the order measured (widest first)
for line in open(path):
    line = line.strip()
    if not line.startswith("{"):
        continue
    d = json.loads(line)
    if d.get("kind") == "optim":
        key = (d["optim"], d["n"])
        if d["impl"] == "torch":
            optim_torch[key].append(d["ns_per_param"])
        else:
            optim_ours[key + (d["path"],)].append(d["ns_per_param"])
            optim_paths.setdefault(key, [])
            if d["path"] not in optim_paths[key]:
                optim_paths[key].append(d["path"])  # widest first, as bench_nn_optim prints
        continue
    if d.get("kind") == "sgemm_peak":
        peak[d["threads"]].append(d["gflops"])
        peak_cpu[d["threads"]].append(d.get("gflops_per_cpu_s", float("nan")))
        load["gemm"].append(d["other_cpu_cores_max"])
    elif d.get("kind") == "gemm_floor":
        floor[(d["model"], d["threads"])].append(d["it_per_s"])
        floor_cpu[(d["model"], d["threads"])].append(d.get("it_per_cpu_s", float("nan")))
    elif d.get("impl") == "ganrepro":
        ours[(d["model"], d["threads"])].append(d["rate_median"])
        ours_cpu[(d["model"], d["threads"])].append(d.get("cpu_rate_median", float("nan")))
        flops[d["model"]] = d["gflop_per_iter"]
        allocs += d["allocs_in_loop"]
        load["ours%d" % d["threads"]].extend(d["other_cpu_cores"])
    elif d.get("impl") == "torch":
        torch[(d["model"], d["threads"])].append(d["rate_median"])
        torch_cpu[(d["model"], d["threads"])].append(d.get("cpu_rate_median", float("nan")))
        policy.add(d["omp_wait_policy"])
        load["torch%d" % d["threads"]].extend(d["other_cpu_cores"])


def med(v):
    return statistics.median(v) if v else float("nan")


def f(x, nd=2):
    return "-" if x != x else ("%.*f" % (nd, x))


# the peak is the best this machine reached in any run (load only ever lowers it), so
# %peak is never flattered by a run that measured the peak while the machine was busy
pk = {t: max(v) for t, v in peak.items()}
rows = []
head = ["workload", "ours 1t", "ours 2t", "torch 1t", "torch 2t", "ours/torch best",
        "target", "ours 1t/torch 1t", "2t/1t ours", "%peak 1t", "%peak 2t", "GEMM floor 1t",
        "ours/floor 1t", "GEMM floor 2t", "ours/floor 2t"]
for m, label in MODELS:
    o1, o2 = med(ours[(m, 1)]), med(ours[(m, 2)])
    t1, t2 = med(torch[(m, 1)]), med(torch[(m, 2)])
    ob = max(x for x in (o1, o2) if x == x) if (o1 == o1 or o2 == o2) else float("nan")
    tb = max(x for x in (t1, t2) if x == x) if (t1 == t1 or t2 == t2) else float("nan")
    fl = flops.get(m, float("nan"))
    p1 = o1 * fl / pk[1] if 1 in pk else float("nan")
    p2 = o2 * fl / pk[2] if 2 in pk else float("nan")
    fl1, fl2 = med(floor[(m, 1)]), med(floor[(m, 2)])
    ratio = ob / tb
    tgt = TARGET[m]
    mark = "ok" if ratio >= tgt else "MISS"
    rows.append([label, f(o1), f(o2), f(t1), f(t2), f(ratio) + "x", ">=%.1fx %s" % (tgt, mark),
                 f(o1 / t1) + "x", f(o2 / o1), f(100 * p1, 0) + "%", f(100 * p2, 0) + "%",
                 f(fl1, 1), f(100 * o1 / fl1, 0) + "%", f(fl2, 1), f(100 * o2 / fl2, 0) + "%"])

if fmt == "md":
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")
else:
    w = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(len(head))]
    print("  ".join(h.ljust(w[i]) for i, h in enumerate(head)))
    for r in rows:
        print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)))
# Second table: one thread, iterations per CPU-second of the process. On a shared machine the
# wall-clock rate of a 1-thread run drops whenever the scheduler hands its core to someone
# else; CPU time does not count those gaps (cache and memory-bandwidth sharing still do).
head2 = ["workload (1 thread, per CPU-second)", "ours", "torch", "ours/torch", "%peak",
         "GEMM floor", "ours/floor"]
rows2 = []
pkc = max(peak_cpu[1]) if peak_cpu[1] else float("nan")
for m, label in MODELS:
    oc, tc, flc = med(ours_cpu[(m, 1)]), med(torch_cpu[(m, 1)]), med(floor_cpu[(m, 1)])
    fl = flops.get(m, float("nan"))
    rows2.append([label, f(oc), f(tc), f(oc / tc) + "x", f(100 * oc * fl / pkc, 0) + "%",
                  f(flc, 1), f(100 * oc / flc, 0) + "%"])
print()
if fmt == "md":
    print("| " + " | ".join(head2) + " |")
    print("|" + "---|" * len(head2))
    for r in rows2:
        print("| " + " | ".join(r) + " |")
else:
    w = [max(len(head2[i]), *(len(r[i]) for r in rows2)) for i in range(len(head2))]
    print("  ".join(h.ljust(w[i]) for i, h in enumerate(head2)))
    for r in rows2:
        print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)))
print()
# Third table: one optimizer step, ns per parameter, ours on the path gr_optim_alloc picks
# (the widest this CPU runs) and on the baseline, against torch.optim (one tensor, 1 thread).
if optim_paths:
    head3 = ["optimizer step (1 thread)", "parameters", "ours ns/param", "path",
             "ours baseline", "torch ns/param", "torch/ours"]
    rows3 = []
    for (name, n), paths in optim_paths.items():
        best = med(optim_ours[(name, n, paths[0])])
        base = med(optim_ours[(name, n, "baseline")])
        tor = med(optim_torch[(name, n)])
        rows3.append([name, str(n), f(best, 3), paths[0], f(base, 3), f(tor, 3),
                      f(tor / best) + "x"])
    print()
    if fmt == "md":
        print("| " + " | ".join(head3) + " |")
        print("|" + "---|" * len(head3))
        for r in rows3:
            print("| " + " | ".join(r) + " |")
    else:
        w = [max(len(head3[i]), *(len(r[i]) for r in rows3)) for i in range(len(head3))]
        print("  ".join(h.ljust(w[i]) for i, h in enumerate(head3)))
        for r in rows3:
            print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)))
print()
print("iterations/s, median over %d run(s); analytic GFLOP per iteration: %s" % (
    max((len(v) for v in ours.values()), default=0),
    ", ".join("%s %.3f" % (m, flops[m]) for m, _ in MODELS if m in flops)))
print("cblas_sgemm peak (best square 256..2048, max over runs): %s GFLOP/s; 1 thr per CPU-s %.1f"
      % (", ".join("%d thr %.1f" % (t, pk[t]) for t in sorted(pk)), pkc))
for m in PEAK_TARGET:
    if m in flops and 1 in pk:
        best = max(((t, med(ours[(m, t)]) * flops[m] / pk[t]) for t in pk if ours[(m, t)]),
                   key=lambda x: x[1])
        print("%s: %.1f%% of the %d-thread sgemm peak at its best (target >= %.0f%%)" % (
            m, 100 * best[1], best[0], 100 * PEAK_TARGET[m]))
        # runs are appended in order, one peak and one rate per run and thread count, so
        # pairing them by position gives each run's own ratio: the spread behind the median
        t = best[0]
        if len(peak[t]) == len(ours[(m, t)]):
            print("  run by run, against that run's own peak: %s" % ", ".join(
                "%.1f%%" % (100 * r * flops[m] / p) for r, p in zip(ours[(m, t)], peak[t])))
print("torch OMP_WAIT_POLICY: %s; ganrepro malloc calls inside timed loops: %d" % (
    ",".join(sorted(policy)) or "-", allocs))
print("CPU used by other processes during the timed repeats (cores, median / max): " + "; ".join(
    "%s %.2f / %.2f" % (k, med(v), max(v)) for k, v in sorted(load.items()) if v))
