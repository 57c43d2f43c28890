#!/usr/bin/python3
"""Cross-check of src/io/h5io.h and the group checkpoint with an independent reader (h5py):
runs the test program tests/io/test_h5io with GR_TEST_KEEP=1, then opens the files it wrote
and checks that h5py sees exactly the types, shapes, filters and values that test_h5io.c
wrote (values recomputed here from the same formulas), and that every checksum of the
checkpoints (one in its own file, one in /runs/r0/checkpoint of a results file) matches its
contents under the serialisation of io/digest.h (check_checkpoint_sums.py).

    /usr/bin/python3 tests/reference/check_h5io_h5py.py BUILD_DIR
prints one line per check and exits 1 if any fails. The suite itself never runs Python."""
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_checkpoint_sums  # noqa: E402

FAILS = []


def expect(label, cond):
    print(("ok   " if cond else "BAD  ") + label)
    if not cond:
        FAILS.append(label)


def main(build):
    exe = os.path.join(build, "tests", "io", "test_h5io")
    env = dict(os.environ, GR_TEST_KEEP="1", OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([exe], env=env, capture_output=True, text=True, check=True).stdout
    d = [line[6:] for line in out.splitlines() if line.startswith("kept: ")][0]
    try:
        with h5py.File(os.path.join(d, "attrs.h5"), "r") as f:
            a = f.attrs
            expect("superblock v2 (libver v108 bounds)", f.id.get_create_plist().get_version()[0] == 2)
            expect("str attr is fixed-length ASCII bytes", a["name"] == b"critic-2.385"
                   and f.attrs.get_id("name").get_type().get_cset() == h5py.h5t.CSET_ASCII)
            expect("i32 <i4 INT32_MIN", a["i32"].dtype == np.dtype("<i4") and a["i32"] == -2**31)
            expect("i64 <i8", a["i64"].dtype == np.dtype("<i8") and a["i64"] == -2**63 + 7)
            expect("u64 <u8", a["u64"].dtype == np.dtype("<u8") and int(a["u64"]) == 2**64 - 4)
            expect("f64", a["f64"].dtype == np.dtype("<f8") and a["f64"] == -2.385e-300)
            dv = np.array([2.385, -0.0, 4.9406564584124654e-324, -1.7976931348623157e308])
            expect("f64 array bits", a["f64s"].dtype == np.dtype("<f8")
                   and a["f64s"].tobytes() == dv.astype("<f8").tobytes())
            fv = np.array([-1.5, 1.17549435e-38, 3.4028235e38], dtype="<f4")
            expect("f32 array bits", a["f32s"].dtype == np.dtype("<f4")
                   and a["f32s"].tobytes() == fv.tobytes())
        with h5py.File(os.path.join(d, "dsets.h5"), "r") as f:
            g = f["g"]
            i = np.arange(21)
            f32 = (i.astype(np.float32) * np.float32(-2.385) + np.float32(0.125)).reshape(7, 3)
            f64 = (i * 2.385e-7 - 11.0).reshape(7, 3)
            u8 = ((37 * i + 201) % 256).astype(np.uint8).reshape(7, 3)
            r = np.arange(7)
            for name, want, dt in [("f32", f32, "<f4"), ("f64", f64, "<f8"), ("u8", u8, "|u1"),
                                   ("i32", r * 1000003 - 2147483600, "<i4"),
                                   ("i64", r * -922337203685477, "<i8"),
                                   ("u64", (2**64 - 1) - r.astype(np.uint64) * np.uint64(12345),
                                    "<u8"),
                                   ("f32_1d", f32.reshape(-1)[:7], "<f4")]:
                ds = g[name]
                expect("dataset %s: %s %s contiguous, values" % (name, dt, ds.shape),
                       ds.dtype == np.dtype(dt) and ds.shape == want.shape and ds.chunks is None
                       and ds.compression is None
                       and ds[()].tobytes() == np.asarray(want).astype(dt).tobytes())
        with h5py.File(os.path.join(d, "series.h5"), "r") as f:
            ds = f["loss"]
            n = np.arange(483)[:, None]
            want = n * 0.5 + np.arange(5)[None, :] * 2.385
            expect("series loss: maxshape (None, 5), chunks (64, 5), gzip 6, shuffle, fletcher32",
                   ds.maxshape == (None, 5) and ds.chunks == (64, 5) and ds.compression == "gzip"
                   and ds.compression_opts == 6 and ds.shuffle and ds.fletcher32)
            expect("series loss values (appended across a reopen)",
                   ds.shape == (483, 5) and ds[()].tobytes() == want.astype("<f8").tobytes())
            st = f["step"]
            expect("series step (1-D, i64) first 483 values",
                   st.dtype == np.dtype("<i8") and st.maxshape == (None,)
                   and np.array_equal(st[:483], np.arange(483) * 1000 - 7))
        with h5py.File(os.path.join(d, "results_intact.h5"), "r") as f:
            expect("results: /summary beside the checkpoint",
                   f["summary"][()].tobytes() == np.array([2.385, -1.0, 0.5, 1e-300]).tobytes())
            expect("results: /runs/r0/w_estimate series",
                   f["runs/r0/w_estimate"].maxshape == (None,))
            c = f["runs/r0/checkpoint"]
            expect("results: checkpoint step 777, BLAS provenance attributes",
                   int(c.attrs["step"]) == 777 and all(k in c.attrs for k in
                   ["blas_config", "blas_core", "blas_core_chosen_by", "blas_threads"]))
            print("     blas_core = %s, chosen by %s, threads %d" % (
                c.attrs["blas_core"].decode(), c.attrs["blas_core_chosen_by"].decode(),
                int(c.attrs["blas_threads"])))
        for spec in [os.path.join(d, "ck.h5"),
                     os.path.join(d, "results_intact.h5") + ":/runs/r0/checkpoint"]:
            expect("checksums of " + os.path.basename(spec),
                   check_checkpoint_sums.main(spec) == 0)
    finally:
        shutil.rmtree(d)
    print("%d failed" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
