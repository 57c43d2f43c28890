#!/usr/bin/python3
"""Recompute every checksum of a ganrepro checkpoint (format version 2) with h5py and
hashlib, from the serialization described in src/io/checkpoint.h, and compare it with the
stored "checksum" attributes. An independent cross-check of the C implementation (the suite
itself never runs Python; test_checkpoint_bitflip.c does the same check in C).

    /usr/bin/python3 tests/reference/check_checkpoint_sums.py CKPT.h5[:/GROUP]
prints one line per object and exits 1 if any checksum differs. With :/GROUP, the
checkpoint written into that group by gr_checkpoint_write_group is checked."""
import hashlib
import struct
import sys

import h5py

F64 = ["lr", "weight_decay", "momentum", "dampening", "alpha", "beta1", "beta2", "eps"]
I32 = ["nesterov", "centered"]
SLOTS = {  # nn/optim.h: gr_optim_config_slot_name
    "sgd": lambda a: ["momentum_buffer"] if a["momentum"] > 0 else [],
    "rmsprop": lambda a: ["square_avg"] + (["grad_avg"] if a["centered"] else [])
    + (["momentum_buffer"] if a["momentum"] > 0 else []),
    "adam": lambda a: ["exp_avg", "exp_avg_sq"],
    "rmsprop_tf": lambda a: ["rms"] + (["mg"] if a["centered"] else [])
    + (["momentum"] if a["momentum"] > 0 else []),
    "adam_tf": lambda a: ["m", "v"],
}


def field(name, value):
    return name.encode() + b"\0" + struct.pack("<Q", len(value)) + value


def u64(name, v):
    return field(name, struct.pack("<Q", v & (2**64 - 1)))


def begin(obj):
    return (field("format", b"ganrepro-checkpoint") + u64("format_version", 2)
            + field("object", obj.encode()))


def f32(ds):
    return ds[:].astype("<f4").tobytes()


def check(label, data, stored):
    ok = "sha256:" + hashlib.sha256(data).hexdigest() == stored.decode()
    print(("ok   " if ok else "BAD  ") + label)
    return ok


def i64(name, v):
    return u64(name, int(v))


def main(spec):
    path, _, group = spec.partition(":/")
    f = h5py.File(path, "r")
    if group:
        f = f[group]
    a = f.attrs
    root = begin("root") + u64("step", int(a["step"]))
    root += b"".join(field(k, a[k]) for k in ["code_version", "git_commit", "build_type"])
    if "blas_config" in a:  # BLAS provenance (absent in files saved before it was recorded)
        root += b"".join(field(k, a[k]) for k in ["blas_config", "blas_core",
                                                  "blas_core_chosen_by"])
        root += i64("blas_threads", a["blas_threads"])
    ok = check("/", root, a["checksum"])
    for name, g in f["nets"].items():
        ok &= check("/nets/" + name, begin("net") + field("name", name.encode())
                    + field("arch", g.attrs["arch"]) + u64("n_params", int(g.attrs["n_params"]))
                    + field("params", f32(g["params"])), g.attrs["checksum"])
        if "optim" in g:
            o = g["optim"]
            oa = o.attrs
            kind = oa["kind"].decode()
            s = begin("optim") + field("net", name.encode()) + field("kind", oa["kind"])
            s += b"".join(field(k, struct.pack("<d", oa[k])) for k in F64)
            s += b"".join(u64(k, int(oa[k])) for k in I32) + u64("step", int(oa["step"]))
            s += b"".join(field(k, f32(o[k])) for k in SLOTS[kind](oa))
            ok &= check("/nets/%s/optim" % name, s, oa["checksum"])
    for name, d in (f["rng"].items() if "rng" in f else []):
        ok &= check("/rng/" + name, begin("rng") + field("name", name.encode())
                    + field("type", d.attrs["type"]) + field("state", d[:].tobytes()),
                    d.attrs["checksum"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
