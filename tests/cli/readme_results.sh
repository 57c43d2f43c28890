#!/bin/sh
# tests/cli/readme_results.sh — the README's "Reading the results" and "Adding an
# experiment" sections run as written (issue 18 item 2).
#
# In a scratch tree holding `build` (a link to the build under test), copies of
# experiments/ and plots/ and nothing else:
#   - `ganrepro run experiments/parallel_lines.cfg --profile ci` makes the results file;
#     the ```python block after the first "<!-- results-example -->" runs with
#     /usr/bin/python3 (h5py, pandas) and must print the experiment, profile and commit
#     line, the two runs' summary rows and the curve near theta = 0 (W1 = |theta| on the
#     shared grid); the ```sh block after the second runs line by line under sh -e, and
#     its h5dump lines must print the profile and the metric;
#   - each "<!-- example-file: PATH -->" block is written to PATH, then the
#     "<!-- example-commands -->" block runs line by line: the new experiment runs at ci,
#     its criterion passes (verify exit 0, "PASS"), its figure is drawn by its own script
#     (not generic.gp) and its table written.
# Without python3's h5py and pandas, or h5dump, or gnuplot: exit 77 (skipped, not a pass).
#
#   readme_results.sh   (environment: GR_SOURCE_DIR, GR_BUILD_DIR)
set -eu
src=${GR_SOURCE_DIR:?}
build=${GR_BUILD_DIR:?}
readme=$src/README.md
fail() {
  echo "readme_results: FAIL: $*" >&2
  exit 1
}
for t in h5dump gnuplot; do
  command -v "$t" >/dev/null 2>&1 || {
    echo "readme_results: SKIP: no $t (make deps)"
    exit 77
  }
