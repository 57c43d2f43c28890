#!/bin/sh
# tests/paper/paper_ci.sh — the report end to end, as `make paper` builds it, in a
# scratch copy of the tree with five fast experiments at the ci profile: the results are
# made by experiments/run_all.sh, then paper/generate.sh + latexmk + check_log.sh give
# paper/ganrepro.pdf with every figure, table and reference (no missing file, no overfull
# box); a missing figure is a visible box (and a warning), not an error; missing results
# and results of another profile are refused (exit 1) with the file and the command that
# makes them; a FAIL verdict appears in the failures section.
# Needs TeX (pdflatex, latexmk: `cmake/deps.sh --paper`); without it exit 77: skipped,
# never counted as a pass.
set -eu
src=${GR_SOURCE_DIR:?}
cli=${GR_CLI:?}
for t in latexmk pdflatex h5dump; do
  if ! command -v "$t" >/dev/null 2>&1; then
    echo "paper_ci: SKIP: no $t (install TeX with: sh cmake/deps.sh --paper)"
    exit 77
  fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_paper.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
  echo "paper_ci: FAIL: $*" >&2
  exit 1
}
unset MAKEFLAGS MFLAGS MAKELEVEL
t=$tmp/tree
mkdir -p "$t/experiments" "$t/paper" "$t/tests/paper"
cp "$src/experiments/run_all.sh" "$src/experiments/base.cfg" "$t/experiments/"
for e in parallel_lines bilinear_game noisy_dirac frozen_d_lines toy_train; do
  cp "$src/experiments/$e.cfg" "$t/experiments/"
done
cp -R "$src/plots" "$t/plots"
rm -rf "$t/plots/out"
for f in ganrepro.tex preamble.tex generate.sh render.awk claims_from_md.awk claims_from_cfg.awk; do
  cp "$src/paper/$f" "$t/paper/"
done
cp -R "$src/paper/sections" "$src/paper/data" "$t/paper/"
cp "$src/tests/paper/check_log.sh" "$t/tests/paper/"
if [ -f "$src/docs/claims.cfg" ]; then mkdir -p "$t/docs" && cp "$src/docs/claims.cfg" "$t/docs/"; fi

st=0
sh "$t/experiments/run_all.sh" "$cli" ci >"$tmp/out" 2>"$tmp/err" || st=$?
[ "$st" -eq 0 ] || fail "run_all.sh ci exited $st: $(tail -5 "$tmp/err")"

build() { # the recipe of `make paper`
  sh "$t/paper/generate.sh" ci >"$tmp/gen.out" 2>"$tmp/gen.err" || return 1
  (cd "$t/paper" && max_print_line=10000 latexmk -pdf -interaction=nonstopmode -halt-on-error ganrepro.tex \
    >"$tmp/latexmk.out" 2>&1) || { tail -20 "$tmp/latexmk.out" >&2; return 2; }
  sh "$t/tests/paper/check_log.sh" "$t/paper/ganrepro.log" >/dev/null || return 3
}
st=0
build || st=$?
[ "$st" -eq 0 ] || fail "the report did not build (step $st): $(cat "$tmp/gen.err")"
[ -s "$t/paper/ganrepro.pdf" ] || fail "no paper/ganrepro.pdf"
pages=$(sed -n 's/^Output written on ganrepro.pdf (\([0-9]*\) pages.*/\1/p' "$t/paper/ganrepro.log")
[ "${pages:-0}" -gt 5 ] || fail "the report has ${pages:-no} pages"
for e in parallel_lines bilinear_game noisy_dirac frozen_d_lines toy_train; do
  grep -q "\\\\grfigure{$e}" "$t/paper/generated/claims.tex" || fail "no figure of $e in the report"
  grep -q "label{tab:$(echo $e | tr _ -)}" "$t/paper/generated/claims.tex" || fail "no table of $e"
  grep -q "plots/out/$e.pdf" "$t/paper/ganrepro.fls" || fail "pdflatex did not read plots/out/$e.pdf"
