#!/usr/bin/python3
"""Make the exact-OT fixtures of tests/distance/test_ot_pot.c with POT (run once, by hand).

    /usr/bin/python3 tests/reference/make_ot_fixtures.py   # from the repository root

Writes tests/reference/ot_fixtures/: for every case NAME the point files NAME_x.txt and
NAME_y.txt (one point per line, the format `ganrepro distance` reads, every coordinate
written as the shortest decimal that reads back to the same double), the weight files
NAME_a.txt and NAME_b.txt (one weight per line), and one line in cases.txt:

    points NAME d n m W1 W2 W1_weighted W2_weighted
    matrix NAME 0 n m COST COST_weighted          (a caller's n x m cost matrix, NAME_c.txt)

The expected values are what a user of POT 0.8.2 would compute, done carefully:
    W1 = ot.emd2(a, b, M)              M   = Euclidean distances
    W2 = sqrt(ot.emd2(a, b, M2))       M2  = squared Euclidean distances
    COST = ot.emd2(a, b, C)            C   = the caller's matrix
with the uniform weights 1/n, 1/m (W1, W2, COST) and with the weight files (the *_weighted
values). Two traps of POT 0.8.2 are avoided (issue 8): ot.dist loses digits far from the
origin (it uses |x|^2 + |y|^2 - 2 x.y), so the distances come from scipy's cdist (direct
differences); and emd2 stops early when the costs are tiny (coordinates near 1e-6 gave W2
38 % high), so every matrix is divided by its largest |entry| before emd2 and the optimum is
scaled back. numItermax is far above what these sizes need, and emd2's log must say the
solve was optimal. As a second opinion, every LP small enough is also solved by SciPy's
HiGHS (linprog) and the 1-D W1 by scipy.stats.wasserstein_distance; the script refuses to
write anything if they disagree with POT beyond 1e-9 relative.

The suite never runs this script: the fixtures are committed.
"""
import os

import numpy as np
import ot
import scipy
import scipy.optimize
import scipy.sparse
import scipy.stats
from scipy.spatial.distance import cdist

SEED = 20261201
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ot_fixtures")


def emd2_scaled(a, b, c):
    """ot.emd2 on c / max|c|, scaled back; checks that POT reports an optimal solve."""
    s = float(np.max(np.abs(c)))
    if s == 0.0:
        s = 1.0
    val, log = ot.emd2(a, b, c / s, numItermax=100_000_000, log=True)
    assert log["warning"] is None, log["warning"]
    assert log["result_code"] == 1, log
    return float(val) * s


def linprog_cost(a, b, c):
    """The same LP by HiGHS (independent code), b rescaled to sum a as POT and ganrepro do,
    the costs divided by their largest |entry| and the optimum scaled back."""
    n, m = c.shape
    b = b * (a.sum() / b.sum())
    s = float(np.max(np.abs(c))) or 1.0  # HiGHS' tolerances are absolute: rescale too
    rows = scipy.sparse.kron(scipy.sparse.eye(n), np.ones((1, m)))
    cols = scipy.sparse.kron(np.ones((1, n)), scipy.sparse.eye(m))
    A = scipy.sparse.vstack([rows, cols]).tocsr()
    r = scipy.optimize.linprog(c.ravel() / s, A_eq=A, b_eq=np.concatenate([a, b]),
                               bounds=(0, None), method="highs",
                               options=dict(primal_feasibility_tolerance=1e-10,
                                            dual_feasibility_tolerance=1e-10))
    assert r.status == 0, r.message
    return float(r.fun) * s


def agree(x, y, what):
    assert abs(x - y) <= 1e-9 * max(abs(x), abs(y)) + 1e-15, (what, x, y)


def weights(rng, k, zeros, total=1.0):
    w = 0.1 + rng.random(k)
    if zeros:
        w[3::7] = 0.0
    w = w / w.sum() * total
    return [float(repr_float(v)) for v in w]


def repr_float(v):
    return repr(float(v))


def write_matrix(path, rows, ints=False):
    with open(path, "w") as f:
        for r in rows:
            if ints:
                f.write(" ".join(str(int(v)) for v in r) + "\n")
            else:
                f.write(" ".join(repr_float(v) for v in r) + "\n")


def write_vector(path, v):
    with open(path, "w") as f:
        for t in v:
            f.write(repr_float(t) + "\n")


def exact(v):
    """The doubles a reader of the written text gets (shortest repr round-trips)."""
    return np.array([[float(repr_float(t)) for t in r] for r in np.atleast_2d(v)])


