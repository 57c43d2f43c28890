#!/bin/sh
# tests/cli/profiles.sh — `make experiments` and experiments/run_all.sh refuse a profile
# they do not define (issue 9 item 7: PROFILE=bogus was accepted), and accept ci, quick and
# full. run_all.sh is run directly against the build under test; make is run with -n in
# the source tree (the check happens while the Makefile is read, so nothing is built).
#
#   profiles.sh   (environment: GR_SOURCE_DIR, GR_CLI)
set -eu
src=${GR_SOURCE_DIR:?}
cli=${GR_CLI:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_profiles.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
  echo "profiles: FAIL: $*" >&2
  exit 1
}
# an outer `make test` exports its jobserver flags; this make is a separate invocation
unset MAKEFLAGS MFLAGS MAKELEVEL
# the MNIST files and classifier of the trees used below, not of the environment
unset GR_MNIST_DIR GR_MNIST_CLASSIFIER
ncfg=$("$cli" list --dir "$src/experiments" --files | wc -l)

for p in bogus "" "ci quick" CI; do
  st=0
  sh "$src/experiments/run_all.sh" "$cli" "$p" >"$tmp/out" 2>"$tmp/err" || st=$?
  [ "$st" -eq 2 ] || fail "run_all.sh with profile '$p' exited $st, want 2"
  grep -q "unknown profile '$p': expected ci, quick or full" "$tmp/err" ||
    fail "run_all.sh '$p': no message naming the profile: $(cat "$tmp/err")"
  st=0
  make -n -C "$src" experiments PROFILE="$p" >"$tmp/out" 2>"$tmp/err" || st=$?
  [ "$st" -ne 0 ] || fail "make experiments PROFILE='$p' was accepted"
  grep -q "PROFILE=$p is not a profile: expected one of ci quick full" "$tmp/err" ||
    fail "make PROFILE='$p': no message naming the profile: $(cat "$tmp/err")"
  echo "profiles: PROFILE='$p' refused by run_all.sh (exit 2) and by make"
done
st=0
sh "$src/experiments/run_all.sh" >"$tmp/out" 2>"$tmp/err" || st=$?
[ "$st" -eq 2 ] || fail "run_all.sh without arguments exited $st, want 2"

for p in ci quick full; do
  make -n -C "$src" experiments PROFILE="$p" >"$tmp/out" 2>"$tmp/err" ||
    fail "make -n experiments PROFILE=$p: $(cat "$tmp/err")"
  grep -q "run_all.sh .* $p\$" "$tmp/out" || fail "make does not pass PROFILE=$p to run_all.sh"
  echo "profiles: PROFILE=$p passed to run_all.sh by make"
done