done
grep -q "grmissingfigure" "$t/paper/generated/claims.tex" && fail "a figure is missing although all were drawn"
commit=$(sed -n 's/^parallel_lines,ci,\([^,]*\),.*/\1/p' "$t/results/tables/parallel_lines.csv" | head -1)
sed 's/\\allowbreak{}//g' "$t/paper/generated/meta.tex" | grep -qF "$commit" ||
  fail "the front page does not name commit $commit"
grep -q 'grProfile{ci}' "$t/paper/generated/meta.tex" || fail "the front page does not name the profile"
echo "paper_ci: the report built, $pages pages, every figure and table present, log clean"

# the five methods side by side (toy_train is in this tree): each cross-dataset figure is
# either drawn or a "figure missing" box named in generate.sh's warnings
grep -q 'section{The five methods side by side}' "$t/paper/generated/fivemethods.tex" ||
  fail "no five-method section"
grep -q 'ref{tab:toy-train}' "$t/paper/generated/fivemethods.tex" || fail "the five-method section does not point to toy_train's table"
for x in toy_compare_samples toy_compare_modes; do
  if [ -f "$t/plots/out/$x.pdf" ]; then
    grep -q "grfigure{$x}" "$t/paper/generated/fivemethods.tex" || fail "$x.pdf exists but is not in the report"
  else
    grep -q "grmissingfigure{$x}" "$t/paper/generated/fivemethods.tex" || fail "no 'figure missing' box for $x"
    grep -q "figure missing: plots/out/$x.pdf" "$tmp/gen.err" || fail "no warning names plots/out/$x.pdf"
  fi
done
echo "paper_ci: the five-method section shows the cross-dataset figures or says each is missing"

# a figure that was not drawn: a visible box and a warning, not an error
mv "$t/plots/out/noisy_dirac.pdf" "$tmp/noisy_dirac.pdf"
st=0
build || st=$?
[ "$st" -eq 0 ] || fail "a missing figure broke the build (step $st)"
grep -q "plots/out/noisy_dirac.pdf" "$tmp/gen.err" || fail "no warning names the missing figure"
grep -q "grmissingfigure{noisy_dirac}" "$t/paper/generated/claims.tex" || fail "no 'figure missing' box"
mv "$tmp/noisy_dirac.pdf" "$t/plots/out/noisy_dirac.pdf"
echo "paper_ci: a missing figure is a box in the report and a warning"

# results missing or of another profile: refused, naming the file and the command
mv "$t/results/bilinear_game.h5" "$tmp/bilinear_game.h5"
st=0
sh "$t/paper/generate.sh" ci >/dev/null 2>"$tmp/err" || st=$?
[ "$st" -eq 1 ] || fail "generate.sh with results missing exited $st, want 1"
grep -q "results/bilinear_game.h5" "$tmp/err" || fail "the missing results file is not named: $(cat "$tmp/err")"
grep -q "make experiments PROFILE=ci" "$tmp/err" || fail "the command that makes it is not named"
mv "$tmp/bilinear_game.h5" "$t/results/bilinear_game.h5"
st=0
sh "$t/paper/generate.sh" quick >/dev/null 2>"$tmp/err" || st=$?
[ "$st" -eq 1 ] || fail "generate.sh quick on ci results exited $st, want 1"
grep -q "holds profile 'ci', not quick" "$tmp/err" || fail "another profile's results: $(cat "$tmp/err")"
grep -q "make experiments PROFILE=quick" "$tmp/err" || fail "the quick command is not named"
echo "paper_ci: missing results and another profile's results are refused with the command"

