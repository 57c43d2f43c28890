#!/usr/bin/python3
"""results/recompute_w1.py — recompute the exact W1 values a results file stores from the
point sets it stores, with an independent solver (POT's ot.emd2: network simplex, uniform
weights, Euclidean ground cost computed here with numpy), and print stored vs recomputed.

    results/recompute_w1.py [--tol REL] [--curve-points K] RESULTS.h5 [MORE.h5 ...]

Which stored values have their samples (docs/RESULTS.md):
  train           final_w1 = W1(samples/eval_generated, samples/eval_real) and
                  final_w1_floor = W1(samples/eval_real, samples/eval_real_floor), the final
                  evaluation's point sets (toys: always; embedded sets: the projections onto
                  the data's plane the W1 is defined on; MNIST: with eval.save_images = true,
                  float32 images). Files written before these datasets existed have none:
                  their runs are listed as "no samples".
  distance_curve  w1_lp at grid point theta = W1(samples/real, samples/fake_theta0 + (theta, 0))
                  (the generator's z is the same at every theta); K grid points per run,
                  evenly spaced over the grid, ends included (--curve-points, 0 = all).
  fixed_critic    w1_lp = W1(samples/fake, samples/real) when the stored sets are the whole
                  evaluation (eval.n <= 2000: the protocol stores at most 2000 rows).
Other protocols store no sample a W1 was computed on.

Tolerance: a value passes when |stored - POT| <= REL * max(1, |stored|) (default REL 1e-9).
Both are optima of the same LP in double precision: the optimum is unique, and each side's
value is a sum of n..2n-1 basic flows times costs (rounding ~ n * 1e-16 relative), while
ganrepro's certificate bounds its own duality gap and dual violation at ~1e-12 of the cost
scale (distance/ot.h); 1e-9 leaves three orders above both and catches any wrong point set,
pairing, cost or weight.

Exit status: 0 when at least one value was recomputed and all are within the tolerance;
1 when one is not (or POT did not certify an optimum); 2 on a usage, file or import error;
3 when no stored W1 had its samples (nothing was checked).
"""
import argparse
import math
import re
import sys

try:
    import h5py
    import numpy as np
    import ot
except ImportError as e:  # the check cannot run without its independent solver
    sys.stderr.write(f"recompute_w1.py: {e}: needs /usr/bin/python3 with h5py, numpy and POT "
                     "(Debian: python3-h5py python3-numpy python3-pot; make deps installs "
                     "them)\n")
    sys.exit(2)