done
/usr/bin/python3 -c 'import h5py, pandas' 2>/dev/null || {
  echo "readme_results: SKIP: /usr/bin/python3 lacks h5py or pandas (make deps: python3-h5py python3-pandas)"
  exit 77
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_readme_results.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
run=$tmp/run
mkdir "$run"
ln -s "$build" "$run/build"
cp -R "$src/experiments" "$run/experiments"
cp -R "$src/plots" "$run/plots"
rm -rf "$run/plots/out"

# block N of kind LANG after marker MARK (exact line), printed; empty when absent
block() { # MARK LANG N
  awk -v mark="$1" -v lang="$2" -v want="$3" '
    $0 == mark { n++; on = (n == want); next }
    on == 1 { if ($0 != "```" lang) { on = 0; next } on = 2; next }
    on == 2 && $0 == "```" { exit }
    on == 2 { print }' "$readme"
}
# run each line of FILE in order under one sh -e in the scratch tree, echoing it
run_lines() { # FILE
  awk -v q="'" '{ s = $0; gsub(q, q "\\" q q, s); print "printf \"+ %s\\n\" " q s q; print }' "$1" >"$1.sh"
  (cd "$run" && sh -e "$1.sh")
}

# ---- reading the results -------------------------------------------------------------------
"$build/ganrepro" run "$run/experiments/parallel_lines.cfg" --profile ci --out "$run/results" \
  >/dev/null 2>"$tmp/run.err" || fail "ganrepro run parallel_lines --profile ci: $(tail -3 "$tmp/run.err")"
block "<!-- results-example -->" python 1 >"$tmp/read.py"
[ -s "$tmp/read.py" ] || fail "no \`\`\`python block after the first <!-- results-example -->"
grep -q 'import h5py' "$tmp/read.py" && grep -q 'pandas' "$tmp/read.py" || fail "the Python example does not use h5py and pandas"
(cd "$run" && /usr/bin/python3 "$tmp/read.py") >"$tmp/py.out" 2>"$tmp/py.err" ||
  fail "the README's Python example failed: $(tail -5 "$tmp/py.err")"
commit=$(h5dump -a /git_commit "$run/results/parallel_lines.h5" | sed -n 's/^ *(0): "\(.*\)"$/\1/p')
head -1 "$tmp/py.out" | grep -qxF "parallel_lines ci $commit" || fail "the Python example's first line: $(head -1 "$tmp/py.out")"
grep -q ' ok  *shared_grid ' "$tmp/py.out" && grep -q ' ok  *independent ' "$tmp/py.out" ||
  fail "the Python example does not print both runs' summary rows: $(cat "$tmp/py.out")"
# the curve rows near theta = 0 (first run: shared grid): theta, |theta|, LP W1 equal
awk 'NF == 5 && $2 ~ /^-?0\.[0-2]$|^-?0\.0$/ { rows++; if ($3 + 0 != ($2 < 0 ? -$2 : $2) || $4 + 0 != $3 + 0) bad++ }
     END { exit !(rows == 5 && !bad) }' "$tmp/py.out" ||
  fail "the Python example's curve rows (theta in [-0.2, 0.2]: W1 = |theta| on the shared grid): $(cat "$tmp/py.out")"
echo "readme_results: the Python example (h5py + pandas) ran and printed the file's runs and curve"
block "<!-- results-example -->" sh 2 >"$tmp/read.sh"
[ -s "$tmp/read.sh" ] || fail "no \`\`\`sh block after the second <!-- results-example -->"
grep -q '^h5dump ' "$tmp/read.sh" || fail "the shell example has no h5dump line"
# its commands read results/parallel_lines.h5 (the scratch tree's, made above)
run_lines "$tmp/read.sh" >"$tmp/sh.out" 2>"$tmp/sh.err" || fail "the README's shell example failed: $(tail -5 "$tmp/sh.err")"
grep -q '(0): "ci"' "$tmp/sh.out" || fail "h5dump -a /profile did not print the profile"
grep -q 'DATASET "w1_lp_max_abs_err"' "$tmp/sh.out" || fail "h5dump -d /summary/... did not print the dataset"
grep -q '^run_id,index,seed,status' "$tmp/sh.out" || fail "ganrepro table --format runs did not print the runs CSV"
echo "readme_results: the shell example (h5dump, ganrepro table) ran"

# ---- adding an experiment --------------------------------------------------------------------
files=$(sed -n 's/^<!-- example-file: \([^ ]*\) -->$/\1/p' "$readme")
[ "$(printf '%s\n' "$files" | grep -c .)" -eq 2 ] || fail "want two example-file blocks (a cfg and a gp), found: $files"
for f in $files; do
  case "$f" in experiments/*.cfg | plots/*.gp) ;; *) fail "example file $f is not an experiments/*.cfg or plots/*.gp" ;; esac
  [ ! -e "$src/$f" ] || fail "the example file $f exists in the tree: the example must be a new experiment"
  block "<!-- example-file: $f -->" "" 1 >"$run/$f"
  [ -s "$run/$f" ] || fail "the example-file block $f is empty"
done
name=$(basename "$(printf '%s\n' "$files" | grep '\.cfg$')" .cfg)
[ -f "$run/plots/$name.gp" ] || fail "the example's script is not plots/$name.gp"
block "<!-- example-commands -->" sh 1 >"$tmp/example.sh"
[ -s "$tmp/example.sh" ] || fail "no \`\`\`sh block after <!-- example-commands -->"
run_lines "$tmp/example.sh" >"$tmp/ex.out" 2>"$tmp/ex.err" || fail "the worked example failed: $(tail -3 "$tmp/ex.out") $(tail -3 "$tmp/ex.err")"
[ -f "$run/results/$name.h5" ] || fail "the worked example made no results/$name.h5"
grep -q "^claim C19 *PASS" "$tmp/ex.out" || fail "the worked example's claim did not pass: $(grep -i 'claim\|PASS\|FAIL' "$tmp/ex.out")"
grep -q "($name.gp)\|(plots/$name.gp)" "$tmp/ex.err" || fail "ganrepro plot did not use plots/$name.gp: $(grep 'ganrepro plot' "$tmp/ex.err")"
for x in png pdf; do
  [ -s "$run/plots/out/$name.$x" ] || fail "no plots/out/$name.$x"
done
[ -s "$run/results/tables/$name.csv" ] || fail "no results/tables/$name.csv"
echo "readme_results: the worked example ($name) ran at ci, passed its criterion, drew its figure with its script"
echo "readme_results: ok"
