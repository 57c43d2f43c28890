#!/usr/bin/python3
"""Exact W1: ganrepro's network simplex vs POT's ot.emd2, side by side, in one run.

Data (as in /work/shared/anchors/pot_bench.py): x, y ~ N(0, I_d), n = m points, uniform
weights, seed 1000 d + n (numpy default_rng). Written once as raw float64 so both tools
solve the very same points.

ganrepro: bench/w1/w1_bench (one process per repeat: its ru_maxrss is that solve's peak
memory); its time includes computing the costs (on the fly in 2-D, the cached matrix at
784-D) and the certificate. POT: ot.dist(metric='euclidean') and ot.emd2(numItermax=1e8)
timed separately in a child process (peak memory likewise), plus one call with POT's default
numItermax (100000) to report whether it reaches the optimum.
Both run with one BLAS thread (OPENBLAS_NUM_THREADS=1, as ctest): one core each.

Unbalanced mode (--unbal N1,N2,...): n points x ~ N(0, I_2) against m (--unbal-m, default 3)
points y ~ N(0, I_2), seed 2000 + n (numpy default_rng), uniform weights and random weights
(uniform on [0.1, 1.1], normalised; drawn after the points); ours is the best of --repeats
processes, POT (same dist + emd2 timing) runs once per case up to --pot-max-n.

Usage: run.py --bench PATH/w1_bench [--sizes2 500,1000,2000,4000,10000] [--sizes784 500,1000,2000]
              [--repeats 3] [--pot-repeats R] [--pot-max-n 4000] [--json out.jsonl]
       run.py --bench PATH/w1_bench --unbal 10000,40000,200000,1000000 [--unbal-m 3]
              [--repeats 3] [--pot-max-n 200000] [--json out.jsonl]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def cpu_busy_s():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def pot_worker(n, d, xf, yf, repeats, m=None, af=None, bf=None, default_cap=True):
    import warnings
    import numpy as np
    import ot
    m = n if m is None else m
    x = np.fromfile(xf, dtype="<f8").reshape(n, d)
    y = np.fromfile(yf, dtype="<f8").reshape(m, d)
    a = np.fromfile(af, dtype="<f8") if af else np.full(n, 1.0 / n)
    b = np.fromfile(bf, dtype="<f8") if bf else np.full(m, 1.0 / m)
    tdist, temd, vals, codes = [], [], [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        M = ot.dist(x, y, metric="euclidean")
        tdist.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        val, log = ot.emd2(a, b, M, numItermax=100_000_000, log=True)
        temd.append(time.perf_counter() - t0)
        vals.append(float(val))
        codes.append(int(log["result_code"]))
        del M
    if not default_cap:
        print(json.dumps({"pot": ot.__version__, "dist_s": statistics.median(tdist),
                          "emd_s": statistics.median(temd), "emd_times": temd, "value": vals[0],
                          "codes": codes,
                          "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
        return
    M = ot.dist(x, y, metric="euclidean")
    with warnings.catch_warnings(record=True) as wl:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        vdef, ldef = ot.emd2(a, b, M, log=True)
        tdef = time.perf_counter() - t0
    print(json.dumps({
        "pot": ot.__version__, "dist_s": statistics.median(tdist), "emd_s": statistics.median(temd),
        "emd_times": temd, "value": vals[0], "codes": codes,
        "default_cap": {"value": float(vdef), "result_code": int(ldef["result_code"]),
                        "time_s": tdef, "warning": ldef["warning"],
                        "py_warnings": sorted(set(str(w.message) for w in wl))},
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


def unbalanced(args):
    """n points against m (few) in 2-D, uniform and random weights: ours (best of repeats)
    and POT (one run, up to --pot-max-n) on the same data, in one run."""
    import numpy as np
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    m, d = args.unbal_m, 2
    out = open(args.json, "w") if args.json else None
    with open("/proc/loadavg") as f:
        load0 = f.read().split()[:3]
    print(f"# exact W1, n points vs m = {m} in 2-D, x, y ~ N(0, I_2), seed 2000 + n; ours best "
          f"of {args.repeats}, POT 1 run (dist + emd2); load average at start {' '.join(load0)}")
    print(f"{'weights':>8} {'n':>8} {'ours_s':>9} {'pot_s':>9} {'ratio':>6} {'rel_diff':>9} "
          f"{'ours_MB':>8} {'pot_MB':>8} {'augment':>8} {'pivots':>7} {'other_cpu':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(v) for v in args.unbal.split(",") if v]:
            rng = np.random.default_rng(2000 + n)
            x = rng.standard_normal((n, d))
            y = rng.standard_normal((m, d))
            a = rng.uniform(0.1, 1.1, n)
            b = rng.uniform(0.1, 1.1, m)
            a /= a.sum()
            b /= b.sum()
            f = {k: os.path.join(tmp, k + ".bin") for k in "xyab"}
            for k, v in zip("xyab", (x, y, a, b)):
                v.astype("<f8").tofile(f[k])
            for wname, wargs in (("uniform", []), ("random", [f["a"], f["b"]])):
                ours = []
                b0 = cpu_busy_s()
                c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                for _ in range(args.repeats):
                    r = subprocess.run([args.bench, f["x"], f["y"], str(n), str(d), str(m)] + wargs,
                                       env=env, capture_output=True, text=True)
                    ours.append(json.loads(r.stdout))
                wall = time.perf_counter() - t0
                c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                own = (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)
                other = max(0.0, (cpu_busy_s() - b0 - own) / wall)
                best = min(ours, key=lambda o: o["time_s"])
                pot = None
                if n <= args.pot_max_n:
                    r = subprocess.run([sys.executable, __file__, "--bench", args.bench,
                                        "--repeats", "1", "--pot-worker-unbal", str(n), str(m),
                                        str(d), f["x"], f["y"], wargs[0] if wargs else "",
                                        wargs[1] if wargs else ""],
                                       env=env, capture_output=True, text=True)
                    if r.returncode == 0:
                        pot = json.loads(r.stdout.strip().splitlines()[-1])
                    else:
                        print(f"# POT failed at n={n}: {r.stderr[-500:]}")
                rec = {"weights": wname, "n": n, "m": m, "d": d, "ours": ours,
                       "ours_best_s": best["time_s"], "pot": pot,
                       "other_cpu_cores_during_ours": other}
                if out:
                    out.write(json.dumps(rec) + "\n")
                    out.flush()
                ok = all(o["status"] == 0 for o in ours)
                if pot:
                    tp = pot["dist_s"] + pot["emd_s"]
                    rel = abs(best["value"] - pot["value"]) / pot["value"]
                    ps = f"{tp:>9.3f} {best['time_s'] / tp:>6.3f} {rel:>9.1e}"
                    pm = f"{pot['maxrss_kb'] / 1024:>8.1f}"
                else:
                    ps, pm = f"{'-':>9} {'-':>6} {'-':>9}", f"{'-':>8}"
                print(f"{wname:>8} {n:>8} {best['time_s']:>9.4f} {ps} "
                      f"{best['maxrss_kb'] / 1024:>8.1f} {pm} {best['augmentations']:>8} "
                      f"{best['iterations']:>7} {other:>9.2f}" + ("" if ok else "  OURS FAILED"))
                sys.stdout.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bench", required=True)
    p.add_argument("--sizes2", default="500,1000,2000,4000,10000")
    p.add_argument("--sizes784", default="500,1000,2000")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--pot-max-n", type=int, default=4000,
                   help="skip POT above this n (n = 10000 needs an 800 MB cost matrix)")
    p.add_argument("--pot-repeats", type=int, default=None,
                   help="POT repeats (default: --repeats); POT at n = 10000 takes minutes each")
    p.add_argument("--json", default=None)
    p.add_argument("--unbal", default=None, help="unbalanced mode: n values against --unbal-m")
    p.add_argument("--unbal-m", type=int, default=3)
    p.add_argument("--pot-worker", nargs=4, default=None, help=argparse.SUPPRESS)
    p.add_argument("--pot-worker-unbal", nargs=7, default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.pot_worker:
        n, d, xf, yf = args.pot_worker
        pot_worker(int(n), int(d), xf, yf, args.repeats)
        return
    if args.pot_worker_unbal:
        n, m, d, xf, yf, af, bf = args.pot_worker_unbal
        pot_worker(int(n), int(d), xf, yf, args.repeats, int(m), af or None, bf or None, False)
        return
    if args.unbal:
        unbalanced(args)
        return
    import numpy as np
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    cases = [(2, int(s)) for s in args.sizes2.split(",") if s] + \
            [(784, int(s)) for s in args.sizes784.split(",") if s]
    out = open(args.json, "w") if args.json else None
    rows = []
    with open("/proc/loadavg") as f:
        load0 = f.read().split()[:3]
    print(f"# exact W1, uniform weights, x, y ~ N(0, I_d), seed 1000 d + n; median of "
          f"{args.repeats}; load average at start {' '.join(load0)}")
    print(f"{'d':>4} {'n':>6} {'ours_s':>9} {'pot_s':>9} {'(dist':>8} {'+ emd)':>8} "
          f"{'ratio':>6} {'rel_diff':>9} {'ours_MB':>8} {'pot_MB':>8} {'iters':>8} "
          f"{'other_cpu':>9}  pot_default_cap")
    with tempfile.TemporaryDirectory() as tmp:
        for d, n in cases:
            rng = np.random.default_rng(1000 * d + n)
            x = rng.standard_normal((n, d))
            y = rng.standard_normal((n, d))
            xf, yf = os.path.join(tmp, "x.bin"), os.path.join(tmp, "y.bin")
            x.astype("<f8").tofile(xf)
            y.astype("<f8").tofile(yf)
            ours = []
            b0 = cpu_busy_s()
            c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            for _ in range(args.repeats):
                r = subprocess.run([args.bench, xf, yf, str(n), str(d)], env=env,
                                   capture_output=True, text=True)
                ours.append(json.loads(r.stdout))
            wall = time.perf_counter() - t0
            c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            own = (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)
            other = max(0.0, (cpu_busy_s() - b0 - own) / wall)
            t_ours = statistics.median(o["time_s"] for o in ours)
            o0 = ours[0]
            pot = None
            if n <= args.pot_max_n:
                r = subprocess.run([sys.executable, __file__, "--bench", args.bench,
                                    "--repeats", str(args.pot_repeats or args.repeats),
                                    "--pot-worker", str(n), str(d), xf, yf],
                                   env=env, capture_output=True, text=True)
                if r.returncode == 0:
                    pot = json.loads(r.stdout.strip().splitlines()[-1])
                else:
                    print(f"# POT failed at d={d} n={n}: {r.stderr[-500:]}")
            rec = {"d": d, "n": n, "ours": ours, "ours_median_s": t_ours, "pot": pot,
                   "other_cpu_cores_during_ours": other}
            rows.append(rec)
            if out:
                out.write(json.dumps(rec) + "\n")
                out.flush()
            ok = all(o["status"] == 0 for o in ours)
            if pot:
                tp = pot["dist_s"] + pot["emd_s"]
                rel = abs(o0["value"] - pot["value"]) / pot["value"]
                dc = pot["default_cap"]
                dcs = ("optimal" if dc["result_code"] == 1 else
                       f"code {dc['result_code']} ({dc['warning']}) value off by "
                       f"{abs(dc['value'] - pot['value']) / pot['value']:.1e}")
                print(f"{d:>4} {n:>6} {t_ours:>9.3f} {tp:>9.3f} {pot['dist_s']:>8.3f} "
                      f"{pot['emd_s']:>8.3f} {t_ours / tp:>6.2f} {rel:>9.1e} "
                      f"{o0['maxrss_kb'] / 1024:>8.1f} {pot['maxrss_kb'] / 1024:>8.1f} "
                      f"{o0['iterations']:>8} {other:>9.2f}  {dcs}" + ("" if ok else "  OURS FAILED"))
            else:
                print(f"{d:>4} {n:>6} {t_ours:>9.3f} {'-':>9} {'-':>8} {'-':>8} {'-':>6} "
                      f"{'-':>9} {o0['maxrss_kb'] / 1024:>8.1f} {'-':>8} {o0['iterations']:>8} "
                      f"{other:>9.2f}  (POT skipped)" + ("" if ok else "  OURS FAILED"))
            sys.stdout.flush()
    both = [r for r in rows if r["pot"]]
    if both:
        ratios = [r["ours_median_s"] / (r["pot"]["dist_s"] + r["pot"]["emd_s"]) for r in both]
        rels = [abs(r["ours"][0]["value"] - r["pot"]["value"]) / r["pot"]["value"] for r in both]
        print(f"# summary: {len(both)} sizes with POT; time ratio ours/POT(dist+emd) "
              f"min {min(ratios):.2f} max {max(ratios):.2f}; max |diff|/value {max(rels):.1e} "
              f"({'<=' if max(rels) <= 1e-9 else '>'} 1e-9); all certified: "
              f"{all(o['status'] == 0 for r in rows for o in r['ours'])}")


if __name__ == "__main__":
    main()