# The ci profile end to end, in a scratch copy of experiments/ and plots/ (run_all.sh
# writes results/ and plots/out/ beside its own folder): every declared experiment runs,
# each writes its results file, its figure (PNG and PDF), its tables (tex, md, csv), the
# verdicts are printed and written, and a second call skips every run and gives the same
# tables, verdicts, figure data and PNG bytes. quick and full are too long for a test.
mkdir -p "$tmp/tree"
cp -R "$src/experiments" "$tmp/tree/experiments"
cp -R "$src/plots" "$tmp/tree/plots"
rm -rf "$tmp/tree/plots/out"
# MNIST: its experiments read datasets/mnist/ of the tree run_all.sh runs in. When the source
# tree has the four files (`make test` fetches them first: make mnist) they are linked into
# the scratch tree, so every experiment runs. Without them, each MNIST experiment must fail
# (exit 1) with a message naming the missing file and `make mnist` (checked here); those
# experiments are then removed from the scratch copy, the rest is checked as usual, and the
# test ends with exit 77 (ctest: Skipped, not Passed): never a silent skip.
mnist_names="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
have_mnist=1
for x in $mnist_names; do [ -f "$src/datasets/mnist/$x" ] || have_mnist=0; done
mkdir -p "$tmp/tree/datasets/mnist"
nmnist=0
for f in "$tmp"/tree/experiments/*.cfg; do
  "$cli" run "$f" --dry-run --declaration --profile ci 2>/dev/null | grep -q '^  set = "mnist";$' || continue
  nmnist=$((nmnist + 1))
  [ "$have_mnist" -eq 1 ] && continue
  st=0
  (cd "$tmp/tree" && "$cli" run "$f" --profile ci --out "$tmp/nomnist") >"$tmp/out" 2>"$tmp/err" || st=$?
  [ "$st" -eq 1 ] || fail "$(basename "$f") without the MNIST files exited $st, want 1 (runs failed)"
  grep -q "datasets/mnist/train-images-idx3-ubyte: not found.*make mnist" "$tmp/err" ||
    fail "$(basename "$f") without MNIST: no message naming the file and make mnist: $(cat "$tmp/err")"
  echo "profiles: $(basename "$f") fails without the MNIST files, naming the file and make mnist"
  rm "$f"
done
if [ "$have_mnist" -eq 1 ]; then
  for x in $mnist_names; do ln -s "$src/datasets/mnist/$x" "$tmp/tree/datasets/mnist/$x"; done
fi
ncfg=$("$cli" list --dir "$tmp/tree/experiments" --files | wc -l)
st=0
sh "$tmp/tree/experiments/run_all.sh" "$cli" ci >"$tmp/out" 2>"$tmp/err" || st=$?
if [ "$ncfg" -eq 0 ]; then
  [ "$st" -eq 0 ] || fail "run_all.sh ci exited $st with no experiment declared"
  grep -q "no experiments are declared yet" "$tmp/out" || fail "run_all.sh ci: $(cat "$tmp/out")"
  grep -q "built ganrepro " "$tmp/out" || fail "run_all.sh ci does not print the version"
else
  [ "$st" -eq 0 ] || fail "run_all.sh ci exited $st: $(tail -5 "$tmp/err")"
  for f in $("$cli" list --dir "$tmp/tree/experiments" --files); do
    name=$("$cli" run "$f" --dry-run --profile ci | sed -n 's/^# experiment: //p')
    [ -n "$name" ] || fail "no experiment name in the dry run of $f"
    [ -s "$tmp/tree/results/$name.h5" ] || fail "run_all.sh ci wrote no results/$name.h5"
    for x in png pdf; do
      [ -s "$tmp/tree/plots/out/$name.$x" ] || fail "run_all.sh ci drew no plots/out/$name.$x"
    done
    for x in tex md csv; do
      [ -s "$tmp/tree/results/tables/$name.$x" ] || fail "run_all.sh ci wrote no results/tables/$name.$x"
    done
  done
  # the figures of several experiments (plots/NAME.gp with a "# figure inputs:" line)
  for s in "$tmp"/tree/plots/*.gp; do
    grep -q '^# figure inputs:' "$s" || continue
    for x in png pdf; do
      [ -s "$tmp/tree/plots/out/$(basename "$s" .gp).$x" ] ||
        fail "run_all.sh ci drew no plots/out/$(basename "$s" .gp).$x"
    done
  done
  for x in md csv tex; do
    [ -s "$tmp/tree/results/tables/verdicts.$x" ] || fail "run_all.sh ci wrote no verdicts.$x"
  done
  grep -q "^verify: .* criteria: " "$tmp/out" || fail "run_all.sh ci printed no verdict summary"
  grep -q "^experiments: summary (profile ci)" "$tmp/out" || fail "run_all.sh ci printed no summary"
  if grep -Eq "^C[0-9]+ +(FAIL|NOT RUN) " "$tmp/out"; then fail "run_all.sh ci: $(grep -E ' (FAIL|NOT RUN) ' "$tmp/out")"; fi
  cp "$tmp/tree/results/tables/verdicts.csv" "$tmp/verdicts1.csv"
  for f in $("$cli" list --dir "$tmp/tree/experiments" --files); do
    name=$("$cli" run "$f" --dry-run --profile ci | sed -n 's/^# experiment: //p')
    cp "$tmp/tree/results/tables/$name.csv" "$tmp/$name.table1.csv"
    cp -R "$tmp/tree/plots/out/$name" "$tmp/$name.figdata1"
    cp "$tmp/tree/plots/out/$name.png" "$tmp/$name.figure1.png"
  done
  st=0
  sh "$tmp/tree/experiments/run_all.sh" "$cli" ci >"$tmp/out" 2>"$tmp/err" || st=$?
  [ "$st" -eq 0 ] || fail "second run_all.sh ci exited $st"
  grep -q "skipped as complete" "$tmp/err" || fail "second run_all.sh ci: no skip report: $(cat "$tmp/err")"
  if grep -q "(0 skipped as complete)" "$tmp/err"; then fail "second run_all.sh ci recomputed runs"; fi
  cmp -s "$tmp/verdicts1.csv" "$tmp/tree/results/tables/verdicts.csv" ||
    fail "second run_all.sh ci: the verdicts changed"
  for f in $("$cli" list --dir "$tmp/tree/experiments" --files); do
    name=$("$cli" run "$f" --dry-run --profile ci | sed -n 's/^# experiment: //p')
    cmp -s "$tmp/$name.table1.csv" "$tmp/tree/results/tables/$name.csv" ||
      fail "second run_all.sh ci: the table of $name changed"
    for d in "$tmp/$name.figdata1"/*; do
      cmp -s "$d" "$tmp/tree/plots/out/$name/$(basename "$d")" ||
        fail "second run_all.sh ci: the figure data $(basename "$d") of $name changed"
    done
    cmp -s "$tmp/$name.figure1.png" "$tmp/tree/plots/out/$name.png" ||
      fail "second run_all.sh ci: the PNG of $name changed"
  done
  # a criterion changed to fail on purpose: run_all.sh (verify) exits 1 and says FAIL
  for f in "$tmp"/tree/experiments/*.cfg; do
    sed -i 's/condition = "<="; threshold = 1e-12;/condition = "<="; threshold = -1.0;/' "$f"
  done
  if grep -q 'threshold = -1.0;' "$tmp"/tree/experiments/*.cfg; then
    st=0
    sh "$tmp/tree/experiments/run_all.sh" "$cli" ci >"$tmp/out" 2>"$tmp/err" || st=$?
    [ "$st" -eq 1 ] || fail "run_all.sh ci with a criterion made to fail exited $st, want 1"
    grep -Eq "^C[0-9]+ +FAIL " "$tmp/out" || fail "no FAIL line: $(cat "$tmp/out")"
    echo "profiles: a criterion changed to fail makes run_all.sh exit 1"
  fi
fi
echo "profiles: run_all.sh ci ran $ncfg experiment(s) (exit 0) and a second call skipped them"
if [ "$have_mnist" -eq 0 ] && [ "$nmnist" -gt 0 ]; then
  echo "profiles: SKIPPED the ci runs of $nmnist MNIST experiment(s): $src/datasets/mnist has not the four MNIST files (make mnist fetches them); everything else passed" >&2
  exit 77
fi
echo "profiles: ok"