def cost_matrix(x, y):
    """Euclidean distances |x_i - y_j| in double, from the coordinate differences (not the
    |x|^2 + |y|^2 - 2 x.y expansion, which cancels for close points), in row blocks."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    m = np.empty((x.shape[0], y.shape[0]))
    block = max(1, int(2e7 // max(1, y.shape[0] * x.shape[1])))
    for i in range(0, x.shape[0], block):
        d = x[i:i + block, None, :] - y[None, :, :]
        m[i:i + block] = np.sqrt(np.einsum("ijk,ijk->ij", d, d))
    return m


def pot_w1(x, y):
    """W1 between the uniform empirical measures of the rows of x and y; (value, ok)."""
    a = np.full(x.shape[0], 1.0 / x.shape[0])
    b = np.full(y.shape[0], 1.0 / y.shape[0])
    val, log = ot.emd2(a, b, cost_matrix(x, y), numItermax=10**9, log=True)
    return float(val), log.get("result_code", 1) == 1


def settings_eval_n(run):
    """eval.n from the run's resolved settings text (its eval group's `n = K;`)."""
    text = run["settings"][()].decode()
    m = re.search(r"^eval = \{(.*?)^\};", text, re.S | re.M)
    k = re.search(r"^\s*n = (\d+);", m.group(1), re.M) if m else None
    return int(k.group(1)) if k else None


class Report:
    def __init__(self, tol):
        self.tol = tol
        self.checked = 0
        self.bad = 0
        self.max_abs = 0.0
        self.max_rel = 0.0

    def row(self, exp, rid, label, what, x, y, stored):
        if not math.isfinite(stored):
            print(f"{exp:22s} {rid} {label:12s} {what:18s} stored {stored} (not a value): skipped")
            return
        val, ok = pot_w1(x, y)
        diff = abs(stored - val)
        lim = self.tol * max(1.0, abs(stored))
        fine = ok and diff <= lim
        self.checked += 1
        self.bad += not fine
        self.max_abs = max(self.max_abs, diff)
        self.max_rel = max(self.max_rel, diff / max(1.0, abs(stored)))
        flag = "ok" if fine else ("POT NOT OPTIMAL" if not ok else "MISMATCH")
        print(f"{exp:22s} {rid} {label:12s} {what:18s} n={x.shape[0]:<5d} d={x.shape[1]:<4d} "
              f"stored {stored:.17g}  POT {val:.17g}  |diff| {diff:.3g}  {flag}")


def label_of(run):
    for k in run.attrs:
        if k == "param.method" or k == "param.method.name":
            return run.attrs[k].decode()
    return f"seed {int(run.attrs['seed'])}"


def check_train(exp, rid, run, rep, missing):
    s = run.get("samples")
    m = run["metrics"].attrs
    if s is None or "eval_real" not in s:
        missing.append(rid)
        return
    lab = label_of(run)
    real = s["eval_real"][()]
    if "eval_generated" in s:
        stored = float(m["final_w1"])
        w = run["series/w1"][()] if "series/w1" in run else None
        if w is not None and len(w) and not (w[-1] == stored or (math.isnan(w[-1]) and math.isnan(stored))):
            print(f"{exp:22s} {rid} series w1's last row {w[-1]!r} != final_w1 {stored!r}")
            rep.bad += 1
        rep.row(exp, rid, lab, "final_w1", s["eval_generated"][()], real, stored)
    if "eval_real_floor" in s:
        rep.row(exp, rid, lab, "final_w1_floor", real, s["eval_real_floor"][()],
                float(m["final_w1_floor"]))


def check_curve(exp, rid, run, rep, points, missing):
    s = run.get("samples")
    if s is None or "real" not in s or "fake_theta0" not in s or "series/w1_lp" not in run:
        missing.append(rid)
        return
    real, fake0 = s["real"][()], s["fake_theta0"][()]
    theta, w1 = run["series/theta"][()], run["series/w1_lp"][()]
    if not np.isfinite(w1).any():
        return False  # eval.w1 = false: no W1 stored
    n = len(theta)
    idx = range(n) if points <= 0 or points >= n else sorted(
        {round(i * (n - 1) / (points - 1)) for i in range(points)} if points > 1 else {0})
    for i in idx:
        fake = fake0.copy()
        fake[:, 0] = fake0[:, 0] + theta[i]  # the protocol's own operation, bit for bit
        rep.row(exp, rid, label_of(run), f"w1_lp@theta={theta[i]:.4g}", real, fake, float(w1[i]))
    return True


def check_fixed_critic(exp, rid, run, rep, missing):
    s = run.get("samples")
    n = settings_eval_n(run)
    if s is None or "real" not in s or "fake" not in s or n is None or s["real"].shape[0] != n:
        missing.append(rid)  # none stored, or only the first 2000 of eval.n
        return
    rep.row(exp, rid, label_of(run), "w1_lp", s["fake"][()], s["real"][()],
            float(run["metrics"].attrs["w1_lp"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", metavar="RESULTS.h5")
    ap.add_argument("--tol", type=float, default=1e-9,
                    help="relative tolerance: |stored - POT| <= TOL * max(1, |stored|)")
    ap.add_argument("--curve-points", type=int, default=5, metavar="K",
                    help="distance_curve: grid points checked per run (0: all)")
    a = ap.parse_args()
    rep = Report(a.tol)
    for path in a.files:
        try:
            f = h5py.File(path, "r")
        except OSError as e:
            sys.stderr.write(f"recompute_w1.py: {path}: {e}\n")
            return 2
        with f:
            if f.attrs.get("format") != b"ganrepro-results":
                sys.stderr.write(f"recompute_w1.py: {path}: not a ganrepro results file\n")
                return 2
            exp, proto = f.attrs["experiment"].decode(), f.attrs["protocol"].decode()
            missing, other, no_w1 = [], 0, 0
            for rid, run in f["runs"].items():
                if run.attrs["status"] != b"ok":
                    continue
                if proto == "train":
                    check_train(exp, rid, run, rep, missing)
                elif proto == "distance_curve":
                    if check_curve(exp, rid, run, rep, a.curve_points, missing) is False:
                        no_w1 += 1
                elif proto == "fixed_critic":
                    check_fixed_critic(exp, rid, run, rep, missing)
                else:
                    other += 1
            if missing:
                print(f"{exp:22s} {len(missing)} ok run(s) without the samples of their W1 "
                      f"(no samples): {' '.join(missing[:4])}{' ...' if len(missing) > 4 else ''}")
            if no_w1:
                print(f"{exp:22s} {no_w1} run(s) computed no W1 (eval.w1 = false)")
            if other:
                print(f"{exp:22s} protocol {proto}: stores no samples a W1 was computed on")
    print(f"recompute_w1: {rep.checked} values recomputed with POT {ot.__version__}, "
          f"max |stored - POT| = {rep.max_abs:.3g} (max relative {rep.max_rel:.3g}); "
          f"{rep.bad} over the tolerance {a.tol:g} x max(1, W1)")
    if rep.bad:
        return 1
    return 0 if rep.checked else 3


if __name__ == "__main__":
    sys.exit(main())
