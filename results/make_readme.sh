#!/bin/sh
# results/make_readme.sh — the README's claims table, generated so it cannot drift
# (`make readme`, `make readme-render`; docs/REPORTS.md, "The claims catalogue and the
# README table").
#
#   results/make_readme.sh BUILD/ganrepro PROFILE   refresh the verdict snapshot
#       results/verdicts/PROFILE.csv from every results/*.h5 (all of them must be of
#       PROFILE: `ganrepro verify --profile`), then render it into README.md
#   results/make_readme.sh --render BUILD/ganrepro  render the snapshot the README names
#       again (after editing docs/claims.cfg: the words come from the catalogue)
#
# The README holds the table between
#   <!-- claims-table:begin results/verdicts/PROFILE.csv -->   and   <!-- claims-table:end -->
# and the block is exactly `ganrepro verify --from results/verdicts/PROFILE.csv --format md
# --stdout` (tests/cli/readme_claims.sh checks it). The snapshot's own word columns are
# rewritten from the catalogue too, so the committed CSV and the README agree.
# Results files are not committed (results/*.h5 is ignored); the small snapshot is.
#
# The same two modes also keep the README's five-method table and its figure (issue 18
# item 2; functions five_methods_* and readme_figure below, apart from the claims table):
#   - results/readme/toy_train.PROFILE.csv, one row per run of results/toy_train.h5 (its
#     final W1, W1 floor, modes, HQ fraction, reverse KL; `ganrepro table --format runs`),
#     rendered by results/five_methods.awk between
#       <!-- five-methods:begin results/readme/toy_train.PROFILE.csv -->  and
#       <!-- five-methods:end -->
#   - docs/figures/parallel_lines.png, drawn by `ganrepro plot` from
#     results/parallel_lines.h5 (gnuplot; refused over 200 kB).
# --render re-renders the table from the snapshot the README names (the figure stays).
# Exit 0 done; 2 on an error (nothing half-written: README.md is replaced atomically).
set -eu
render_only=0
if [ "${1-}" = "--render" ]; then
  render_only=1
  shift
fi
if [ $# -lt 1 ] || { [ $render_only -eq 0 ] && [ $# -ne 2 ]; } || { [ $render_only -eq 1 ] && [ $# -ne 1 ]; }; then
  echo "usage: results/make_readme.sh BUILD/ganrepro PROFILE | --render BUILD/ganrepro" >&2
  exit 2
fi
# ---- the five-method table and the figure (issue 18 item 2) ---------------------------
# five_methods_snapshot PROFILE: results/readme/toy_train.PROFILE.csv from
# results/toy_train.h5 (its profile must be PROFILE)
five_methods_snapshot() {
  h5=results/toy_train.h5
  [ -f "$h5" ] || {
    echo "readme: no $h5 for the five-method table: run make experiments PROFILE=$1 first" >&2
    exit 2
  }
  fp=$(h5dump -a /profile "$h5" 2>/dev/null | sed -n 's/^ *(0): "\(.*\)"$/\1/p')
  fc=$(h5dump -a /git_commit "$h5" 2>/dev/null | sed -n 's/^ *(0): "\(.*\)"$/\1/p')
  [ "$fp" = "$1" ] || {
    echo "readme: $h5 holds profile '$fp', not $1" >&2
    exit 2
  }
  out=results/readme/toy_train.$1.csv
  mkdir -p results/readme
  "$bin" table "$h5" --format runs --stdout | awk -F, -v p="$fp" -v c="$fc" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
              n = split("seed status param.method steps n_modes final_w1 final_w1_floor final_modes_captured final_hq_fraction final_reverse_kl", k, " ")
              for (i = 1; i <= n; i++) if (!(k[i] in col)) { print "readme: toy_train runs table has no column " k[i] > "/dev/stderr"; exit 2 }
              print "experiment,profile,commit,seed,status,method,steps,n_modes,final_w1,final_w1_floor,final_modes_captured,final_hq_fraction,final_reverse_kl"
              next }
    { printf "toy_train,%s,%s", p, c
      for (i = 1; i <= n; i++) printf ",%s", $col[k[i]]
      printf "\n" }' >"$out.tmp" || {
    rm -f "$out.tmp"
    echo "readme: ganrepro table --format runs $h5 failed" >&2
    exit 2
  }
  mv "$out.tmp" "$out"
  echo "readme: wrote $out ($(($(wc -l <"$out") - 1)) runs of $h5)"
}
# five_methods_render: the README's five-method block from the snapshot it names
five_methods_render() {
  fb=$(grep -n '^<!-- five-methods:begin [^ ]* -->$' "$readme" || true)
  [ "$(printf '%s\n' "$fb" | grep -c .)" -eq 1 ] && grep -q '^<!-- five-methods:end -->$' "$readme" || {
    echo "readme: $readme needs one line '<!-- five-methods:begin results/readme/toy_train.PROFILE.csv -->' and one '<!-- five-methods:end -->'" >&2
    exit 2
  }
  fsnap=${1:-$(printf '%s\n' "$fb" | sed 's/^[0-9]*:<!-- five-methods:begin \([^ ]*\) -->$/\1/')}
  [ -f "$fsnap" ] || {
    echo "readme: no $fsnap (make readme PROFILE=P writes it)" >&2
    exit 2
  }
  awk -f results/five_methods.awk "$fsnap" >"$readme.five" || exit 2
  awk -v snap="$fsnap" -v blockfile="$readme.five" '
    $0 ~ /^<!-- five-methods:begin [^ ]* -->$/ {
      print "<!-- five-methods:begin " snap " -->"
      while ((getline l < blockfile) > 0) print l
      skip = 1; next }
    $0 == "<!-- five-methods:end -->" { skip = 0 }
    !skip { print }
  ' "$readme" >"$readme.tmp"
  rm -f "$readme.five"
  mv "$readme.tmp" "$readme"
  echo "readme: $readme's five-method table rendered from $fsnap"
}
# readme_figure: docs/figures/parallel_lines.png from results/parallel_lines.h5
readme_figure() {
  fh5=results/parallel_lines.h5
  [ -f "$fh5" ] || {
    echo "readme: no $fh5 for the README's figure" >&2
    exit 2
  }
  ftmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_readme_fig.XXXXXX")
  "$bin" plot "$fh5" --format png --out "$ftmp" >/dev/null || {
    rm -rf "$ftmp"
    echo "readme: ganrepro plot $fh5 failed (gnuplot installed? make deps)" >&2
    exit 2
  }
  size=$(wc -c <"$ftmp/parallel_lines.png")
  [ "$size" -le 204800 ] || {
    rm -rf "$ftmp"
    echo "readme: the figure is $size bytes, over the README's 200 kB: make plots/parallel_lines.gp draw it smaller" >&2
    exit 2
  }
  mkdir -p docs/figures
  mv "$ftmp/parallel_lines.png" docs/figures/parallel_lines.png.tmp
  mv docs/figures/parallel_lines.png.tmp docs/figures/parallel_lines.png
  rm -rf "$ftmp"
  echo "readme: drew docs/figures/parallel_lines.png ($size bytes) from $fh5"
}
# ---- end of the five-method table and the figure --------------------------------------

