# results/reference/compare.awk — compare a fresh `ganrepro table --format runs` CSV
# with its committed reference, metric by metric, within the tolerances of a .tol file.
#   awk -f compare.awk TOL REF GOT
# TOL lines: REGEX RTOL ATOL [# why]; a column whose name matches REGEX (first match
# wins) passes when |got - ref| <= RTOL * |ref| + ATOL. Non-finite values (inf, -inf,
# nan) must be equal as text; run ids, statuses and swept values must be equal. Lines of
# REF (and GOT) starting with '#' are provenance. Exit 0 all within tolerance, 1 otherwise (each
# difference printed).
function nonfinite(s) { return s ~ /^-?(inf|nan)$/ }
function absv(x) { return x < 0 ? -x : x }
BEGIN { FS = ","; bad = 0; nt = 0 }
FILENAME == ARGV[1] {
  sub(/#.*/, "")
  if (NF == 0 || $0 ~ /^[ \t]*$/) next
  split($0, w, /[ \t]+/)
  nt++; pat[nt] = w[1]; rt[nt] = w[2] + 0; at[nt] = w[3] + 0
  next
}
FILENAME == ARGV[2] {
  if ($0 ~ /^#/) next
  if (!rh) { rh = $0; for (i = 1; i <= NF; i++) rcol[i] = $i; rn = NF; next }
  nref++; rid[nref] = $1
  for (i = 1; i <= NF; i++) ref[$1, rcol[i]] = $i
  next
}
/^#/ { next }
{
  if (!gh) {
    gh = $0
    if (gh != rh) { print "reference: the columns differ:\n  ref: " rh "\n  got: " gh; bad = 1 }
    for (i = 1; i <= NF; i++) gcol[i] = $i
    next
  }
  ngot++
  id = $1
  if (!((id, "run_id") in ref)) { print "reference: run " id " is not in the reference (its settings changed?)"; bad = 1; next }
  seen[id] = 1
  for (i = 2; i <= NF; i++) {
    c = gcol[i]; g = $i; r = ref[id, c]
    if (c == "index" || c == "seed" || c == "status" || c ~ /^param\./ || nonfinite(g) || nonfinite(r)) {
      if (g != r) { printf "reference: run %s %s: got %s, reference %s\n", id, c, g, r; bad = 1 }
      continue
    }
    k = 0
    for (t = 1; t <= nt; t++) if (c ~ pat[t]) { k = t; break }
    if (!k) { print "reference: no tolerance for column " c; bad = 1; continue }
    d = absv(g - r)
    if (d > rt[k] * absv(r) + at[k]) {
      printf "reference: run %s %s: got %.17g, reference %.17g, |diff| %.3g > %g * |ref| + %g\n", id, c, g, r, d, rt[k], at[k]
      bad = 1
    } else ncmp++
  }
}
END {
  for (j = 1; j <= nref; j++) if (!(rid[j] in seen)) { print "reference: run " rid[j] " of the reference is missing"; bad = 1 }
  printf "reference: %d runs, %d values within tolerance%s\n", ngot, ncmp, bad ? "; DIFFERENCES above" : ""
  exit bad
}
