#!/bin/sh
# tests/cli/readme_claims.sh — the README's claims table is what `ganrepro verify` prints
# for the verdict snapshot the README names (issue 18 item 2; results/make_readme.sh).
#
# Between "<!-- claims-table:begin results/verdicts/PROFILE.csv -->" and
# "<!-- claims-table:end -->" README.md must hold exactly
#   ganrepro verify --from results/verdicts/PROFILE.csv --format md --stdout
# rendered with docs/claims.cfg, and the snapshot must equal its own re-rendering (its
# source and statement columns are the catalogue's). Also checked: the comparison fails on
# a README whose block was edited by hand (so this test can fail), and the snapshot's
# profile column is the PROFILE its name says. Fix a failure with `make readme-render`
# (words changed) or `make readme PROFILE=P` (new results).
#
#   readme_claims.sh   (environment: GR_SOURCE_DIR, GR_CLI)
set -eu
src=${GR_SOURCE_DIR:?}
cli=${GR_CLI:?}
readme=$src/README.md
fail() {
  echo "readme_claims: FAIL: $*" >&2
  exit 1
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_readme_claims.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
begin=$(grep '^<!-- claims-table:begin [^ ]* -->$' "$readme" || true)
[ "$(printf '%s\n' "$begin" | grep -c .)" -eq 1 ] || fail "README.md needs one claims-table:begin marker"
grep -q '^<!-- claims-table:end -->$' "$readme" || fail "README.md has no claims-table:end marker"
snap=$(printf '%s\n' "$begin" | sed 's/^<!-- claims-table:begin \([^ ]*\) -->$/\1/')
case "$snap" in
  results/verdicts/ci.csv | results/verdicts/quick.csv | results/verdicts/full.csv) ;;
  *) fail "README.md names $snap; expected results/verdicts/{ci,quick,full}.csv" ;;
esac
profile=$(basename "$snap" .csv)
[ -f "$src/$snap" ] || fail "README.md names $snap, which is not committed"

# the README's block
block() {
  awk '/^<!-- claims-table:begin [^ ]* -->$/ { on = 1; next }
       $0 == "<!-- claims-table:end -->" { on = 0 }
       on { print }' "$1"
}
block "$readme" >"$tmp/readme.md"
"$cli" verify --from "$src/$snap" --catalogue "$src/docs/claims.cfg" --format md --stdout \
  >"$tmp/gen.md" || fail "ganrepro verify --from $snap failed"
[ -s "$tmp/gen.md" ] || fail "ganrepro verify --from $snap printed nothing"
if ! cmp -s "$tmp/readme.md" "$tmp/gen.md"; then
  diff "$tmp/gen.md" "$tmp/readme.md" | head -20 >&2 || true
  fail "README.md's claims table differs from what verify prints for $snap (make readme-render)"
fi
grep -q "(profile $profile; commit " "$tmp/gen.md" || fail "$snap is not (only) of profile $profile"

# the snapshot's words are the catalogue's
"$cli" verify --from "$src/$snap" --catalogue "$src/docs/claims.cfg" --format csv --stdout \
  >"$tmp/gen.csv" || fail "re-rendering $snap failed"
cmp -s "$tmp/gen.csv" "$src/$snap" || fail "$snap's words differ from docs/claims.cfg (make readme-render)"

# a hand edit is caught: change one verdict word in a copy
sed 's/\*\*PASS\*\*/**FAIL**/' "$readme" >"$tmp/edited.md"
if cmp -s "$tmp/edited.md" "$readme"; then
  sed 's/ cited |$/ kited |/' "$readme" >"$tmp/edited.md"
fi
block "$tmp/edited.md" >"$tmp/edited.block"
cmp -s "$tmp/edited.block" "$tmp/gen.md" && fail "an edited block compares equal: the check is vacuous"
echo "readme_claims: README.md's claims table = verify --from $snap ($(grep -c '^| C' "$tmp/gen.md") rows)"
