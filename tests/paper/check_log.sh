#!/bin/sh
# tests/paper/check_log.sh LOG — fail (exit 1) when a pdflatex log shows something that
# makes the report wrong or incomplete, listing each:
#   - an undefined reference or citation, or labels that changed after the last pass;
#   - a file LaTeX did not find (a figure, an \input);
#   - an overfull box wider than 1 pt (content running into the margin or cut off);
#   - a float too large for the page;
#   - a character the fonts lack ("Missing character");
#   - a TeX error ("! ..." lines: nonstop mode carries on past them, with content lost);
#   - longtable column widths that changed after the last pass (columns misaligned);
#   - the report's own warnings (a verdict macro asked for and not in the results, a
#     table shrunk under 60 % of its width: paper/preamble.tex's grfit).
# pdfTeX wraps log lines at max_print_line (79 characters): a line of exactly 79 is
# joined with the next before matching, so a long warning (a long label's "Reference
# ... undefined", a wide box's size) is matched whole and quoted whole.
# Underfull boxes (loose spacing) are not failures. Exit 0 clean, 1 problems, 2 no log.
set -eu
log=${1:-}
if [ -z "$log" ] || [ ! -f "$log" ]; then
  echo "check_log: no LaTeX log '$log'" >&2
  exit 2
fi
# the log with pdfTeX's line wrapping undone (max_print_line 79, texmf.cnf's default;
# `make paper` raises it, so this matters for logs built elsewhere)
unwrap() {
  awk '{ line = held $0; held = "" }
       length($0) == 79 { held = line; next }
       { print line }
       END { if (held != "") print held }' "$1"
}
problems=$(unwrap "$log" | awk '
  /LaTeX Warning: Reference .* undefined/ || /LaTeX Warning: Citation .* undefined/ { print; next }
  /There were undefined references/ { print; next }
  /Label\(s\) may have changed/ { print; next }
  /LaTeX Warning: File .* not found/ || /^! LaTeX Error: File/ { print; next }
  /^Overfull \\[hv]box \(/ {
    w = $0; sub(/^Overfull \\[hv]box \(/, "", w); sub(/pt too.*/, "", w)
    if (w + 0 > 1) print
    next
  }
  /Float too large for page/ { print; next }
  /Missing character: There is no/ { print; next }
  /^! / { print; next }
  /Package longtable Warning: (Column|Table) widths have changed/ { print; next }
  /Package ganrepro Warning/ { print; next }
')
if [ -n "$problems" ]; then
  echo "check_log: $log:" >&2
  printf '%s\n' "$problems" | sed 's/^/  /' >&2
  echo "check_log: $(printf '%s\n' "$problems" | wc -l) problem(s) in the LaTeX log" >&2
  exit 1
fi
echo "check_log: $log: no undefined reference, missing file, TeX error, overfull box, float too large or shrunk table"