bin=$1
case "$bin" in
  /*) ;;
  *) bin=$PWD/$bin ;;
esac
cd "$(dirname "$0")/.."
[ -x "$bin" ] || {
  echo "readme: $bin is not an executable (make build first)" >&2
  exit 2
}
readme=README.md
begin=$(grep -n '^<!-- claims-table:begin [^ ]* -->$' "$readme" || true)
nb=$(printf '%s\n' "$begin" | grep -c . || true)
[ "$nb" -eq 1 ] || {
  echo "readme: $readme needs exactly one line '<!-- claims-table:begin results/verdicts/PROFILE.csv -->' (found $nb)" >&2
  exit 2
}
grep -q '^<!-- claims-table:end -->$' "$readme" || {
  echo "readme: $readme has no line '<!-- claims-table:end -->'" >&2
  exit 2
}
if [ $render_only -eq 1 ]; then
  snap=$(printf '%s\n' "$begin" | sed 's/^[0-9]*:<!-- claims-table:begin \([^ ]*\) -->$/\1/')
  [ -f "$snap" ] || {
    echo "readme: the README names $snap, which does not exist" >&2
    exit 2
  }
else
  profile=$2
  case "$profile" in
    ci | quick | full) ;;
    *)
      echo "readme: unknown profile '$profile': expected ci, quick or full" >&2
      exit 2
      ;;
  esac
  set -- results/*.h5
  [ -e "$1" ] || {
    echo "readme: no results/*.h5 to take verdicts from: run make experiments PROFILE=$profile first (or make readme-render to re-render the committed snapshot)" >&2
    exit 2
  }
  snap=results/verdicts/$profile.csv
  mkdir -p results/verdicts
  st=0
  "$bin" verify "$@" --profile "$profile" --catalogue docs/claims.cfg --format csv --stdout \
    >"$snap.tmp" 2>/dev/null || st=$?
  if [ $st -ge 2 ]; then
    rm -f "$snap.tmp"
    "$bin" verify "$@" --profile "$profile" --catalogue docs/claims.cfg --no-write >/dev/null || true
    echo "readme: ganrepro verify failed (above); snapshot and README left as they were" >&2
    exit 2
  fi
  mv "$snap.tmp" "$snap"
  echo "readme: wrote $snap from $# results file(s) (verify exit $st: 1 means a criterion failed or did not run; the table shows which)"
fi
# the snapshot's words from the catalogue, then the block
"$bin" verify --from "$snap" --catalogue docs/claims.cfg --format csv --stdout >"$snap.tmp"
mv "$snap.tmp" "$snap"
"$bin" verify --from "$snap" --catalogue docs/claims.cfg --format md --stdout >"$readme.block"
awk -v snap="$snap" -v blockfile="$readme.block" '
  $0 ~ /^<!-- claims-table:begin [^ ]* -->$/ {
    print "<!-- claims-table:begin " snap " -->"
    while ((getline l < blockfile) > 0) print l
    skip = 1; next }
  $0 == "<!-- claims-table:end -->" { skip = 0 }
  !skip { print }
' "$readme" >"$readme.tmp"
rm -f "$readme.block"
mv "$readme.tmp" "$readme"
echo "readme: $readme's claims table rendered from $snap"
# ---- the five-method table and the figure (issue 18 item 2) ---------------------------
if [ $render_only -eq 0 ]; then
  five_methods_snapshot "$profile"
  readme_figure
  five_methods_render "results/readme/toy_train.$profile.csv"
else
  five_methods_render
fi
