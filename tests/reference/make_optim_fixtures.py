#!/usr/bin/python3
"""Make the optimizer fixtures of tests/nn/test_optim.c with PyTorch (run once, by hand).

    /usr/bin/python3 tests/reference/make_optim_fixtures.py   # from the repository root

Writes tests/reference/optim_fixtures/inputs.txt (initial parameters and the gradient fed at
every step) and one <config>.txt per optimizer configuration (the parameter vector after
every step, as torch.optim computes it in float32 on the CPU). The C test replays the same
gradients through src/nn/optim.c and compares. The suite never runs this script.

Gradients are given (not computed from a loss) so every configuration sees the same
sequence. They mix magnitudes on purpose: ordinary N(0,1) entries, tiny entries (1e-6, 1e-9:
there eps dominates the RMSProp/Adam denominators, so a misplaced eps shows), exact zeros,
large entries (1e3) and sign flips between steps.
"""
import os

import numpy as np
import torch

N = 240      # parameters
STEPS = 7    # optimizer steps
SEED = 20261121

# name -> (torch optimizer class, keyword arguments). The config line written to each
# fixture uses ganrepro's field names (gr_optim_config) so the C test needs no mapping table.
CONFIGS = [
    ("sgd", "sgd", dict(lr=0.1)),
    ("sgd_wd", "sgd", dict(lr=0.1, weight_decay=0.05)),
    ("momentum", "sgd", dict(lr=0.05, momentum=0.9, dampening=0.25, weight_decay=0.01)),
    ("nesterov", "sgd", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("rmsprop", "rmsprop", dict(lr=0.01)),
    ("rmsprop_wgan", "rmsprop", dict(lr=5e-3, alpha=0.9, eps=1e-6, weight_decay=0.02)),
    ("rmsprop_centered", "rmsprop", dict(lr=0.01, centered=True)),
    ("rmsprop_momentum", "rmsprop", dict(lr=0.01, momentum=0.8)),
    ("rmsprop_centered_momentum", "rmsprop", dict(lr=0.01, momentum=0.5, centered=True,
                                                  weight_decay=0.03)),
    ("adam", "adam", dict(lr=0.01)),
    ("adam_wgangp", "adam", dict(lr=0.02, betas=(0.0, 0.9))),
    ("adam_wd", "adam", dict(lr=0.01, betas=(0.5, 0.999), eps=1e-6, weight_decay=0.05)),
]

DEFAULTS = {
    "sgd": dict(lr=None, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False),
    "rmsprop": dict(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                    centered=False),
    "adam": dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0),
}


def fmt(v):
    return " ".join("%.9g" % x for x in np.asarray(v, dtype=np.float32).tolist())


def config_line(kind, kw):
    full = dict(DEFAULTS[kind])
    full.update(kw)
    out = {"kind": kind, "lr": full["lr"], "weight_decay": full["weight_decay"]}
    if kind == "sgd":
        out.update(momentum=full["momentum"], dampening=full["dampening"],
                   nesterov=int(full["nesterov"]))
    elif kind == "rmsprop":
        out.update(alpha=full["alpha"], eps=full["eps"], momentum=full["momentum"],
                   centered=int(full["centered"]))
    else:
        out.update(beta1=full["betas"][0], beta2=full["betas"][1], eps=full["eps"])
    return "config " + " ".join("%s=%s" % (k, v if isinstance(v, str) else repr(v))
                                for k, v in out.items())


def main():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_fixtures")
    os.makedirs(here, exist_ok=True)
    rng = np.random.default_rng(SEED)
    p0 = rng.normal(0.0, 1.0, N).astype(np.float32)
    p0[::7] *= np.float32(0.03)  # small parameters: relative errors there are visible
    grads = []
    for _ in range(STEPS):
        g = rng.normal(0.0, 1.0, N)
        g[0::11] *= 1e-6
        g[1::13] *= 1e-9
        g[2::17] = 0.0
        g[3::19] *= 1e3
        grads.append(g.astype(np.float32))
    grads[3][::5] *= -1  # sign flips mid-run
    header = "# made by tests/reference/make_optim_fixtures.py with torch %s, numpy %s, seed %d\n" % (
        torch.__version__, np.__version__, SEED)
    with open(os.path.join(here, "inputs.txt"), "w") as f:
        f.write(header)
        f.write("# line 1: n steps; line 2: initial parameters; then one gradient per step\n")
        f.write("%d %d\n" % (N, STEPS))
        f.write(fmt(p0) + "\n")
        for g in grads:
            f.write(fmt(g) + "\n")
    classes = {"sgd": torch.optim.SGD, "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam}
    for name, kind, kw in CONFIGS:
        p = torch.nn.Parameter(torch.from_numpy(p0.copy()))
        opt = classes[kind]([p], **kw)
        with open(os.path.join(here, name + ".txt"), "w") as f:
            f.write(header)
            f.write("# torch.optim.%s(%s); parameters after each step\n" % (
                classes[kind].__name__, ", ".join("%s=%r" % kv for kv in kw.items())))
            f.write(config_line(kind, kw) + "\n")
            for g in grads:
                p.grad = torch.from_numpy(g.copy())
                opt.step()
                f.write(fmt(p.detach().numpy()) + "\n")
    print("wrote %d configurations to %s" % (len(CONFIGS), here))


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
