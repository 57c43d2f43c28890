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
cmake -S . -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGR_FUZZ=ON \
  -DGR_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target gr_fuzzers >/dev/null

if [ $# -gt 0 ]; then
  targets="$*"
else
  targets=$(sed -n 's/^gr_fuzz_target(\([a-z0-9_]*\).*/\1/p' tests/fuzz/CMakeLists.txt)
fi

export OPENBLAS_NUM_THREADS=1
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$src/tests/fuzz/lsan.supp}"

summary="$build/fuzz-summary.txt"
: >"$summary"
failed=""
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
  rc=0
  # shellcheck disable=SC2086
  "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art/" ${FUZZ_ARGS:-} "$work" $seeds >"$log" 2>&1 || rc=$?
  line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  [ -n "$line" ] || line=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -1 || true)
  printf '%-16s rc=%d %s\n' "$t" "$rc" "$line" | tee -a "$summary"
  if [ "$rc" -ne 0 ]; then
    failed="$failed $t"
    grep -E 'ERROR|contract broken|SUMMARY|Test unit written' "$log" | head -5 >&2 || true
  fi
done
if [ -n "$failed" ]; then
  echo "fuzz: FAILED:$failed (inputs in $build/fuzz-artifacts/)" >&2
  exit 1
fi
echo "fuzz: every target ran ${secs}s without a finding"
