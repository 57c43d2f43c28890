#!/bin/sh
# tests/cli/readme_generated.sh — the README's five-method table and figure are the
# generated ones (issue 18 item 2; results/make_readme.sh, results/five_methods.awk).
#
# Checked:
#   - between "<!-- five-methods:begin results/readme/toy_train.PROFILE.csv -->" and
#     "<!-- five-methods:end -->" README.md holds exactly what
#     `awk -f results/five_methods.awk SNAPSHOT` prints for the committed snapshot it
#     names, of the same profile as the claims table's snapshot, with a row per method;
#     a hand edit of the block is caught (so the comparison can fail);
#   - the generator's arithmetic on a made-up snapshot with known answers (mean, sample
#     standard deviation, percentages, +inf counted apart, diverged and failed runs
#     counted and left out), and its refusal of a snapshot mixing two results files;
#   - the README's figure docs/figures/parallel_lines.png is committed, a PNG, at most
#     200 kB, and linked from README.md.
# Fix a failure with `make readme-render` (the block) or `make readme PROFILE=P` (new results).
#
#   readme_generated.sh   (environment: GR_SOURCE_DIR)
set -eu
src=${GR_SOURCE_DIR:?}
readme=$src/README.md
gen=$src/results/five_methods.awk
fail() {
  echo "readme_generated: FAIL: $*" >&2
  exit 1
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_readme_generated.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# ---- the five-method block ---------------------------------------------------------------
begin=$(grep '^<!-- five-methods:begin [^ ]* -->$' "$readme" || true)
[ "$(printf '%s\n' "$begin" | grep -c .)" -eq 1 ] || fail "README.md needs one five-methods:begin marker"
grep -q '^<!-- five-methods:end -->$' "$readme" || fail "README.md has no five-methods:end marker"
snap=$(printf '%s\n' "$begin" | sed 's/^<!-- five-methods:begin \([^ ]*\) -->$/\1/')
case "$snap" in
  results/readme/toy_train.ci.csv | results/readme/toy_train.quick.csv | results/readme/toy_train.full.csv) ;;
  *) fail "README.md names $snap; expected results/readme/toy_train.{ci,quick,full}.csv" ;;
esac
profile=$(basename "$snap" .csv)
profile=${profile#toy_train.}
[ -f "$src/$snap" ] || fail "README.md names $snap, which is not committed"
claims=$(sed -n 's/^<!-- claims-table:begin results\/verdicts\/\([a-z]*\)\.csv -->$/\1/p' "$readme")
[ "$claims" = "$profile" ] || fail "the five-method table is of profile $profile, the claims table of '$claims'"
block() {
  awk '/^<!-- five-methods:begin [^ ]* -->$/ { on = 1; next }
       $0 == "<!-- five-methods:end -->" { on = 0 }
       on { print }' "$1"
}
block "$readme" >"$tmp/readme.md"
awk -f "$gen" "$src/$snap" >"$tmp/gen.md" || fail "five_methods.awk failed on $snap"
if ! cmp -s "$tmp/readme.md" "$tmp/gen.md"; then
  diff "$tmp/gen.md" "$tmp/readme.md" | head -20 >&2 || true
  fail "README.md's five-method table differs from what results/five_methods.awk prints for $snap (make readme-render)"
fi
grep -q "(\`toy_train\`, profile $profile, commit " "$tmp/gen.md" || fail "the table does not name toy_train at profile $profile"
for m in gan_mm gan_ns gan_in wgan_clip wgan_gp; do
  grep -q "^| .*(\`$m\`) | " "$tmp/gen.md" || fail "no row for $m in the five-method table"
done
sed 's/^\(| [^|]*| [0-9]*\) \//\1 9 \//' "$tmp/readme.md" >"$tmp/edited.md"
cmp -s "$tmp/edited.md" "$tmp/readme.md" && fail "the hand edit did not change the block (test is vacuous)"
cmp -s "$tmp/edited.md" "$tmp/gen.md" && fail "an edited block compares equal: the check is vacuous"
echo "readme_generated: README.md's five-method table = five_methods.awk $snap ($(grep -c '^| .*(`' "$tmp/gen.md") methods)"

# ---- the generator's arithmetic, on known values ---------------------------------------------
hdr=experiment,profile,commit,seed,status,method,steps,n_modes,final_w1,final_w1_floor,final_modes_captured,final_hq_fraction,final_reverse_kl
{
  echo "$hdr"
  echo "toy_train,ci,abc,1,ok,gan_ns,100,8,1,0.5,8,0.25,0.5"
  echo "toy_train,ci,abc,2,ok,gan_ns,100,8,2,0.5,6,0.5,inf"
  echo "toy_train,ci,abc,3,ok,gan_ns,100,8,3,0.5,7,0.75,1.5"
  echo "toy_train,ci,abc,4,diverged,gan_ns,100,8,nan,nan,nan,nan,nan"
  echo "toy_train,ci,abc,1,failed,wgan_gp,100,8,,,,,"
} >"$tmp/known.csv"
awk -f "$gen" "$tmp/known.csv" >"$tmp/known.md" || fail "five_methods.awk failed on the made-up snapshot"
want='| GAN, −log D loss (`gan_ns`) | 3 / 1 / 0 | 2 ± 1 | 0.5 ± 0 | 7 ± 1 | 50 ± 25 | +inf in 1 of 3 (the other 2: 1 ± 0.71) |'
grep -qxF "$want" "$tmp/known.md" || fail "made-up snapshot: want the row
  $want
got
$(cat "$tmp/known.md")"
grep -qxF '| WGAN-GP (`wgan_gp`) | 0 / 0 / 1 | — | — | — | — | — |' "$tmp/known.md" ||
  fail "a method whose runs all failed: $(grep wgan_gp "$tmp/known.md")"
grep -q '4 seeds each, 100 steps' "$tmp/known.md" || fail "the seeds and steps are not stated: $(head -1 "$tmp/known.md")"
sed '3s/,ci,abc,/,quick,abc,/' "$tmp/known.csv" >"$tmp/mixed.csv"
st=0
awk -f "$gen" "$tmp/mixed.csv" >/dev/null 2>"$tmp/err" || st=$?
[ "$st" -ne 0 ] && grep -q "two results files" "$tmp/err" || fail "a snapshot mixing two profiles was accepted (exit $st)"
echo "readme_generated: five_methods.awk: mean, sample SD, percent, +inf counted apart, diverged/failed runs left out"

# ---- the figure ---------------------------------------------------------------------------------
fig=docs/figures/parallel_lines.png
[ -f "$src/$fig" ] || fail "no $fig (make readme draws it)"
magic=$(od -An -tx1 -N8 "$src/$fig" | tr -d ' \n')
[ "$magic" = 89504e470d0a1a0a ] || fail "$fig is not a PNG (starts $magic)"
size=$(wc -c <"$src/$fig")
[ "$size" -le 204800 ] || fail "$fig is $size bytes, over 200 kB"
grep -qF "]($fig)" "$readme" || fail "README.md does not show $fig"
echo "readme_generated: $fig: a PNG of $size bytes, shown by README.md"
echo "readme_generated: ok"
