#!/bin/sh
# bench/harness/run.sh — training throughput inside the harness (`ganrepro run` of a `train`
# experiment) against bench/nn's figure for the same workload (issue 17 item 5: evaluation
# and probes must not eat the speed the engine has), side by side in one run.
#
#   sh bench/harness/run.sh [BUILD_DIR] [--runs N] [--models toy_wgangp,toy_gan,toy_wgan_clip]
#                           [--steps-scale F]
#
# Per repeat and model, interleaved so a change of machine load hits all three alike:
#   bench   bench/nn's bench_nn --models M --threads 1 (the engine alone: gr_gan_trainer_step in
#           a loop; it/s = iterations / wall time of the timed loop);
#   quick   `ganrepro run bench/harness/harness.cfg --profile quick` with M's method settings:
#           bench/nn's nets (3 x 512), batch 256, n_critic, init and optimizer, and toy_train's
#           quick evaluation and probes (W1 + floor at n = 1000 and 2500 mode samples every 100
#           steps and at step 0, probes at quick's intervals);
#   bare    the same with profile ci of harness.cfg: one final evaluation at eval.n = 2, no probes.
# A harness run's figures come from the attributes its run group records (docs/RESULTS.md,
# train protocol "Timing"): wall it/s = steps / wall_time_s (the whole run in its worker:
# set-up, every step, probe, evaluation and the results write), engine it/s = steps /
# train_seconds (inside gr_gan_trainer_step only), and cpu it/s = steps / the CPU time of the
# whole `ganrepro run` process tree (getrusage of the children), set against bench_nn's
# cpu_rate_median (iterations per CPU second of its timed loop). On a shared machine the
# CPU-time figures are the robust ones (another process's share of the cores does not enter
# them); the wall figures are what a user waits. Ratios are harness / bench of the medians.
# Steps per run: toy_wgangp, toy_wgan_clip 200, toy_gan 1000 (times --steps-scale): at least
# two evaluation intervals, so the quick rate includes evaluations at the density quick runs
# them (21 per 2000 steps in toy_train quick; here 3 per 200 or 11 per 1000: slightly more).
# quick's checkpoint every 500 steps is not part of this (harness.cfg sets none).
#
# One BLAS thread, and one OpenBLAS kernel set for all: without OPENBLAS_CORETYPE in the
# environment the script asks `BUILD_DIR/ganrepro --version` which core ganrepro runs on and
# exports that (as bench/nn/run.sh does); the table names the core each side reported
# (bench_nn's openblas_get_corename, the results file's blas_core). Raw lines go to
# BUILD_DIR/bench/harness/results.jsonl; medians over the runs are printed.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=build
RUNS=3
MODELS=toy_wgangp,toy_gan,toy_wgan_clip
SCALE=1
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --models) MODELS=$2; shift 2 ;;
    --steps-scale) SCALE=$2; shift 2 ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    -*) echo "bench/harness/run.sh: unknown option $1" >&2; exit 2 ;;
    *) BUILD=$1; shift ;;
    esac
done
for p in ganrepro bench/nn/bench_nn; do
    if [ ! -x "$BUILD/$p" ]; then
        echo "bench/harness/run.sh: $BUILD/$p not found; build first (make build)" >&2
        exit 2
    fi
done
PY=/usr/bin/python3
if ! $PY -c 'import h5py' 2>/dev/null; then
    echo "bench/harness/run.sh: $PY cannot import h5py (python3-h5py; make deps)" >&2
    exit 2
fi
GR="$BUILD/ganrepro"
CORE=$("$GR" --version | sed -n 's/^BLAS core: //p')
if [ -z "${OPENBLAS_CORETYPE+x}" ]; then
    OPENBLAS_CORETYPE=${CORE%% *}
    export OPENBLAS_CORETYPE
fi
OPENBLAS_NUM_THREADS=1
export OPENBLAS_NUM_THREADS
echo "bench/harness: ganrepro runs on $CORE; OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE, one thread" >&2
OUTDIR=$BUILD/bench/harness
mkdir -p "$OUTDIR"
OUT=$OUTDIR/results.jsonl
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gr_harness_bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
echo "# bench/harness $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -m) $(nproc) cpus;" \
     "OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE; $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //');" \
     "uptime: $(uptime)" > "$OUT"

# the method settings of bench/nn/nn_bench.c's bench_config for workload $1, and its steps
settings() {
    case "$1" in
    toy_wgangp) STEPS=200; SETS="method.name=\"wgan_gp\"" ;;
    toy_wgan_clip) STEPS=200; SETS="method.name=\"wgan_clip\"" ;;
    toy_gan) STEPS=1000
        SETS="method.name=\"gan_ns\" method.n_critic=1 method.g_reuse_fake=true method.optim_d.lr=1e-4 method.optim_g.lr=1e-4" ;;
    *) echo "bench/harness/run.sh: unknown model $1 (toy_wgangp, toy_gan, toy_wgan_clip)" >&2
        exit 2 ;;
    esac
    STEPS=$($PY -c "print(max(1, round($STEPS * $SCALE)))")
}

# one harness run of model $1 at profile $2 (quick, or ci = bare): a JSON line. The CPU time
# is that of the whole `ganrepro run` (its worker included: getrusage of the children), so
# the cpu rate counts every cost of the run, set-up and results write too.
harness() {
    settings "$1"
    rm -rf "$TMP/out"
    # shellcheck disable=SC2086
    $PY - "$GR" "$HERE/harness.cfg" "$2" "$TMP/out" "$1" "$TMP/log" "schedule.steps=$STEPS" $SETS <<'EOF'
import json, resource, subprocess, sys, h5py
gr, cfg, prof, out, model, log = sys.argv[1:7]
cmd = [gr, "run", cfg, "--profile", prof, "--out", out]
for s in sys.argv[7:]:
    cmd += ["--set", s]
c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(log, "w") as lf:
    rc = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=lf)
c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
if rc != 0:
    sys.stderr.write(open(log).read())
    sys.exit(1)
cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
f = h5py.File(out + "/harness_bench.h5", "r")
(rid, r), = f["runs"].items()
a = r.attrs
steps = float(r["metrics"].attrs["steps"])
print(json.dumps({"impl": "harness", "model": model, "setting": "bare" if prof == "ci" else prof,
                  "blas_core": f.attrs["blas_core"].decode(), "steps": steps, "cpu_seconds": cpu,
                  "wall_time_s": float(a["wall_time_s"]), "train_seconds": float(a["train_seconds"]),
                  "eval_seconds": float(a["eval_seconds"]), "probe_seconds": float(a["probe_seconds"]),
                  "evaluations": int(a["evaluations"]), "rate_wall": steps / float(a["wall_time_s"]),
                  "rate_engine": steps / float(a["train_seconds"]), "rate_cpu": steps / cpu}))
EOF
}

i=1
while [ "$i" -le "$RUNS" ]; do
    for m in $(echo "$MODELS" | tr ',' ' '); do
        echo "bench/harness: run $i/$RUNS $m (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
        settings "$m"
        # bench_nn's timed loop about as long as the harness's training: ~ STEPS / (its rate)
        "$BUILD/bench/nn/bench_nn" --models "$m" --threads 1 --repeats 1 --seconds 10 >> "$OUT"
        harness "$m" quick >> "$OUT"
        harness "$m" ci >> "$OUT"
    done
    i=$((i + 1))
done
echo "# end $(date -u +%Y-%m-%dT%H:%M:%SZ) uptime: $(uptime)" >> "$OUT"
$PY "$HERE/report.py" "$OUT"
echo "raw results: $OUT"
