#!/bin/sh
# tests/cli/readme_tutorial.sh — the README's tutorial lines run as written.
#
# Every ```sh block of README.md placed right after a line `<!-- tutorial -->` is run,
# line by line and in order, by one `sh -e` in a fresh temporary directory that holds
# only `build` (a link to the build under test), `docs/examples/` and `experiments/`
# (copies) and a private HOME, so files the tutorial writes (a.txt, $HOME/.local, ...) land there and no network
# is needed. A line whose comment starts `# prints VALUE` must print exactly VALUE on
# stdout; any line that fails fails the test, naming its README line. Also checked:
#   - the README's ```c block is docs/examples/w1.c, byte for byte (so the quoted example
#     is the compiled one);
#   - the README's package lists are cmake/deps.sh's (PKGS, and PAPER_PKGS for make paper), word for word;
#   - "Declared experiments: none yet" appears in README.md and experiments/README.md
#     exactly when `ganrepro list` shows no experiment.
# Tutorial lines are single lines (no trailing backslash). The `make ...` lines of "The
# two commands" are not marked: CI runs them (.ci/run).
#
#   readme_tutorial.sh   (environment: GR_SOURCE_DIR, GR_BUILD_DIR)
set -eu
src=${GR_SOURCE_DIR:?}
build=${GR_BUILD_DIR:?}
readme=$src/README.md
fail() {
  echo "readme_tutorial: FAIL: $*" >&2
  exit 1
}
[ -f "$readme" ] || fail "no $readme"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_readme_tutorial.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/run" "$tmp/run/home" "$tmp/run/docs"
ln -s "$build" "$tmp/run/build"
cp -R "$src/docs/examples" "$tmp/run/docs/examples"
cp -R "$src/experiments" "$tmp/run/experiments"

# ---- the tutorial blocks, as one script -------------------------------------------------
# gr_at N 'LINE' records and echoes the README line about to run; a `# prints V` line
# becomes gr_out=$(CMD) followed by gr_expect V.
awk -v q="'" '
  function quote(s) { gsub(q, q "\\" q q, s); return q s q }
  state == 0 && $0 == "<!-- tutorial -->" { state = 1; next }
  state == 1 { if ($0 != "```sh") { printf "bad: README.md:%d: <!-- tutorial --> not followed by ```sh\n", NR; bad = 1; exit 1 }
               state = 2; blocks++; next }
  state == 2 && $0 == "```" { state = 0; next }
  state == 2 {
    if ($0 ~ /\\$/) { printf "bad: README.md:%d: continuation lines are not supported\n", NR; bad = 1; exit 1 }
    lines++
    printf "gr_at %d %s\n", NR, quote($0)
    i = index($0, "# prints ")
    if (i > 0) {
      rest = substr($0, i + 9); split(rest, w, /[ \t]+/)
      printf "gr_out=$(%s)\ngr_expect %s\n", substr($0, 1, i - 1), quote(w[1])
      checks++
    } else print
  }
  END { if (bad) exit 1
        if (state != 0) { print "bad: README.md: unterminated tutorial block"; exit 1 }
        printf "# blocks=%d lines=%d checks=%d\n", blocks, lines, checks }
' "$readme" >"$tmp/body.sh" || fail "$(grep '^bad:' "$tmp/body.sh" || echo 'awk failed')"
summary=$(tail -n 1 "$tmp/body.sh")
echo "readme_tutorial: ${summary#\# }"
blocks=$(echo "$summary" | sed 's/.*blocks=\([0-9]*\).*/\1/')
checks=$(echo "$summary" | sed 's/.*checks=\([0-9]*\).*/\1/')
# a README that lost its markers must not pass by running nothing
[ "$blocks" -ge 3 ] || fail "only $blocks tutorial blocks found (want >= 3)"
[ "$checks" -ge 3 ] || fail "only $checks '# prints' checks found (want >= 3)"
grep -q 'build/ganrepro distance' "$tmp/body.sh" || fail "no distance command in the tutorial"
grep -q 'pkg-config' "$tmp/body.sh" || fail "no pkg-config line in the tutorial"

