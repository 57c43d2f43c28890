#!/bin/sh
# tests/cli/valgrind.sh — the CLI end to end under valgrind's memcheck (issue 19 item 4):
# run (parallel_lines and toy_train at their ci profiles; toy_train trains five networks
# and checkpoints them), merge, table, verify, plot, distance (text and HDF5 inputs) and a
# bad input; every process — the runner's forked workers included — must report no error
# and no definitely or indirectly lost block (--errors-for-leak-kinds=definite,indirect
# --error-exitcode=99). Not in ctest (minutes); `make valgrind` runs it on build/.
#
#   tests/cli/valgrind.sh [BUILD]        default build (a Release build: what users run)
set -eu
cd "$(dirname "$0")/../.."
src=$(pwd)
build=${1:-build}
cli=$src/$build/ganrepro
if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind: not installed (apt-get install valgrind)" >&2
  exit 1
fi
[ -x "$cli" ] || { echo "valgrind: no $cli (make build)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_vg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export OPENBLAS_NUM_THREADS=1
# the kernels are pinned so that blas_core.h never runs the program again under valgrind
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}
log=$tmp/vg
vg() {
  valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --track-fds=no \
    --log-file="$log.%p" "$cli" "$@"
}
n=0
step() { # LABEL EXPECTED-STATUS ARGS...
  label=$1
  want=$2
  shift 2
  t0=$(date +%s)
  st=0
  vg "$@" >"$tmp/out" 2>"$tmp/err" || st=$?
  n=$((n + 1))
  if [ "$st" -ne "$want" ]; then
    echo "valgrind: FAIL: $label: exit $st (expected $want)" >&2
    cat "$tmp/err" >&2
    grep -h -A20 'ERROR SUMMARY: [1-9]\|definitely lost: [1-9]\|Invalid\|uninitialised' "$log".* | head -60 >&2
    exit 1
  fi
  echo "valgrind: $label: exit $st, $(($(date +%s) - t0)) s"
}
step "run parallel_lines ci" 0 run "$src/experiments/parallel_lines.cfg" --profile ci --jobs 1 --out "$tmp/res"
step "run toy_train ci (train, checkpoints)" 0 run "$src/experiments/toy_train.cfg" --profile ci --jobs 2 --out "$tmp/res"
step "run parallel_lines --shard 0/2" 0 run "$src/experiments/parallel_lines.cfg" --profile ci --shard 0/2 --out "$tmp/sh"
step "run parallel_lines --shard 1/2" 0 run "$src/experiments/parallel_lines.cfg" --profile ci --shard 1/2 --out "$tmp/sh"
step "merge" 0 merge "$tmp/merged.h5" "$tmp/sh/parallel_lines.shard-0-of-2.h5" "$tmp/sh/parallel_lines.shard-1-of-2.h5"
step "table" 0 table "$tmp/res/parallel_lines.h5" "$tmp/res/toy_train.h5" --out "$tmp/tables"
step "verify" 0 verify "$tmp/res/parallel_lines.h5" --out "$tmp/tables"
step "plot" 0 plot "$tmp/res/parallel_lines.h5" --plots "$src/plots" --out "$tmp/figs"
printf '0 0\n1 0\n0 1\n1 1\n0.5 0.5\n' >"$tmp/a.txt"
printf '0 0.1\n1 0.2\n0.3 1\n' >"$tmp/b.txt"
for k in w1 w2 sinkhorn; do
  step "distance $k" 0 distance "$k" "$tmp/a.txt" "$tmp/b.txt"
done
step "distance w1 on an HDF5 dataset" 0 distance w1 "$tmp/res/parallel_lines.h5:/runs/$(ls "$tmp/res/parallel_lines.d" | head -1 | cut -c1-16)/samples/real" "$tmp/a.txt"
printf '0 0\n1 x\n' >"$tmp/bad.txt"
step "distance on a bad point file" 2 distance w1 "$tmp/bad.txt" "$tmp/a.txt"
step "verify of a non-results file" 2 verify "$tmp/a.txt"
procs=$(ls "$log".* | wc -l)
errs=$(grep -h 'ERROR SUMMARY' "$log".* | awk '{ s += $4 } END { print s + 0 }')
lost=$(grep -h 'definitely lost:' "$log".* | awk '{ gsub(",", "", $4); s += $4 } END { print s + 0 }')
reach=$(grep -h 'still reachable:' "$log".* | awk '{ gsub(",", "", $4); s += $4 } END { print s + 0 }')
echo "valgrind: PASS: $n commands, $procs processes (forked workers included): $errs errors, $lost bytes definitely lost ($reach bytes still reachable at exit: libraries' and forked copies')"
