#!/usr/bin/python3
"""tests/harness/check_results_h5py.py RESULTS.h5 — read a results file the way a user does,
with h5py and pandas only (no ganrepro code), and check the schema docs/RESULTS.md documents.

Run by test_results_h5py (tests/harness/test_results_tools.c) on a file the runner made from
the parallel-lines fixture (fixture_results.h: curve.samples shared_grid/independent x seeds
1, 2; 11 grid points on [-1, 1]). Exit 0 when every check holds; 1 with the failed checks.
"""
import math
import sys

import h5py
import numpy as np
import pandas as pd

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


ROOT_STR = ["format", "experiment", "protocol", "claims", "profile", "declaration_sha256",
            "ganrepro_version", "git_commit", "build_type", "compiler", "blas_config",
            "blas_core", "blas_core_selected_by", "shard", "start_time", "end_time"]
ROOT_INT = {"format_version": np.int32, "blas_threads": np.int32, "jobs": np.int32,
            "runs_planned": np.int64}
RUN_ATTRS = {"index": np.int64, "seed": np.uint64, "step_reached": np.int64,
             "wall_time_s": np.float64}

with h5py.File(sys.argv[1], "r") as f:
    a = f.attrs
    for k in ROOT_STR:
        check(k in a and isinstance(a[k], bytes), f"root attribute {k} is a string")
    for k, t in ROOT_INT.items():
        check(k in a and a[k].dtype == t, f"root attribute {k} is {t.__name__}")
    check(a["format"] == b"ganrepro-results", "format is ganrepro-results")
    check(a["format_version"] == 1, "format_version is 1")
    check(a["claims"].decode().split(",") == ["C19", "C20"], "claims")
    check(a["declaration_sha256"] == b"sha256:aaaa", "declaration hash")
    decl = f["declaration"][()].decode()
    check("experiment" in decl, "declaration text readable")
    ids = list(f["runs"].keys())
    check(len(ids) == 4, "four runs")
    for rid in ids:
        g = f["runs"][rid]
        for k, t in RUN_ATTRS.items():
            check(k in g.attrs and g.attrs[k].dtype == t, f"{rid}: {k} is {t.__name__}")
        check(g.attrs["status"] in (b"ok", b"diverged", b"failed"), f"{rid}: status")
        check(isinstance(g.attrs["reason"], bytes), f"{rid}: reason")
        check(g.attrs["param.curve.samples"] in (b"shared_grid", b"independent"),
              f"{rid}: swept parameter attribute")
        check("curve.samples" in g["settings"][()].decode(), f"{rid}: settings text")
        s = g["series"]
        step = s["step"]
        check(step.dtype == np.int64 and step.maxshape == (None,) and step.chunks is not None
              and step.compression == "gzip" and step.shuffle, f"{rid}: step chunked, gzip, shuffle")
        n = step.shape[0]
        check(n == 11 and list(step[()]) == list(range(11)), f"{rid}: step axis 0..10")
        for name in s:
            check(s[name].shape == (n,), f"{rid}: series {name} on the step axis")
        theta = s["theta"][()]
        check(np.allclose(s["w1_exact"][()], np.abs(theta), atol=1e-15, rtol=0), f"{rid}: W1 = |theta|")
        kl = s["kl_exact"][()]
        flag = s["kl_exact_inf"][()]
        check(all(math.isinf(v) == (fl == 1.0) for v, fl in zip(kl, flag)), f"{rid}: KL inf flagged")
        check(g["samples/real"].shape == (60, 2) and g["samples/real"].dtype == np.float64,
              f"{rid}: samples/real 60 x 2 float64")
        check(g["metrics"].attrs["points"] == 11.0, f"{rid}: metric points")
    # pandas: one column dataset per summary column, same length
    sm = f["summary"]
    df = pd.DataFrame({k: sm[k][()] for k in sm})
    check(len(df) == 4 and sm.attrs["rows"] == 4, "summary has 4 rows")
    df["run_id"] = df["run_id"].str.decode("ascii")
    df["status"] = df["status"].str.decode("ascii")
    check(list(df["run_id"]) == sorted(ids, key=lambda r: f["runs"][r].attrs["index"]),
          "summary rows in index order")
    check((df["status"] == "ok").all(), "all ok")
    check(list(df["index"]) == [0, 1, 2, 3], "index column")
    grid = df[df["param.curve.samples"] == b"shared_grid"]
    check(len(grid) == 2 and (grid["w1_lp_max_abs_err"] <= 1e-12).all(),
          "shared grid LP W1 = |theta| to 1e-12 (C19)")
    check(np.allclose(df["js_exact_jump_at_0"], math.log(2), atol=1e-15, rtol=0), "JS jump log 2")

for msg in failures:
    print("FAIL:", msg)
print(f"{'h5py+pandas'}: {len(failures)} failed")
sys.exit(1 if failures else 0)