cat >"$tmp/tutorial.sh" <<'HEAD'
gr_line=0
trap 'st=$?; [ "$st" -eq 0 ] || echo "readme_tutorial: FAIL: README.md:$gr_line: exit $st" >&2' EXIT
gr_at() { gr_line=$1; printf '+ README.md:%s: %s\n' "$1" "$2"; }
gr_expect() {
  printf '%s\n' "$gr_out"
  if [ "$gr_out" != "$1" ]; then
    echo "readme_tutorial: FAIL: README.md:$gr_line: printed '$gr_out', the README says $1" >&2
    exit 1
  fi
}
HEAD
cat "$tmp/body.sh" >>"$tmp/tutorial.sh"
(cd "$tmp/run" && HOME=$tmp/run/home sh -e "$tmp/tutorial.sh") || exit 1

# ---- the quoted C example is the compiled file ------------------------------------------
awk '$0 == "```c" { on = 1; n++; next } on && $0 == "```" { on = 0; next } on && n == 1' \
  "$readme" >"$tmp/readme_example.c"
cmp -s "$tmp/readme_example.c" "$src/docs/examples/w1.c" ||
  { diff "$tmp/readme_example.c" "$src/docs/examples/w1.c" >&2 || true
    fail "the README's C example differs from docs/examples/w1.c"; }
echo "readme_tutorial: the README's C example is docs/examples/w1.c"

# ---- the package list is the one make deps installs -------------------------------------
pkgs=$(sed -n '/^PKGS="/,/"$/p' "$src/cmake/deps.sh" | tr -d '"' | sed 's/^PKGS=//' |
  tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//')
[ -n "$pkgs" ] || fail "could not read PKGS from cmake/deps.sh"
tr '\n' ' ' <"$readme" | tr -s ' ' | grep -qF "(\`$pkgs\`)" ||
  fail "the README's package list is not cmake/deps.sh's: ($pkgs)"
echo "readme_tutorial: package list matches cmake/deps.sh: $pkgs"
ppkgs=$(sed -n '/^PAPER_PKGS="/,/"$/p' "$src/cmake/deps.sh" | tr -d '"' | sed 's/^PAPER_PKGS=//' |
  tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//')
[ -n "$ppkgs" ] || fail "could not read PAPER_PKGS from cmake/deps.sh"
tr '\n' ' ' <"$readme" | tr -s ' ' | grep -qF "(\`$ppkgs\`)" ||
  fail "the README's TeX package list (make paper) is not cmake/deps.sh's: ($ppkgs)"
echo "readme_tutorial: TeX package list matches cmake/deps.sh --paper: $ppkgs"

# ---- the experiments the READMEs say exist ----------------------------------------------
# experiments = what `ganrepro list` lists (files with an `experiment` group; base.cfg and
# other shared defaults are not experiments)
nlisted=$("$build/ganrepro" list --dir "$src/experiments") ||
  fail "ganrepro list --dir experiments failed (a malformed experiment file?)"
ncfg=$(printf '%s' "$nlisted" | grep -c . || true)
for f in "$readme" "$src/experiments/README.md"; do
  if grep -q 'Declared experiments: none yet' "$f"; then said=0; else said=1; fi
  if [ "$ncfg" -eq 0 ] && [ "$said" -ne 0 ]; then
    fail "$f must say 'Declared experiments: none yet' (ganrepro list shows none)"
  fi
  if [ "$ncfg" -gt 0 ] && [ "$said" -eq 0 ]; then
    fail "$f says 'Declared experiments: none yet' but ganrepro list shows $ncfg"
  fi
done
echo "readme_tutorial: $ncfg experiment(s) declared, as both READMEs say"
echo "readme_tutorial: ok"
