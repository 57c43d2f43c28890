#!/bin/sh
# tests/build/room_deps.sh — docs/DESIGN.md says "dependencies point down the table only":
# every `#include "room/..."` in src/ must name the file's own room or a room listed above
# it in the rooms table. This test reads the table's order from the page itself and checks
# every include of every file under src/, so the page and the code cannot drift apart.
set -eu
src=${GR_SOURCE_DIR:?}
order=$(sed -n 's/^| `\([a-z]*\)\/`.*/\1/p' "$src/docs/DESIGN.md")
[ -n "$order" ] || { echo "room_deps: FAIL: no rooms table in docs/DESIGN.md" >&2; exit 1; }
rank() { # position of room $1 in the table, or empty
  i=0
  for r in $order; do
    i=$((i + 1))
    if [ "$r" = "$1" ]; then echo $i; return; fi
  done
}
bad=0
nfiles=0
for d in "$src"/src/*/; do
  room=$(basename "$d")
  me=$(rank "$room")
  if [ -z "$me" ]; then
    echo "room_deps: FAIL: src/$room/ is not in docs/DESIGN.md's rooms table" >&2
    bad=1
    continue
  fi
  for f in "$d"*.c "$d"*.h; do
    [ -e "$f" ] || continue
    nfiles=$((nfiles + 1))
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z_]*\)\/.*/\1/p' "$f" | sort -u); do
      them=$(rank "$inc")
      if [ -z "$them" ]; then
        echo "room_deps: FAIL: src/$room/$(basename "$f") includes \"$inc/...\", not a room of the table" >&2
        bad=1
      elif [ "$them" -gt "$me" ]; then
        echo "room_deps: FAIL: src/$room/$(basename "$f") includes \"$inc/...\", a room below $room in docs/DESIGN.md's table" >&2
        bad=1
      fi
    done
  done
done
[ "$bad" -eq 0 ] || exit 1
echo "room_deps: $nfiles files in $(echo $order | wc -w) rooms include only their own room or rooms above it"
