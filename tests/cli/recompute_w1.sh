#!/bin/sh
# tests/cli/recompute_w1.sh — issue 17's "a results file's stored samples give the same W1
# when an independent tool recomputes it": `ganrepro run` at ci of toy_train (the train
# protocol's final W1 and floor on 8 Gaussians), parallel_lines (distance_curve's LP W1 over
# the grid) and, with the MNIST files, mnist_train with eval.save_images = true (pixel-space
# W1 and floor in 784-D), then results/recompute_w1.py (h5py + POT's ot.emd2, uniform
# weights, Euclidean cost from numpy) on each file: every stored value within 1e-9 x
# max(1, W1) of POT's (the script's docstring justifies the tolerance), and exactly the
# number of values each file must hold. Then a file with one stored W1 moved by 1e-6 must be
# refused (exit 1), so the check can fail.
#
# POT is part of `make deps` (cmake/deps.sh) for this check: without /usr/bin/python3 and
# h5py, numpy and POT the test FAILS, naming the packages (a missing independent check is
# not a pass). Without the MNIST files (make mnist) the toy and curve checks run and the test
# ends Skipped (77) naming the files, as reference_check.sh does.
#
#   recompute_w1.sh   (environment: GR_SOURCE_DIR, GR_CLI)
set -eu
src=${GR_SOURCE_DIR:?}
cli=${GR_CLI:?}
py=/usr/bin/python3
tool="$src/results/recompute_w1.py"
if ! $py -c 'import h5py, numpy, ot' 2>/dev/null; then
  echo "FAIL: $py cannot import h5py, numpy and ot (Debian python3-h5py python3-numpy" \
       "python3-pot; make deps installs them): the independent W1 check cannot run" >&2
  exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_recompute_w1.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export OPENBLAS_NUM_THREADS=1

# check FILE N: the tool passes (exit 0) and recomputed exactly N values
check() {
  out=$($py "$tool" "$1") || { echo "$out"; echo "FAIL: recompute_w1.py $1 exited $?" >&2; exit 1; }
  echo "$out"
  got=$(echo "$out" | sed -n 's/^recompute_w1: \([0-9]*\) values recomputed.*/\1/p')
  if [ "$got" != "$2" ]; then
    echo "FAIL: $1: $got values recomputed, expected $2" >&2
    exit 1
  fi
}

"$cli" run "$src/experiments/toy_train.cfg" --profile ci --out "$tmp" >/dev/null 2>"$tmp/log" ||
  { cat "$tmp/log" >&2; exit 1; }
check "$tmp/toy_train.h5" 10 # 5 methods x (final_w1, final_w1_floor)
"$cli" run "$src/experiments/parallel_lines.cfg" --profile ci --out "$tmp" >/dev/null 2>"$tmp/log" ||
  { cat "$tmp/log" >&2; exit 1; }
runs=$($py -c "import h5py; print(len(h5py.File('$tmp/parallel_lines.h5')['runs']))")
check "$tmp/parallel_lines.h5" $((5 * runs)) # 5 grid points per run (the tool's default)

# the check can fail: one stored W1 moved by 1e-6 (above 1e-9 x max(1, W1)) is refused
cp "$tmp/toy_train.h5" "$tmp/moved.h5"
$py - "$tmp/moved.h5" <<'EOF'
import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    r = next(iter(f["runs"].values()))
    r["metrics"].attrs["final_w1"] = r["metrics"].attrs["final_w1"] + 1e-6
EOF
if $py "$tool" "$tmp/moved.h5" >"$tmp/moved.log" 2>&1; then
  cat "$tmp/moved.log"
  echo "FAIL: a stored W1 moved by 1e-6 passed the check" >&2
  exit 1
fi
grep -q "MISMATCH" "$tmp/moved.log" || { cat "$tmp/moved.log"; echo "FAIL: no MISMATCH line" >&2; exit 1; }

mnist=${GR_MNIST_DIR:-$src/datasets/mnist}
for x in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  if [ ! -f "$mnist/$x" ]; then
    echo "SKIP_REASON: $mnist/$x missing (make mnist): the MNIST pixel W1 was not checked" >&2
    exit 77
  fi
done
GR_MNIST_DIR=$mnist "$cli" run "$src/experiments/mnist_train.cfg" --profile ci --out "$tmp" \
  --set eval.save_images=true >/dev/null 2>"$tmp/log" || { cat "$tmp/log" >&2; exit 1; }
check "$tmp/mnist_train.h5" 10 # 5 methods x (final_w1, final_w1_floor), 784-D
echo "recompute_w1.sh: ok"
