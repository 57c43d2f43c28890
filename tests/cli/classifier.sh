#!/bin/sh
# tests/cli/classifier.sh — `ganrepro classifier`, which `make experiments` calls before the
# MNIST runs (issue 13 item 5): usage errors exit 2; without the MNIST files it exits 1 naming
# the missing file and `make mnist` (never a silent success); with the files and a cached
# classifier (datasets/mnist/classifier_unit.h5, made by the first `make experiments`) it
# loads a copy of the cache, says so, and prints a test accuracy >= 0.98 and the training
# time from the record. Training itself (30-90 s) is tested by tests/eval.
#
#   classifier.sh   (environment: GR_SOURCE_DIR, GR_CLI)
set -eu
src=${GR_SOURCE_DIR:?}
cli=${GR_CLI:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_classifier.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
  echo "classifier: FAIL: $*" >&2
  exit 1
}
unset GR_MNIST_DIR GR_MNIST_CLASSIFIER
export OPENBLAS_NUM_THREADS=1
for a in --bogus "--pixels nope" "--pixels"; do
  st=0
  # shellcheck disable=SC2086 # the arguments are split on purpose
  "$cli" classifier $a >"$tmp/out" 2>"$tmp/err" || st=$?
  [ "$st" -eq 2 ] || fail "classifier $a exited $st, want 2"
done
"$cli" classifier --help | grep -q "usage: ganrepro classifier" || fail "no usage from --help"

st=0
GR_MNIST_DIR="$tmp/none" "$cli" classifier >"$tmp/out" 2>"$tmp/err" || st=$?
[ "$st" -eq 1 ] || fail "without the MNIST files: exit $st, want 1"
grep -q "none/train-images-idx3-ubyte: not found" "$tmp/err" || fail "the missing file is not named: $(cat "$tmp/err")"
grep -q "make mnist" "$tmp/err" || fail "make mnist is not named: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "without the files something was printed on stdout: $(cat "$tmp/out")"
echo "classifier: usage errors exit 2; missing MNIST files exit 1 naming the file and make mnist"

mdir=$src/datasets/mnist
if [ ! -f "$mdir/train-images-idx3-ubyte" ] || [ ! -f "$mdir/classifier_unit.h5" ]; then
  echo "classifier: SKIP (load path): $mdir has no MNIST files or no cached classifier_unit.h5 (make experiments trains it)"
  echo "classifier: ok"
  exit 0
fi
cp "$mdir/classifier_unit.h5" "$tmp/c.h5"
st=0
GR_MNIST_DIR=$mdir GR_MNIST_CLASSIFIER=$tmp/c.h5 "$cli" classifier >"$tmp/out" 2>"$tmp/err" || st=$?
[ "$st" -eq 0 ] || fail "with the files and a cache: exit $st: $(cat "$tmp/err")"
grep -q "^$tmp/c.h5: loaded from its cache" "$tmp/out" || fail "not loaded from the cache: $(cat "$tmp/out")"
acc=$(sed -n 's/.*test accuracy \([0-9.]*\),.*/\1/p' "$tmp/out")
awk -v a="$acc" 'BEGIN { exit !(a >= 0.98 && a <= 1) }' || fail "test accuracy '$acc' is not >= 0.98"
grep -q "trained in [0-9]" "$tmp/out" || fail "no training time: $(cat "$tmp/out")"
cmp -s "$mdir/classifier_unit.h5" "$tmp/c.h5" || fail "loading changed the cache file"
echo "classifier: $(cat "$tmp/out")"
echo "classifier: ok"