# verify's CSV read by column name: the same verdicts with the columns in another order,
# two more columns and a "cited" row of a reference-only claim give the same macros
cp "$t/paper/generated/verdicts.tex" "$tmp/verdicts.tex.1"
cp "$t/results/tables/verdicts.csv" "$tmp/verdicts.orig.csv"
awk -f - "$tmp/verdicts.orig.csv" >"$t/results/tables/verdicts.csv" <<'AWK'
function split_csv(line, f,    n, i, c, q, cur) {
  n = 0; cur = ""; q = 0
  for (i = 1; i <= length(line); i++) {
    c = substr(line, i, 1)
    if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur "\"\""; i++ } else { q = 0; cur = cur c } } else cur = cur c }
    else if (c == "\"") { q = 1; cur = cur c }
    else if (c == ",") { f[++n] = cur; cur = "" }
    else cur = cur c
  }
  f[++n] = cur
  return n
}
{
  n = split_csv($0, f)
  # new order: claim, source, statement, then the rest reversed, then published
  if (NR == 1) { printf "claim,source,statement"; for (i = n; i >= 2; i--) printf ",%s", f[i]; print ",published"; next }
  if (NR == 2) { printf "C36,src,stmt"; for (i = n; i >= 2; i--) printf ",%s", (i == 15 ? "cited" : ""); print ",two-sided won 100" }
  printf "%s,x,y", f[1]; for (i = n; i >= 2; i--) printf ",%s", f[i]; print ","
}
AWK
sh "$t/paper/generate.sh" ci >/dev/null 2>"$tmp/err" || fail "generate.sh on reordered verdict columns: $(cat "$tmp/err")"
cmp -s "$tmp/verdicts.tex.1" "$t/paper/generated/verdicts.tex" ||
  fail "reordered verdict columns changed the verdict macros: $(diff "$tmp/verdicts.tex.1" "$t/paper/generated/verdicts.tex" | head -5)"
cp "$tmp/verdicts.orig.csv" "$t/results/tables/verdicts.csv"
echo "paper_ci: verdicts.csv is read by column name (reordered, extra columns, cited rows)"

# a failed criterion is listed under "what did not reproduce"
sed '0,/,PASS,/s//,FAIL,/' "$t/results/tables/verdicts.csv" >"$tmp/v.csv"
cmp -s "$tmp/v.csv" "$t/results/tables/verdicts.csv" && fail "no PASS verdict to turn into a FAIL"
cp "$tmp/v.csv" "$t/results/tables/verdicts.csv"
st=0
build || st=$?
[ "$st" -eq 0 ] || fail "the report with a FAIL verdict did not build (step $st)"
grep -q 'grfail' "$t/paper/generated/failures.tex" || fail "the FAIL verdict is not in the failures section"
grep -q 'grNCritFail{1}' "$t/paper/generated/meta.tex" || fail "the front page does not count the failure"
echo "paper_ci: a FAIL verdict is listed in the failures section and counted on the front page"

# the project's catalogue (docs/claims.cfg) replaces paper/data when it exists: its
# statements head the claims, its cited numbers fill the cited table
mkdir -p "$t/docs"
cat >"$t/docs/claims.cfg" <<'CFG'
# a two-claim catalogue for this test
claims = (
  { id = "C19"; source = "WGAN §2, Example 1, Fig. 1";
    statement = "Parallel lines at distance θ: only W converges as θ → 0 (test catalogue)."; },
  { id = "C36"; source = "WGAN-GP App. C";
    statement = "One-sided against two-sided penalty (reference only).";
    cited = "two-sided won 100, one-sided 77 (test catalogue)"; }
);
CFG
sh "$t/paper/generate.sh" ci >"$tmp/gen.out" 2>"$tmp/gen.err" || fail "generate.sh with docs/claims.cfg: $(cat "$tmp/gen.err")"
grep -q "claims from docs/claims.cfg" "$tmp/gen.out" || fail "docs/claims.cfg was not used: $(cat "$tmp/gen.out")"
grep -q "(test catalogue)" "$t/paper/generated/claims.tex" || fail "the catalogue's statement of C19 is not in the report"
grep -q "one-sided 77 (test catalogue)" "$t/paper/generated/cited.tex" || fail "the catalogue's cited numbers are not in the cited table"
echo "paper_ci: docs/claims.cfg, when present, is the catalogue the report states"
