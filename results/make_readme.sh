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
