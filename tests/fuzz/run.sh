#!/bin/sh
# tests/fuzz/run.sh — build the libFuzzer targets (clang, ASan + UBSan, in build-fuzz/) and run
# each for a bounded time, one after the other (`make fuzz` calls this; CI too, shorter).
#
#   tests/fuzz/run.sh [TARGET...]        default: every target of tests/fuzz/CMakeLists.txt
#   FUZZ_SECONDS=60   seconds per target      FUZZ_BUILD=build-fuzz   the build folder
#   FUZZ_JOBS=2       build parallelism       FUZZ_ARGS=...           extra libFuzzer flags
#
# Each target mutates a working corpus $FUZZ_BUILD/fuzz-corpus/<target>/ (kept between runs,
# so coverage accumulates) seeded by the committed tests/fuzz/corpus/<target>/ and
# tests/fuzz/regress/<target>/, which it only reads. A crash, a broken contract, a leak, a
# timeout (10 s per input) or an out-of-memory (2 GiB) stops that target: its input is saved
# as $FUZZ_BUILD/fuzz-artifacts/<target>/<kind>-<sha1>, the script goes on with the next
# target and exits 1 at the end. Reproduce one with
#     $FUZZ_BUILD/tests/fuzz/fuzz_<target> FILE
# then fix the reader and copy FILE into tests/fuzz/regress/<target>/ (the unit test
# test_fuzz_replay_<target> then replays it in every build). The last line of each run
# (executions, exec/s, coverage cov/ft, corpus size) goes to $FUZZ_BUILD/fuzz-summary.txt.
set -eu
cd "$(dirname "$0")/../.."
src=$(pwd)
secs=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD:-build-fuzz}
jobs=${FUZZ_JOBS:-2}
cc=${FUZZ_CC:-clang}

if ! command -v "$cc" >/dev/null 2>&1; then
  echo "fuzz: $cc not found (cmake/deps.sh installs clang)" >&2
  exit 1
fi
mkdir -p "$build"
blog="$build/fuzz-build.log"
if ! { cmake -S . -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
         -DGR_FUZZ=ON -DGR_BUILD_BENCH=OFF &&
       cmake --build "$build" -j "$jobs" --target gr_fuzzers; } >"$blog" 2>&1; then
  tail -30 "$blog" >&2
  echo "fuzz: the build failed (log $blog)" >&2
  exit 1
fi

if [ $# -gt 0 ]; then
  targets="$*"
else
  targets=$(sed -n 's/^gr_fuzz_target(\([a-z0-9_]*\).*/\1/p' tests/fuzz/CMakeLists.txt)
fi

export OPENBLAS_NUM_THREADS=1
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$src/tests/fuzz/lsan.supp}"

# A finding is libhdf5's own (not ours) when ASan reports a signal (SEGV, FPE, BUS, stack
# overflow: no bad access to memory ASan tracks, which could be a buffer of ours) and the
# first frame outside libc and the sanitizer interceptors is inside libhdf5. Those are
# recorded (kept as hdf5-<kind>-<sha1>, counted in the summary, tests/fuzz/README.md lists
# the known ones) and the target is restarted for the rest of its time; everything else
# (our frames, a broken contract, a leak of ours, a timeout, an out-of-memory) fails.
is_hdf5_crash() {
  grep -qE 'ERROR: AddressSanitizer: (SEGV|FPE|BUS|stack-overflow)' "$1" || return 1
  first=$(grep -E '^ +#[0-9]+ 0x' "$1" |
    grep -vE 'libc\.so|/libc-|sysdeps/|string/|__interceptor_|__asan|__sanitizer|__ubsan' |
    head -1)
  case "$first" in
    *libhdf5*) return 0 ;;
    *) return 1 ;;
  esac
}

summary="$build/fuzz-summary.txt"
: >"$summary"
failed=""
hdf5_total=0
for t in $targets; do
  exe="$build/tests/fuzz/fuzz_$t"
  if [ ! -x "$exe" ]; then
    echo "fuzz: no target '$t' (tests/fuzz/CMakeLists.txt lists them)" >&2
    failed="$failed $t"
    continue
  fi
  work="$build/fuzz-corpus/$t"
  art="$build/fuzz-artifacts/$t"
  log="$build/fuzz-$t.log"
  mkdir -p "$work" "$art"
  seeds="tests/fuzz/corpus/$t"
  [ -d "tests/fuzz/regress/$t" ] && seeds="$seeds tests/fuzz/regress/$t"
  echo "fuzz: $t for ${secs}s (log $log)"
  : >"$log"
  left=$secs
  hdf5=0
  rc=0
  execs=0
  while [ "$left" -gt 0 ]; do
    t0=$(date +%s)
    rc=0
    # shellcheck disable=SC2086
    "$exe" -max_total_time="$left" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$art/" ${FUZZ_ARGS:-} "$work" $seeds >"$log.part" 2>&1 &
    pid=$!
    wait "$pid" || rc=$?
    # the input file of the run that crashed (fuzz.h names them by pid) is left behind
    rm -rf "/dev/shm/gr-fuzz-$pid-"* "${TMPDIR:-/tmp}/gr-fuzz-$pid-"*
    cat "$log.part" >>"$log"
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log.part" | tail -1)
    if [ -z "$n" ]; then # a crash: the last progress line counts the runs so far
      n=$(grep -E '^#[0-9]+[[:space:]]' "$log.part" | tail -1 | sed 's/^#\([0-9]*\).*/\1/')
    fi
    execs=$((execs + ${n:-0}))
    left=$((left - ($(date +%s) - t0)))
    [ "$rc" -eq 0 ] && break
    if is_hdf5_crash "$log.part" && [ "$hdf5" -lt 20 ]; then
      unit=$(sed -n 's/.*Test unit written to //p' "$log.part" | tail -1)
      if [ -n "$unit" ] && [ -f "$unit" ]; then
        mv "$unit" "$art/hdf5-$(basename "$unit")"
      fi
      hdf5=$((hdf5 + 1))
      echo "fuzz: $t: a crash inside libhdf5 (not ours), input kept as $art/hdf5-$(basename "${unit:-?}"); restarting" >&2
      rc=0
      continue
    fi
    break
  done
  rm -f "$log.part"
  hdf5_total=$((hdf5_total + hdf5))
  line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  [ -n "$line" ] || line=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -1 || true)
  line=$(printf '%s' "$line" | sed 's/^#[0-9]*[[:space:]]*[A-Z]*[[:space:]]*//')
  printf '%-16s rc=%d %ss execs=%s libhdf5_crashes=%d last: %s\n' "$t" "$rc" "$secs" "$execs" \
    "$hdf5" "$line" | tee -a "$summary"
  if [ "$rc" -ne 0 ]; then
    failed="$failed $t"
    grep -E 'ERROR|contract broken|SUMMARY|Test unit written' "$log" | tail -5 >&2 || true
  fi
done
if [ -n "$failed" ]; then
  echo "fuzz: FAILED:$failed (inputs in $build/fuzz-artifacts/)" >&2
  exit 1
fi
if [ "$hdf5_total" -gt 0 ]; then
  echo "fuzz: no finding in ganrepro's code; $hdf5_total crash(es) inside libhdf5 on damaged files (kept as $build/fuzz-artifacts/*/hdf5-*; tests/fuzz/README.md)"
else
  echo "fuzz: every target ran ${secs}s without a finding"
fi
