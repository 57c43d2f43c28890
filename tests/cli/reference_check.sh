#!/bin/sh
# tests/cli/reference_check.sh — the numerics regression: every declared experiment run
# at its ci profile (one worker, one BLAS thread, scratch folder) must reproduce the
# committed per-run summary results/reference/NAME.ci.csv within the tolerances of
# results/reference/NAME.ci.tol (results/reference/compare.awk). An experiment without a
# reference fails: run `make reference` and commit what it writes. A deliberate numerics
# change is committed with regenerated references (git diff shows which values moved).
#
#   reference_check.sh   (environment: GR_SOURCE_DIR, GR_CLI)
set -eu
src=${GR_SOURCE_DIR:?}
cli=${GR_CLI:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_refcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export OPENBLAS_NUM_THREADS=1
# The kernels are pinned: networks compute in float through OpenBLAS sgemm, whose results
# depend on the kernel set (Cooperlake, SkylakeX, Haswell ... differ in the last bits, and a
# training run amplifies that), so the references are made and checked on OpenBLAS's
# Haswell kernels (AVX2 + FMA: every x86-64 CPU CI runs on has them; on one without AVX2
# the check is skipped with its reason). Same seeds, build, one thread, same kernels: the
# same numbers bit for bit (docs/DESIGN.md, determinism).
export OPENBLAS_CORETYPE=Haswell
if ! grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
  echo "SKIP_REASON: this CPU has no AVX2, so OpenBLAS's Haswell kernels the references were made with cannot run" >&2
  exit 77
fi
# MNIST experiments read the files from the source tree's datasets/mnist (this script runs in
# tests/). Without the four files (make mnist fetches them) those experiments cannot be
# checked: they are named, the rest is checked, and the script ends with exit 77 (Skipped).
export GR_MNIST_DIR="$src/datasets/mnist"
have_mnist=1
for x in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -f "$GR_MNIST_DIR/$x" ] || have_mnist=0
done
skipped=""
rc=0
n=0
for f in $("$cli" list --dir "$src/experiments" --files); do
  if [ "$have_mnist" -eq 0 ] &&
    "$cli" run "$f" --dry-run --declaration --profile ci | grep -q '^  set = "mnist";$'; then
    skipped="$skipped $(basename "$f")"
    continue
  fi
  st=0
  r=$("$cli" run "$f" --profile ci --jobs 1 --out "$tmp" 2>"$tmp/err") || st=$?
  if [ $st -eq 2 ] || [ -z "$r" ]; then
    echo "reference_check: FAIL: $f did not run: $(cat "$tmp/err")" >&2
    exit 1
  fi
  name=$(basename "$r" .h5)
  ref=$src/results/reference/$name.ci.csv
  tol=$src/results/reference/$name.ci.tol
  if [ ! -f "$ref" ] || [ ! -f "$tol" ]; then
    echo "reference_check: FAIL: no reference $ref (or $tol): run 'make reference' and commit it" >&2
    rc=1
    continue
  fi
  "$cli" table "$r" --format runs --stdout >"$tmp/$name.csv"
  if awk -f "$src/results/reference/compare.awk" "$tol" "$ref" "$tmp/$name.csv"; then
    echo "reference_check: $name (ci) matches results/reference/$name.ci.csv"
  else
    echo "reference_check: FAIL: $name (ci) differs from results/reference/$name.ci.csv" >&2
    rc=1
  fi
  n=$((n + 1))
done
# the comparison itself must catch a change: a value moved past its tolerance fails
if [ -f "$src/results/reference/parallel_lines.ci.csv" ]; then
  awk -F, 'BEGIN { OFS = "," } /^#/ { print; next } !h { h = 1; for (i = 1; i <= NF; i++) if ($i == "w1_exact_lipschitz_max") c = i; print; next } { $c = sprintf("%.17g", $c * (1 + 1e-11)); print }' \
    "$src/results/reference/parallel_lines.ci.csv" >"$tmp/moved.csv"
  if awk -f "$src/results/reference/compare.awk" "$src/results/reference/parallel_lines.ci.tol" \
    "$src/results/reference/parallel_lines.ci.csv" "$tmp/moved.csv" >"$tmp/moved.out"; then
    echo "reference_check: FAIL: a relative change of 1e-11 in w1_exact_lipschitz_max passed" >&2
    rc=1
  fi
  grep -q "w1_exact_lipschitz_max: got" "$tmp/moved.out" || {
    echo "reference_check: FAIL: the moved value is not named: $(cat "$tmp/moved.out")" >&2
    rc=1
  }
fi
[ $rc -eq 0 ] && echo "reference_check: ok ($n experiment(s))"
if [ $rc -eq 0 ] && [ -n "$skipped" ]; then
  echo "SKIP_REASON: not checked without the MNIST files in $GR_MNIST_DIR (make mnist):$skipped" >&2
  exit 77
fi
exit $rc
