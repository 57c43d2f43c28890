#!/bin/sh
# paper/generate.sh PROFILE — write paper/generated/*.tex, everything the report's text
# takes from the results: run from any directory, reads (relative to the checkout)
#   experiments/*.cfg             the declared experiments (a file with a `protocol` key);
#                                 their header comment's first paragraph is the protocol
#                                 paragraph, the rest the notes quoted in "not reproduced"
#   results/NAME.h5               root attributes (profile, git_commit, start_time,
#                                 end_time, claims) and /declaration (title, seeds, data,
#                                 nets, method), read with h5dump
#   results/tables/NAME.csv       `ganrepro table`'s per-setting statistics (the tables)
#   results/tables/verdicts.csv   `ganrepro verify`'s verdicts (every verdict macro)
#   plots/out/NAME.pdf            `ganrepro plot`'s figure (only whether it exists)
#   plots/out/toy_compare_{samples,modes}.pdf  the five methods across the toy data sets
#                                 (only whether they exist; read when toy_train* ran)
#   docs/claims.cfg               the project's claims catalogue (source, statement, and
#                                 for a claim cited, not rerun, its published numbers),
#                                 read by paper/claims_from_cfg.awk; when it does not
#                                 exist: paper/data/claims.tsv (made from the shared
#                                 CLAIMS.md by paper/claims_from_md.awk) and
#                                 paper/data/reference_only (the cited claims' ids)
# It does not run anything: when the results of PROFILE are missing (a declared
# experiment without results/NAME.h5, a file of another profile, a missing table or
# verdicts file) it names each and the command that makes them, and exits 1. A missing
# figure is only a warning: the report shows a "figure missing" box in its place.
# Exit 0 written, 1 results missing, 2 usage or a tool missing.
set -eu
if [ $# -ne 1 ]; then
  echo "usage: paper/generate.sh ci|quick|full" >&2
  exit 2
fi
profile=$1
case "$profile" in
  ci | quick | full) ;;
  *)
    echo "paper: unknown profile '$profile': expected ci, quick or full" >&2
    exit 2
    ;;
esac
cd "$(dirname "$0")/.."
if ! command -v h5dump >/dev/null 2>&1; then
  echo "paper: h5dump (hdf5-tools) is needed to read the results files: make deps" >&2
  exit 2
fi
make_cmd="make experiments PROFILE=$profile"
out=paper/generated
tmp=$out.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp/info"
trap 'rm -rf "$tmp"' EXIT

# one root attribute of a results file, "" when absent
attr() {
  h5dump -a "/$2" "$1" 2>/dev/null | sed -n 's/^ *(0): "\(.*\)"$/\1/p' | head -1
}

