#!/bin/sh
# tests/paper/check_log_test.sh — tests/paper/check_log.sh (what `make paper` runs on the
# LaTeX log) on made-up logs, without TeX: it passes a clean log and a 0.5 pt overfull box,
# and fails, naming the line, on each problem it exists to catch, also when pdfTeX wrapped
# the line at 79 characters.
set -eu
src=${GR_SOURCE_DIR:?}
chk=$src/tests/paper/check_log.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_check_log.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
  echo "check_log_test: FAIL: $*" >&2
  exit 1
}
clean='This is pdfTeX, Version 3.141592653-2.6-1.40.24
Underfull \hbox (badness 1960) in paragraph at lines 662--663
Overfull \hbox (0.5pt too wide) in paragraph at lines 5--7
Output written on ganrepro.pdf (78 pages, 8567000 bytes).'
printf '%s\n' "$clean" >"$tmp/ok.log"
sh "$chk" "$tmp/ok.log" >/dev/null 2>"$tmp/err" || fail "a clean log was refused: $(cat "$tmp/err")"
for bad in \
  "LaTeX Warning: Reference \`fig:x' on page 3 undefined on input line 40." \
  "LaTeX Warning: There were undefined references." \
  "LaTeX Warning: Label(s) may have changed. Rerun to get cross-references right." \
  "LaTeX Warning: File \`../plots/out/x.pdf' not found on input line 12." \
  "! LaTeX Error: File \`generated/meta.tex' not found." \
  "Overfull \\hbox (6.55199pt too wide) in paragraph at lines 5--7" \
  "Overfull \\vbox (12.0pt too high) has occurred while \\output is active" \
  "LaTeX Warning: Float too large for page by 210.26846pt on input line 656." \
  "Missing character: There is no ^^c3 in font pcrr8t!" \
  "Package ganrepro Warning: no criterion x/1 (measured) in these results" \
  "Package ganrepro Warning: table full-toy-train (settings 1-4, metrics 1-20) shrunk to 41 % of its" \
  "! Undefined control sequence." \
  "Package longtable Warning: Table widths have changed. Rerun LaTeX." \
  "Overfull \\hbox (3.1pt too wide) in alignment at lines 812--860"; do
  printf '%s\n%s\n' "$clean" "$bad" >"$tmp/bad.log"
  st=0
  sh "$chk" "$tmp/bad.log" >/dev/null 2>"$tmp/err" || st=$?
  [ "$st" -eq 1 ] || fail "exit $st, want 1, for: $bad"
  grep -qF "$bad" "$tmp/err" || fail "the message does not quote: $bad ($(cat "$tmp/err"))"
  echo "check_log_test: refused: $bad"
done
# pdfTeX wraps its log at 79 characters: a warning split over two or three lines (a long
# label, a long file name) is still refused, and quoted whole
long="LaTeX Warning: Reference \`tab:full-oracle-function-space-with-a-long-name' on page 103 undefined on input line 1234."
long3="LaTeX Warning: File \`../plots/out/a-figure-name-long-enough-to-wrap-the-log-line-twice-over-in-pdftex-logs-$(printf '%060d' 0).pdf' not found on input line 12."
for bad in "$long" "$long3"; do
  printf '%s\n' "$clean" >"$tmp/bad.log"
  printf '%s\n' "$bad" | fold -w 79 >>"$tmp/bad.log"
  [ "$(wc -l <"$tmp/bad.log")" -gt 5 ] || fail "the wrapped fixture is not wrapped"
  st=0
  sh "$chk" "$tmp/bad.log" >/dev/null 2>"$tmp/err" || st=$?
  [ "$st" -eq 1 ] || fail "exit $st, want 1, for the wrapped: $bad"
  grep -qF "$bad" "$tmp/err" || fail "the message does not quote the whole wrapped line: $bad ($(cat "$tmp/err"))"
  echo "check_log_test: refused when wrapped at 79: $bad"
done
# a 79-character line that is complete (the next line is unrelated) does not hide the next
printf '%s\n%s\n%s\n' "$clean" "$(printf '%079d' 0)" "LaTeX Warning: Float too large for page by 5.0pt on input line 9." >"$tmp/bad.log"
st=0
sh "$chk" "$tmp/bad.log" >/dev/null 2>"$tmp/err" || st=$?
[ "$st" -eq 1 ] || fail "a warning after a 79-character line was missed"
st=0
sh "$chk" "$tmp/none.log" >/dev/null 2>&1 || st=$?
[ "$st" -eq 2 ] || fail "a missing log gave exit $st, want 2"
echo "check_log_test: ok"
