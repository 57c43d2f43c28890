#!/bin/sh
# bench/nn/run.sh — MLP GAN training speed, ganrepro against PyTorch 1.13 on CPU (issue 4),
# side by side in one run, and one table with the ratios and the fraction of the sgemm peak.
#
#   sh bench/nn/run.sh [BUILD_DIR] [--runs N] [--seconds S] [--threads 1,2] [--coretype NAME]
#
# Both sides run on the same OpenBLAS kernels (Debian's PyTorch calls the same libopenblas):
# without --coretype or OPENBLAS_CORETYPE in the environment, the script asks
# `BUILD_DIR/ganrepro --version` which core ganrepro runs on (its start-up check replaces
# OpenBLAS's generic fallbacks, e.g. Prescott on CPUs OpenBLAS 0.3.21 does not know; see
# src/linalg/blas_core.h) and exports OPENBLAS_CORETYPE=that core for every program; it
# prints the core of each side (bench/blas_core.py for PyTorch's).
# --coretype NAME exports OPENBLAS_CORETYPE=NAME instead. OpenBLAS 0.3.21 does not know AMD
# family 26 (Zen 5) and picks its Haswell (AVX2) kernels there; ganrepro's check replaces an
# AVX2 set on a full-AVX-512 CPU by SkylakeX (sgemm ~190 GFLOP/s against ~115 on one core of
# the 2026-11-21 machine).
#
# BUILD_DIR (default build/) must hold bench/nn/bench_nn, bench_nn_gemm_peak and bench_nn_optim
# (`make build`). Each run executes, in turn: the sgemm peak probe, ganrepro's five
# workloads, ganrepro's optimizer steps (bench_nn_optim), PyTorch's five workloads
# (/usr/bin/python3, Debian python3-torch), each at every thread count, and torch.optim's
# steps; runs are interleaved so a change of machine load hits both sides alike.
# The table reports medians over runs. Raw JSON lines go to BUILD_DIR/bench/nn/results.jsonl.
#
# PyTorch runs with OMP_WAIT_POLICY=PASSIVE: with the default (spinning) policy its OpenMP
# pool and OpenBLAS's pool fight for 2 cores (workload (a) at 2 threads: 1.8-2.5 it/s on a
# quiet machine against 8 with PASSIVE, 0.25 on a loaded one per anchors/README.md), and
# "PyTorch's best thread setting" must be its best.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=build
RUNS=3
SECONDS_PER_REPEAT=1.5
THREADS=1,2
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECONDS_PER_REPEAT=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --coretype) OPENBLAS_CORETYPE=$2; export OPENBLAS_CORETYPE; shift 2 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    -*) echo "bench/nn/run.sh: unknown option $1" >&2; exit 2 ;;
    *) BUILD=$1; shift ;;
    esac
done
BIN=$BUILD/bench/nn
for p in bench_nn bench_nn_gemm_peak bench_nn_optim; do
    if [ ! -x "$BIN/$p" ]; then
        echo "bench/nn/run.sh: $BIN/$p not found; build first (make build)" >&2
        exit 2
    fi
done
if [ ! -x "$BUILD/ganrepro" ]; then
    echo "bench/nn/run.sh: $BUILD/ganrepro not found; build first (make build)" >&2
    exit 2
fi
OURS_CORE=$("$BUILD/ganrepro" --version | sed -n 's/^BLAS core: //p')
if [ -z "${OPENBLAS_CORETYPE+x}" ]; then
    OPENBLAS_CORETYPE=${OURS_CORE%% *}
    export OPENBLAS_CORETYPE
    echo "bench/nn: ganrepro runs on $OURS_CORE; OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE for" \
         "both sides" >&2
fi
PY=/usr/bin/python3
HAVE_TORCH=1
if ! $PY -c 'import torch' 2>/dev/null; then
    echo "bench/nn/run.sh: PyTorch not importable by $PY (apt-get install python3-torch);" \
         "ganrepro only" >&2
    HAVE_TORCH=0
fi
OUT=$BIN/results.jsonl
: > "$OUT"
CORE_OURS=$("$BUILD/ganrepro" --version | sed -n 's/^BLAS core: //p')
CORE_TORCH=$($PY "$HERE/../blas_core.py" torch | sed 's/ |.*//')
echo "# bench/nn $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -m) $(nproc) cpus;" \
     "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(auto)}; core ganrepro $CORE_OURS, PyTorch $CORE_TORCH;" \
     "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); uptime: $(uptime)" >> "$OUT"
i=1
while [ "$i" -le "$RUNS" ]; do
    echo "bench/nn: run $i/$RUNS (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    "$BIN/bench_nn_gemm_peak" --threads "$THREADS" --repeats 3 --seconds 0.5 >> "$OUT"
    "$BIN/bench_nn" --threads "$THREADS" --repeats 3 --seconds "$SECONDS_PER_REPEAT" >> "$OUT"
    OPENBLAS_NUM_THREADS=1 "$BIN/bench_nn_optim" --repeats 5 --seconds 0.3 >> "$OUT"
    if [ "$HAVE_TORCH" = 1 ]; then
        OMP_WAIT_POLICY=PASSIVE $PY "$HERE/torch_bench.py" --threads "$THREADS" --repeats 3 \
            --seconds "$SECONDS_PER_REPEAT" >> "$OUT"
        OMP_WAIT_POLICY=PASSIVE $PY "$HERE/torch_optim_bench.py" --repeats 5 --seconds 0.3 >> "$OUT"
    fi
    i=$((i + 1))
done
echo "# end $(date -u +%Y-%m-%dT%H:%M:%SZ) uptime: $(uptime)" >> "$OUT"
echo "## bench/nn — GAN training iterations/s, ganrepro vs PyTorch $($PY -c 'import torch; print(torch.__version__)' 2>/dev/null || echo '(absent)') (CPU)"
echo
echo "OpenBLAS kernels: ganrepro $CORE_OURS; PyTorch $CORE_TORCH"
if [ "$HAVE_TORCH" = 1 ]; then
    case "$CORE_OURS" in
    "$CORE_TORCH "*) ;;
    *) echo "bench/nn/run.sh: warning: ganrepro and PyTorch ran on different OpenBLAS cores" >&2 ;;
    esac
fi
echo
$PY "$HERE/report.py" "$OUT" --format md
echo "raw results: $OUT"