exps=""
missing=""
warn=""
for f in experiments/*.cfg; do
  [ -e "$f" ] || continue
  # the experiment's name (results/NAME.h5), from its `experiment` group; files without
  # one (base.cfg) are included by the others, not experiments
  n=$(awk '/^experiment *= *\{/ { on = 1 } on && /^ *name *= *"/ { sub(/^ *name *= *"/, ""); sub(/".*/, ""); print; exit }' "$f")
  [ -n "$n" ] || continue
  h5=results/$n.h5
  if [ ! -f "$h5" ]; then
    missing="$missing
  $h5 (experiment $n has not run)"
    continue
  fi
  p=$(attr "$h5" profile)
  if [ "$p" != "$profile" ]; then
    missing="$missing
  $h5 holds profile '$p', not $profile"
    continue
  fi
  [ -f "results/tables/$n.csv" ] || missing="$missing
  results/tables/$n.csv (ganrepro table)"
  [ -f "plots/out/$n.pdf" ] || warn="$warn
  plots/out/$n.pdf (ganrepro plot; needs gnuplot): shown as a 'figure missing' box"
  exps="$exps $n"
  # the results file's provenance and declaration, one "key<TAB>value" a line
  {
    for a in experiment protocol profile git_commit start_time end_time claims; do
      printf '%s\t%s\n' "$a" "$(attr "$h5" "$a")"
    done
    h5dump -d /declaration "$h5" 2>/dev/null | awk '
      /^ *\(0\): "/ { on = 1; sub(/^ *\(0\): "/, "") }
      !on { next }
      /^ *}$/ { exit }
      {
        line = $0; sub(/^ +/, "", line); sub(/"$/, "", line)
        if (line ~ /^[A-Za-z_0-9]+ = \{$/) { g = (g == "" ? "" : g ".") substr(line, 1, index(line, " ") - 1); next }
        if (line ~ /^\};?$/) { sub(/\.?[^.]*$/, "", g); next }
        if (line ~ /^[A-Za-z_0-9]+ = .*;$/) {
          k = substr(line, 1, index(line, " ") - 1)
          v = substr(line, index(line, "= ") + 2); sub(/;$/, "", v)
          if (v ~ /^".*"$/) v = substr(v, 2, length(v) - 2)
          printf "decl.%s%s\t%s\n", (g == "" ? "" : g "."), k, v
        }
      }'
    # the header comment: first paragraph = protocol, the rest = notes
    awk -v name="$n" '
      !/^#/ { exit }
      { s = $0; sub(/^# ?/, "", s) }
      NR == 1 { sub(/^experiments\/[^ ]* *(—|-)+ */, "", s) }
      s == "" { para++; next }
      { if (para == 0) proto = proto (proto == "" ? "" : " ") s
        else { notes[para] = notes[para] (notes[para] == "" ? "" : "\001") s } }
      END {
        printf "comment.protocol\t%s\n", proto
        for (i = 1; i <= para; i++) if (notes[i] != "") printf "comment.notes\t%s\n", notes[i]
      }' "$f"
  } >"$tmp/info/$n.tsv"
done
[ -f results/tables/verdicts.csv ] || missing="$missing
  results/tables/verdicts.csv (ganrepro verify)"
if [ -f results/tables/verdicts.csv ]; then
  # the profile column, found by name in the CSV header; rows without one (verify's
  # "cited" rows) say nothing about the profile
  other=$(awk -v p="$profile" '
    function field(line, k,    n, i, c, q, cur) {
      n = 1; cur = ""; q = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur c; i++ } else q = 0 } else cur = cur c }
        else if (c == "\"") q = 1
        else if (c == ",") { if (n == k) return cur; n++; cur = "" }
        else cur = cur c
      }
      return n == k ? cur : ""
    }
    NR == 1 { for (i = 1; i <= 64; i++) if (field($0, i) == "profile") c = i; next }
    c { v = field($0, c); if (v != "" && v != p) { print v; exit } }' results/tables/verdicts.csv)
  [ -z "$other" ] || missing="$missing
  results/tables/verdicts.csv holds verdicts of profile '$other', not $profile"
fi
if [ -z "$exps" ] && [ -z "$missing" ]; then
  missing="
  no experiment is declared (experiments/*.cfg)"
fi
if [ -n "$missing" ]; then
  echo "paper: the results of profile $profile are incomplete:$missing" >&2
  echo "paper: make them with: $make_cmd   (then make paper PROFILE=$profile)" >&2
  exit 1
fi
if [ -n "$warn" ]; then
  echo "paper: warning: missing:$warn" >&2
fi
for n in $exps; do
  [ -f "plots/out/$n.pdf" ] && printf 'figure\tyes\n' >>"$tmp/info/$n.tsv"
done
# the five methods across the toy data sets (the section "The five methods side by side",
# written when a toy_train* experiment is in these results): a figure not drawn is a
# "figure missing" box there, and a warning here
xfigs=""
case " $exps" in
  *" toy_train"*)
    for x in toy_compare_samples toy_compare_modes; do
      if [ -f "plots/out/$x.pdf" ]; then
        xfigs="$xfigs $x"
      else
        echo "paper: warning: figure missing: plots/out/$x.pdf (the five methods across the toy data sets): shown as a 'figure missing' box" >&2
      fi
    done
    ;;
esac
src_commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ "$src_commit" != unknown ] && [ -n "$(git status --porcelain -- paper 2>/dev/null)" ]; then
  src_commit="$src_commit-dirty"
fi

# the claims catalogue: one TSV line per claim (id, part, title, source, statement, cited)
if [ -f docs/claims.cfg ]; then
  catalogue=docs/claims.cfg
  awk -f paper/claims_from_cfg.awk docs/claims.cfg >"$tmp/claims.tsv"
  awk -F'\t' '$6 != "" { print $1 }' "$tmp/claims.tsv" >"$tmp/reference_only"
else
  catalogue=paper/data/claims.tsv
  cp paper/data/claims.tsv "$tmp/claims.tsv"
  cp paper/data/reference_only "$tmp/reference_only"
fi
[ -s "$tmp/claims.tsv" ] || { echo "paper: no claim in $catalogue" >&2; exit 2; }

# shellcheck disable=SC2086 # one word per experiment
awk -v out="$tmp" -v profile="$profile" -v exps="$exps" -v src_commit="$src_commit" \
  -v catalogue="$catalogue" -v xfigs="$xfigs" \
  -f paper/render.awk "$tmp/claims.tsv" "$tmp/reference_only" results/tables/verdicts.csv
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "paper: wrote $out/ ($(echo "$exps" | wc -w) experiments, profile $profile; claims from $catalogue)"
