#!/usr/bin/python3
"""PyTorch reference for bench/nn/bench_nn_optim: one torch.optim step, in nanoseconds per
parameter, on the configurations and sizes of optim_bench.c (one thread).

  /usr/bin/python3 torch_optim_bench.py [--repeats 5] [--seconds 0.3]

The parameters are ONE tensor of n elements (the most favourable case for torch: a real
net's 6-8 tensors add per-tensor overhead), its .grad fixed random values; torch 1.13's
default implementation for a single CPU tensor. One JSON line per (optimizer, size).
"""
import argparse
import ctypes
import json
import statistics
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("--repeats", type=int, default=5)
p.add_argument("--seconds", type=float, default=0.3)
args = p.parse_args()

torch.set_num_threads(1)
try:
    ctypes.CDLL("libopenblas.so.0").openblas_set_num_threads(1)
except OSError:
    pass

CASES = [
    ("sgd", lambda ps: torch.optim.SGD(ps, lr=1e-2)),
    ("sgd_momentum", lambda ps: torch.optim.SGD(ps, lr=1e-2, momentum=0.9)),
    ("rmsprop", lambda ps: torch.optim.RMSprop(ps, lr=5e-5)),
    ("rmsprop_centered", lambda ps: torch.optim.RMSprop(ps, lr=5e-5, centered=True)),
    ("adam", lambda ps: torch.optim.Adam(ps, lr=2e-4, betas=(0.5, 0.999))),
]
SIZES = [527361, 1486352]

torch.manual_seed(0)
for name, make in CASES:
    for n in SIZES:
        w = torch.nn.Parameter((torch.rand(n) - 0.5) * 0.1)
        w.grad = (torch.rand(n) - 0.5) * 2e-3
        opt = make([w])
        steps = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(steps):
                opt.step()
            if time.perf_counter() - t0 > 0.2 * args.seconds or steps > (1 << 20):
                break
            steps *= 2
        per_repeat = steps * 5
        ns = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            for _ in range(per_repeat):
                opt.step()
            ns.append((time.perf_counter() - t0) / per_repeat / n * 1e9)
        print(json.dumps({"kind": "optim", "impl": "torch", "optim": name, "n": n,
                          "ns_per_param": round(statistics.median(ns), 4),
                          "steps_per_repeat": per_repeat, "repeats": args.repeats,
                          "torch": torch.__version__}), flush=True)
