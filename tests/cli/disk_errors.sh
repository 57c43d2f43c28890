#!/bin/sh
# tests/cli/disk_errors.sh — a full disk and a read-only output folder (issue 19 item 2):
# `run`, `merge`, `table` and `plot` writing into a small tmpfs that is
#   1. full to the last byte,
#   2. nearly full (60 KiB left: files are created, their writes fail part-way),
#   3. remounted read-only,
# must each exit 2 with one line on stderr (after `run`'s progress lines) that names the file
# and the system's reason, and leave the folder exactly as it was: every previous file
# byte-identical, no new file, no temporary (diff -r against a copy taken before).
# Root ignores file modes, so the read-only case is a read-only mount; without permission
# to mount, the test is skipped (77) with its reason.
#
#   disk_errors.sh   (environment: GR_SOURCE_DIR, GR_CLI)
set -u
src=${GR_SOURCE_DIR:?}
cli=${GR_CLI:?}
export OPENBLAS_NUM_THREADS=1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_disk.XXXXXX")
mnt=$tmp/mnt
mkdir -p "$mnt"
mounted=0
cleanup() {
  [ "$mounted" -eq 1 ] && umount "$mnt" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
if ! mount -t tmpfs -o size=1m,mode=0755 tmpfs "$mnt" 2>"$tmp/mount.err"; then
  echo "SKIP_REASON: cannot mount a tmpfs here ($(head -1 "$tmp/mount.err")): the full-disk and read-only cases need one" >&2
  exit 77
fi
mounted=1
rc=0
fail() {
  echo "disk_errors: FAIL: $*" >&2
  rc=1
}

cfg=$src/experiments/parallel_lines.cfg
plots=$src/plots
name=parallel_lines
# the previous outputs, all inside the mount
"$cli" run "$cfg" --profile ci --jobs 1 --out "$mnt/res" >/dev/null 2>"$tmp/e" || { cat "$tmp/e" >&2; exit 1; }
"$cli" plot "$mnt/res/$name.h5" --plots "$plots" --out "$mnt/figs" >/dev/null 2>"$tmp/e" || { cat "$tmp/e" >&2; exit 1; }
"$cli" table "$mnt/res/$name.h5" --out "$mnt/tables" >/dev/null 2>"$tmp/e" || { cat "$tmp/e" >&2; exit 1; }
# shards outside the mount, to merge into it
"$cli" run "$cfg" --profile ci --jobs 1 --shard 0/2 --out "$tmp/sh" >/dev/null 2>&1 || exit 1
"$cli" run "$cfg" --profile ci --jobs 1 --shard 1/2 --out "$tmp/sh" >/dev/null 2>&1 || exit 1
"$cli" merge "$mnt/res/merged.h5" "$tmp/sh/$name.shard-0-of-2.h5" "$tmp/sh/$name.shard-1-of-2.h5" >/dev/null 2>&1 || exit 1
# a run whose per-run file is gone must be run again (its worker writes into the mount)
one=$(ls "$mnt/res/$name.d/"*.h5 | head -1)
rm -f "$one"
cp -a "$mnt" "$tmp/snap"

# check LABEL REASON CMD...: exit 2, the error line names the mount and REASON, nothing changed
check() {
  label=$1
  reason=$2
  shift 2
  st=0
  "$@" >"$tmp/out" 2>"$tmp/err" || st=$?
  cmd=$2
  errs=$(grep -c "^ganrepro $cmd:" "$tmp/err")
  other=$(grep -v "^$name: " "$tmp/err" | grep -vc "^ganrepro $cmd:")
  line=$(grep "^ganrepro $cmd:" "$tmp/err" | head -1)
  if [ "$st" -ne 2 ]; then
    fail "$label: exit $st, expected 2; stderr: $(cat "$tmp/err")"
  elif [ "$errs" -ne 1 ] || [ "$other" -ne 0 ]; then
    fail "$label: expected one error line, got: $(cat "$tmp/err")"
  elif ! printf '%s' "$line" | grep -q "$mnt/"; then
    fail "$label: the error does not name the file: $line"
  elif ! printf '%s' "$line" | grep -q "$reason"; then
    fail "$label: the error does not say '$reason': $line"
  fi
  # a run that completed before the results write failed keeps its per-run file (complete,
  # readable: the next run skips it); only that may be new
  if [ -n "${allow_run:-}" ] && [ -f "$one" ] && [ ! -f "$tmp/snap/res/$name.d/$(basename "$one")" ]; then
    id=$(basename "$one" .h5)
    if h5dump -a "/runs/$id/status" "$one" 2>"$tmp/t.err" | grep -q '"ok"'; then
      cp -a "$one" "$tmp/snap/res/$name.d/"
      echo "disk_errors: $label: the re-run run's own file was written complete ($(basename "$one"))"
    else
      fail "$label: a per-run file was left that is not a complete ok run: $(cat "$tmp/t.err")"
    fi
  fi
  if ! diff -r --exclude=fill "$mnt" "$tmp/snap" >"$tmp/diff" 2>&1; then
    fail "$label: the output folder changed: $(head -5 "$tmp/diff")"
  fi
  echo "disk_errors: $label: exit $st: $line"
}

all_cases() { # $1: label prefix, $2: the reason expected
  check "$1 run (re-runs a run, writes the results file)" "$2" \
    "$cli" run "$cfg" --profile ci --jobs 1 --out "$mnt/res"
  check "$1 merge (over the previous merge)" "$2" \
    "$cli" merge "$mnt/res/merged.h5" "$tmp/sh/$name.shard-0-of-2.h5" "$tmp/sh/$name.shard-1-of-2.h5"
  check "$1 plot" "$2" "$cli" plot "$mnt/res/$name.h5" --plots "$plots" --out "$mnt/figs"
  check "$1 plot --format svg" "$2" "$cli" plot "$mnt/res/$name.h5" --plots "$plots" --out "$mnt/figs" --format svg
}

# 1. full to the last byte
dd if=/dev/zero of="$mnt/fill" bs=4096 >/dev/null 2>&1
all_cases "full disk:" "No space left on device"
check "full disk: table" "No space left on device" "$cli" table "$mnt/res/$name.h5" --out "$mnt/tables"
# 2. nearly full: files are created and their writes fail part-way (results 90 KiB, a
#    PNG 150 KiB; the tables would fit)
rm -f "$mnt/fill"
free=$(df -k --output=avail "$mnt" | tail -1)
dd if=/dev/zero of="$mnt/fill" bs=1024 count=$((free - 60)) >/dev/null 2>&1
allow_run=1
check "60 KiB left: run" "No space left on device\|full disk" \
  "$cli" run "$cfg" --profile ci --jobs 1 --out "$mnt/res"
allow_run=
check "60 KiB left: merge" "No space left on device" \
  "$cli" merge "$mnt/res/merged.h5" "$tmp/sh/$name.shard-0-of-2.h5" "$tmp/sh/$name.shard-1-of-2.h5"
check "60 KiB left: plot (png)" "No space left on device\|full disk" \
  "$cli" plot "$mnt/res/$name.h5" --plots "$plots" --out "$mnt/figs" --format png
rm -f "$mnt/fill"
# 3. read-only
if mount -o remount,ro "$mnt" 2>"$tmp/mount.err"; then
  all_cases "read-only:" "Read-only file system"
  check "read-only: table" "Read-only file system" "$cli" table "$mnt/res/$name.h5" --out "$mnt/tables"
  check "read-only: table into a new folder" "Read-only file system" "$cli" table "$mnt/res/$name.h5" --out "$mnt/new"
  mount -o remount,rw "$mnt"
else
  fail "cannot remount the tmpfs read-only: $(cat "$tmp/mount.err")"
fi
# the same commands succeed once there is room again (the files were not damaged)
"$cli" run "$cfg" --profile ci --jobs 1 --out "$mnt/res" >/dev/null 2>"$tmp/e" || fail "run with room: $(cat "$tmp/e")"
"$cli" plot "$mnt/res/$name.h5" --plots "$plots" --out "$mnt/figs" >/dev/null 2>"$tmp/e" || fail "plot with room: $(cat "$tmp/e")"
[ "$rc" -eq 0 ] && echo "disk_errors: PASS"
exit $rc