def main():
    rng = np.random.default_rng(SEED)
    os.makedirs(OUT, exist_ok=True)
    cases = []  # (name, x, y, a, b, ints)

    def gauss(k, d, mean=0.0, sd=1.0):
        return exact(rng.normal(mean, sd, size=(k, d)))

    # 1-D: the sort formula in ganrepro (CLI and gr_oned_wasserstein), the simplex too.
    x = np.round(rng.normal(0, 1, size=(37, 1)), 1)  # a 0.1 grid: ties and duplicates
    y = np.round(rng.normal(0.4, 1.3, size=(53, 1)), 1)
    y[::9] = x[: len(y[::9])]  # points shared by both sets
    cases.append(("d1_ties", exact(x), exact(y), weights(rng, 37, True),
                  weights(rng, 53, False), False))
    cases.append(("d1_gauss", gauss(64, 1), gauss(41, 1, 1.0, 2.0), weights(rng, 64, False),
                  weights(rng, 41, True), False))
    # 2-D: Euclidean pricing with the SIMD screen (W1), squared on the fly (W2).
    cases.append(("d2_gauss", gauss(60, 2), gauss(45, 2, 0.5, 1.0), weights(rng, 60, False),
                  weights(rng, 45, False), False))
    # integer grid {0..3}^2: many equal costs and duplicate points; total mass 2.5
    xg = rng.integers(0, 4, size=(40, 2)).astype(float)
    yg = rng.integers(0, 4, size=(52, 2)).astype(float)
    cases.append(("d2_grid", xg, yg, weights(rng, 40, True, 2.5), weights(rng, 52, True, 2.5),
                  True))
    # coordinates near 1e-6 (where POT's emd2 stops early without the rescaling)
    cases.append(("d2_tiny", gauss(30, 2, 0.0, 1e-6), gauss(35, 2, 3e-7, 1e-6),
                  weights(rng, 30, False), weights(rng, 35, False), False))
    # low dimension, on the fly
    cases.append(("d3", gauss(50, 3), gauss(40, 3, 0.7, 1.0), weights(rng, 50, False),
                  weights(rng, 40, True), False))
    cases.append(("d15", gauss(50, 15), gauss(60, 15, 0.3, 1.0), weights(rng, 50, False),
                  weights(rng, 60, False), False))
    # d >= 16: the dense cost cache by default (issue 8's reproduction: 50 vs 60 points,
    # N(0, I_16) vs N(0.3, I_16)), and on the fly with cache_bytes = 0
    cases.append(("d16", gauss(50, 16), gauss(60, 16, 0.3, 1.0), weights(rng, 50, False),
                  weights(rng, 60, True), False))
    xg = rng.integers(0, 3, size=(45, 16)).astype(float)
    yg = rng.integers(0, 3, size=(38, 16)).astype(float)
    xg[5::6] = xg[0]  # duplicates within a set
    yg[::7] = xg[1]   # and across the sets (zero costs)
    cases.append(("d16_grid", xg, yg, weights(rng, 45, True), weights(rng, 38, False), True))
    # far from the origin: the cache's |x|^2 + |y|^2 - 2 x.y must be taken on centred points
    cases.append(("d16_far", exact(1e6 + rng.normal(0, 1, size=(30, 16))),
                  exact(1e6 + rng.normal(0.2, 1, size=(40, 16))), weights(rng, 30, False),
                  weights(rng, 40, False), False))
    # few points on one side (n or m <= 8): the solver may start from a special basis there
    cases.append(("d2_few", gauss(80, 2), gauss(3, 2, 0.4, 1.0), weights(rng, 80, False),
                  weights(rng, 3, False), False))
    cases.append(("d16_few", gauss(5, 16), gauss(70, 16, 0.3, 1.0), weights(rng, 5, False),
                  weights(rng, 70, False), False))
    # 784-D, MNIST-like: integer pixels 0..255, about 80 % exactly 0 (ties everywhere),
    # one image present in both sets
    def images(k):
        v = rng.integers(1, 256, size=(k, 784)).astype(float)
        v[rng.random((k, 784)) < 0.8] = 0.0
        return v
    xi, yi = images(40), images(50)
    yi[7] = xi[3]
    cases.append(("d784", xi, yi, weights(rng, 40, False), weights(rng, 50, True), True))

    lines = ["# made by tests/reference/make_ot_fixtures.py (POT %s, SciPy %s, NumPy %s, "
             "seed %d)" % (ot.__version__, scipy.__version__, np.__version__, SEED),
             "# points NAME d n m W1 W2 W1_weighted W2_weighted",
             "# matrix NAME 0 n m COST COST_weighted"]
    for name, x, y, a, b, ints in cases:
        n, d = x.shape
        m = y.shape[0]
        a, b = np.array(a), np.array(b)
        M = cdist(x, y, "euclidean")
        M2 = cdist(x, y, "sqeuclidean")
        ua, ub = np.full(n, 1.0 / n), np.full(m, 1.0 / m)
        vals = [emd2_scaled(ua, ub, M), np.sqrt(emd2_scaled(ua, ub, M2)),
                emd2_scaled(a, b, M), np.sqrt(emd2_scaled(a, b, M2))]
        # second opinions
        if n * m <= 4000:
            agree(vals[0], linprog_cost(ua, ub, M), name + " W1 linprog")
            agree(vals[1] ** 2, linprog_cost(ua, ub, M2), name + " W2^2 linprog")
            agree(vals[2], linprog_cost(a, b, M), name + " W1w linprog")
            agree(vals[3] ** 2, linprog_cost(a, b, M2), name + " W2w^2 linprog")
        if d == 1:
            agree(vals[0], scipy.stats.wasserstein_distance(x[:, 0], y[:, 0]), name + " 1-D")
            agree(vals[2] / a.sum(),
                  scipy.stats.wasserstein_distance(x[:, 0], y[:, 0], a, b), name + " 1-D w")
        write_matrix(os.path.join(OUT, name + "_x.txt"), x, ints)
        write_matrix(os.path.join(OUT, name + "_y.txt"), y, ints)
        write_vector(os.path.join(OUT, name + "_a.txt"), a)
        write_vector(os.path.join(OUT, name + "_b.txt"), b)
        lines.append("points %s %d %d %d %s" % (name, d, n, m,
                                               " ".join(repr_float(v) for v in vals)))

    # A caller's cost matrix (no metric, mixed signs): value = the optimal cost itself.
    n, m = 17, 23
    c = exact(rng.normal(-1.0, 2.0, size=(n, m)))
    c[2, :] = c[5, :]  # two equal rows: ties
    a, b = np.array(weights(rng, n, False)), np.array(weights(rng, m, True))
    ua, ub = np.full(n, 1.0 / n), np.full(m, 1.0 / m)
    vals = [emd2_scaled(ua, ub, c), emd2_scaled(a, b, c)]
    agree(vals[0], linprog_cost(ua, ub, c), "matrix linprog")
    agree(vals[1], linprog_cost(a, b, c), "matrix w linprog")
    write_matrix(os.path.join(OUT, "matrix_c.txt"), c)
    write_vector(os.path.join(OUT, "matrix_a.txt"), a)
    write_vector(os.path.join(OUT, "matrix_b.txt"), b)
    lines.append("matrix matrix 0 %d %d %s" % (n, m, " ".join(repr_float(v) for v in vals)))

    with open(os.path.join(OUT, "cases.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")

    # Entropic OT (distance/sinkhorn.h) on some of the point cases above: POT's log-domain
    # Sinkhorn run to marginal errors far below ganrepro's tolerance; the plan is the same
    # for POT's entropy and ganrepro's KL(P | a b^T) (they differ by a term fixed by the
    # marginals), so cost = <P, C> must agree, and objective = <P, C> + eps KL(P | a b^T)
    # is computed here from POT's plan. mean = mean of |x - y|^p over all pairs (what
    # gr_sinkhorn_mean_cost returns; the CLI's default epsilon is 0.05 x mean for p = 1,
    # the rows with eps_kind "cli-default").
    sk = ["# made by tests/reference/make_ot_fixtures.py (POT %s)" % ot.__version__,
          "# NAME p weighted eps_kind epsilon cost objective mean"]
    by_name = {c[0]: c for c in cases}
    for name, p, weighted, eps_kind in [("d2_gauss", 1, 0, "cli-default"),
                                        ("d2_gauss", 2, 1, "0.1xmean"),
                                        ("d3", 1, 1, "0.02xmean"),
                                        ("d16", 1, 0, "cli-default"),
                                        ("d1_ties", 2, 0, "0.1xmean")]:
        _, x, y, a, b, _ = by_name[name]
        n, m = x.shape[0], y.shape[0]
        a = np.array(a) if weighted else np.full(n, 1.0 / n)
        b = np.array(b) if weighted else np.full(m, 1.0 / m)
        C = cdist(x, y, "euclidean" if p == 1 else "sqeuclidean")
        mean = float(C.mean())
        eps = (0.05 if eps_kind == "cli-default" else float(eps_kind.split("x")[0])) * mean
        bb = b * (a.sum() / b.sum())
        P, log = ot.bregman.sinkhorn_log(a, bb, C, eps, numItermax=1_000_000, stopThr=1e-14,
                                         log=True)
        err_rows = np.abs(P.sum(1) - a).sum() / a.sum()
        err_cols = np.abs(P.sum(0) - bb).sum() / a.sum()
        assert err_rows < 1e-13 and err_cols < 1e-13, (name, err_rows, err_cols)
        nz = P > 0
        cost = float((P * C).sum())
        obj = cost + eps * float((P[nz] * np.log(P[nz] / np.outer(a, bb)[nz])).sum())
        sk.append("%s %d %d %s %s %s %s %s" % (name, p, weighted, eps_kind, repr_float(eps),
                                               repr_float(cost), repr_float(obj),
                                               repr_float(mean)))
    with open(os.path.join(OUT, "sinkhorn.txt"), "w") as f:
        f.write("\n".join(sk) + "\n")
    total = sum(os.path.getsize(os.path.join(OUT, p)) for p in os.listdir(OUT))
    print("wrote %d cases to %s (%d bytes)" % (len(cases) + 1, OUT, total))


if __name__ == "__main__":
    main()
