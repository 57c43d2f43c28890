#!/bin/sh
# tests/build/example_install.sh — an outside program can use the installed library the
# way the README says: `cmake --install` the build into a fresh temporary prefix, point
# PKG_CONFIG_PATH at that prefix's pkg-config folder (a custom prefix is not on
# pkg-config's default path), compile docs/examples/w1.c with
# `pkg-config --cflags --libs --static ganrepro` and strict warnings, run it, and compare
# what it prints with the closed form (2 + sqrt 2) / 3 = 1.1380711874576983.
#
#   example_install.sh   (environment: GR_SOURCE_DIR, GR_BUILD_DIR, GR_INSTALL_LIBDIR, CC)
set -eu
src=${GR_SOURCE_DIR:?}
build=${GR_BUILD_DIR:?}
libdir=${GR_INSTALL_LIBDIR:-lib}
cc=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_example_install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
  echo "example_install: FAIL: $*" >&2
  exit 1
}

cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "cmake --install into $tmp/prefix"; }
pc=$tmp/prefix/$libdir/pkgconfig
[ -f "$pc/ganrepro.pc" ] || fail "no ganrepro.pc in $pc"
# the installed copy is found only through PKG_CONFIG_PATH
PKG_CONFIG_PATH=$pc
export PKG_CONFIG_PATH
flags=$(pkg-config --cflags --libs --static ganrepro) || fail "pkg-config ganrepro"
case "$flags" in
  *"$tmp/prefix"*) ;;
  *) fail "pkg-config flags do not point into the install prefix: $flags" ;;
esac
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Wconversion -Werror "$src/docs/examples/w1.c" $flags \
  -o "$tmp/w1" || fail "compiling docs/examples/w1.c against the installed library"
got=$("$tmp/w1") || fail "docs/examples/w1.c exited non-zero"
want=1.1380711874576983
[ "$got" = "$want" ] || fail "docs/examples/w1.c printed '$got', want $want"
echo "example_install: installed, compiled with: $flags"
echo "example_install: docs/examples/w1.c printed $got (closed form $want)"
