#!/bin/sh
# results/reference/make_reference.sh BUILD/ganrepro — regenerate the numerics references
# on purpose (`make reference`): for every declared experiment, a fresh run of its ci
# profile (one worker, one BLAS thread, in a scratch folder) and its per-run summary at
# full precision (`ganrepro table --format runs`) written to results/reference/NAME.ci.csv
# with three provenance lines. NAME.ci.tol (the tolerances) is kept when it exists and
# created with 1e-12 relative for every column otherwise: state the right bound for each
# kind of value there, with the reason. Commit the new files in a commit that says why the
# numbers moved; `git diff results/reference` shows exactly which values did.
set -eu
if [ $# -ne 1 ]; then
  echo "usage: results/reference/make_reference.sh BUILD/ganrepro" >&2
  exit 2
fi
bin=$1
case "$bin" in
  /*) ;;
  *) bin=$PWD/$bin ;;
esac
[ -x "$bin" ] || {
  echo "reference: $bin is not an executable (make build first)" >&2
  exit 2
}
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_reference.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export OPENBLAS_NUM_THREADS=1
# The kernels are pinned: networks compute in float through OpenBLAS sgemm, whose results
# depend on the kernel set (Cooperlake, SkylakeX, Haswell ... differ in the last bits, and a
# training run amplifies that), so the references are made and checked on OpenBLAS's
# Haswell kernels (AVX2 + FMA: every x86-64 CPU CI runs on has them; on one without AVX2
# the check is skipped with its reason and no reference can be made). Same seeds, build, one thread, same kernels: the
# same numbers bit for bit (docs/DESIGN.md, determinism).
export OPENBLAS_CORETYPE=Haswell
if ! grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
  echo "reference: this CPU has no AVX2: OpenBLAS's Haswell kernels cannot run here, make the references on another machine" >&2
  exit 2
fi
# the MNIST experiments read datasets/mnist/ (make reference fetches it first: make mnist)
export GR_MNIST_DIR="$PWD/datasets/mnist"
for f in $("$bin" list --dir experiments --files); do
  st=0
  r=$("$bin" run "$f" --profile ci --jobs 1 --out "$tmp" 2>"$tmp/err") || st=$?
  if [ $st -eq 2 ] || [ -z "$r" ]; then
    cat "$tmp/err" >&2
    exit 2
  fi
  [ $st -eq 0 ] || echo "reference: $f: some ci runs failed; the reference records it" >&2
  name=$(basename "$r" .h5)
  out=results/reference/$name.ci.csv
  {
    echo "# numerics reference: experiment $name, profile ci, every run's summary metrics (ganrepro table --format runs)"
    echo "# made by make reference with $("$bin" --version | head -1); $("$bin" --version | sed -n 's/^BLAS core: //p')"
    echo "# checked by tests/cli/reference_check.sh within the tolerances of $name.ci.tol"
    "$bin" table "$r" --format runs --stdout
  } >"$out.tmp"
  mv "$out.tmp" "$out"
  tol=results/reference/$name.ci.tol
  if [ ! -f "$tol" ]; then
    printf '%s\n' "# Tolerances of $name.ci.csv (compare.awk: |got - ref| <= RTOL * |ref| + ATOL," \
      "# first matching column regex wins). 1e-12 relative for every column: make_reference.sh" \
      "# and reference_check.sh pin OpenBLAS to its Haswell kernels and one thread, so the same" \
      "# build gives these numbers bit for bit (float training trajectories included); the bound" \
      "# only absorbs last-digit printing. Loosen a column only with the reason written here." \
      ".  1e-12  0" >"$tol"
  fi
  echo "reference: wrote $out ($(grep -vc '^#' "$out") lines)"
done
