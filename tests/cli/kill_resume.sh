#!/bin/sh
# tests/cli/kill_resume.sh — kill -9 `ganrepro run` and `ganrepro merge` at random moments,
# run them again, and check what issue 19 item 2 promises (docs/RELIABILITY.md):
#  - after every kill, the results file is absent or complete (equal to an uninterrupted
#    run's), and every per-run file left is complete;
#  - the next `run --resume` skips exactly the runs whose per-run files were complete (its
#    "K complete (skipped)" line) and does not rewrite those files (inode and mtime kept);
#  - once a run gets through, the results file equals an uninterrupted reference run's: every
#    dataset and every attribute except the ones that hold times or the execution context
#    (h5dump at 17 digits), and `table --format runs` prints the same full-precision rows;
#    no temporary is left behind;
#  - a killed `merge` leaves OUT absent or complete, and merging again gives the reference.
# The experiment is toy_train's ci profile (five 300-step training runs, ~1 s in all) with a
# checkpoint every 50 steps, so a kill often lands in a checkpoint save. Each kill picks its
# moment at random: a uniform delay over the run's measured duration, or (one kill in two)
# the first sight of a temporary of a checkpoint, of a per-run file or of the results file
# (a busy poll of the folder), so the write phases are hit every time and not only by luck.
# Where a kill landed is told by the temporaries it left: a run's per-run file is open
# (as a temporary) for the whole run, its checkpoint temporary only while it is saved. Random = seeded: the seed is
# printed; GR_KILL_SEED=N replays a sequence, GR_KILLS=N changes the number of kills (20).
#
#   kill_resume.sh   (environment: GR_SOURCE_DIR, GR_CLI; needs h5dump and setsid)
set -u
src=${GR_SOURCE_DIR:?}
cli=${GR_CLI:?}
for t in h5dump setsid awk; do
  if ! command -v "$t" >/dev/null 2>&1; then
    echo "SKIP_REASON: $t is not installed" >&2
    exit 77
  fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gr_kill.XXXXXX")
pid=""
cleanup() {
  [ -n "$pid" ] && kill -9 "-$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export OPENBLAS_NUM_THREADS=1
seed=${GR_KILL_SEED:-$(($(date +%s) % 100000))}
kills_wanted=${GR_KILLS:-20}
# under AddressSanitizer every process is several times slower: fewer kills there (the
# sanitizer run is for memory errors on these paths; the 20 in a row are the Release run's)
case $("$cli" --version 2>/dev/null | head -1) in
  *asan*) kills_wanted=${GR_KILLS:-6} ;;
esac
echo "kill_resume: seed $seed (GR_KILL_SEED=$seed replays this sequence), $kills_wanted kills"
t_start=$(date +%s)
fail() {
  echo "kill_resume: FAIL (seed $seed): $*" >&2
  exit 1
}

cfg=$src/experiments/toy_train.cfg
name=toy_train
set_args='--profile ci --set schedule.checkpoint_every=50 --set nets.g="2-32relu-32relu-2linear" --set nets.d="2-32relu-32relu-1linear"'

# The attributes that hold times or the execution context (docs/RESULTS.md) and the
# train protocol's resumed_from_step differ between equal runs; everything else must not.
normalize() {
  h5dump -m %.17g "$1" | awk '
    NR == 1 { next }
    skip { if ($0 == ind "}") skip = 0; next }
    /^ *ATTRIBUTE "/ {
      n = $0; sub(/^ *ATTRIBUTE "/, "", n); sub(/".*/, "", n)
      if (n ~ /^(start_time|end_time|wall_time_s|jobs|shard|eval_fraction|eval_seconds|probe_seconds|train_seconds|steps_per_second|resumed_from_step)$/) {
        ind = $0; sub(/[^ ].*/, "", ind); skip = 1; next
      }
    }
    { print }'
}

# reference: uninterrupted, on two workers (the killed runs use one: --jobs changes nothing)
mkdir -p "$tmp/ref"
"$cli" run "$cfg" $set_args --jobs 2 --out "$tmp/ref" >/dev/null 2>"$tmp/ref.err" || fail "reference run: $(cat "$tmp/ref.err")"
normalize "$tmp/ref/$name.h5" >"$tmp/ref.dump" || fail "h5dump of the reference"
"$cli" table "$tmp/ref/$name.h5" --format runs --stdout >"$tmp/ref.runs" 2>&1 || fail "table of the reference"
# shards of the same runs, merged once uninterrupted: the merge kills' reference
# (their time together is a one-worker run's: the range of the uniform kill delays)
t0=$(date +%s.%N)
"$cli" run "$cfg" $set_args --jobs 1 --shard 0/2 --out "$tmp/shards" >/dev/null 2>&1 || fail "shard 0/2"
"$cli" run "$cfg" $set_args --jobs 1 --shard 1/2 --out "$tmp/shards" >/dev/null 2>&1 || fail "shard 1/2"
t1=$(date +%s.%N)
s0=$tmp/shards/$name.shard-0-of-2.h5
s1=$tmp/shards/$name.shard-1-of-2.h5
dur=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
t0=$(date +%s.%N)
"$cli" merge "$tmp/ref/merged.h5" "$s0" "$s1" >/dev/null 2>"$tmp/m.err" || fail "merge: $(cat "$tmp/m.err")"
t1=$(date +%s.%N)
mdur=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
normalize "$tmp/ref/merged.h5" >"$tmp/merged.dump"
cmp -s "$tmp/ref.dump" "$tmp/merged.dump" || fail "the merged shards differ from the unsharded run"
echo "kill_resume: uninterrupted run ${dur}s, merge ${mdur}s"

# the random sequence: kind of kill point and uniform numbers
awk -v s="$seed" 'BEGIN { srand(s); for (i = 0; i < 4000; i++) printf "%.6f\n", rand() }' >"$tmp/rand"
ri=0
rnd() { # the next uniform number in [0, 1) into the variable $1
  ri=$((ri + 1))
  eval "$1=\$(sed -n ${ri}p \"\$tmp/rand\")"
}

out=$tmp/out
rd=$out/$name.d
kills=0
completions=0
resumed_runs=0
ph_step=0 ph_ckpt=0 ph_runfile=0 ph_results=0 ph_merge_read=0 ph_merge_write=0 ph_idle=0

# first sight of a file matching the glob $1 (or the command's end): a busy poll in builtins
# (temporaries left by an earlier kill, listed in $old_tmp, do not count)
wait_for() {
  while :; do
    for f in $1; do
      [ -e "$f" ] || continue
      case " $old_tmp " in *" $f "*) continue ;; esac
      return 0
    done
    # gone, or exited and not yet reaped (kill -0 would still succeed on it)
    { read -r s <"/proc/$pid/stat"; } 2>/dev/null || return 0
    case $s in *") Z "*) return 0 ;; esac
  done
}

# the temporaries in the output folder, one line each
temporaries() {
  for f in "$@"; do
    [ -e "$f" ] && echo "$f"
  done
}

# the temporaries matching the glob $1 that are not in $old_tmp
new_tmp() {
  for f in $1; do
    [ -e "$f" ] || continue
    case " $old_tmp " in *" $f "*) continue ;; esac
    echo "$f"
  done
}

# the complete per-run files: "<id> <inode> <mtime>"
complete_runs() {
  for f in "$rd"/*.h5; do
    [ -e "$f" ] || continue
    case $f in *.ckpt.h5) continue ;; esac
    stat -c '%n %i %y' "$f"
  done
}

final_check() { # the run got through: compare with the reference
  [ -f "$out/$name.h5" ] || fail "no results file after a complete run"
  normalize "$out/$name.h5" >"$tmp/got.dump"
  if ! cmp -s "$tmp/ref.dump" "$tmp/got.dump"; then
    diff "$tmp/ref.dump" "$tmp/got.dump" | head -20 >&2
    fail "the results file after kills differs from the uninterrupted run's"
  fi
  "$cli" table "$out/$name.h5" --format runs --stdout >"$tmp/got.runs" 2>&1 || fail "table: $(cat "$tmp/got.runs")"
  cmp -s "$tmp/ref.runs" "$tmp/got.runs" || fail "table --format runs differs from the reference"
  "$cli" verify "$out/$name.h5" --no-write >/dev/null 2>"$tmp/v.err" || fail "verify: $(cat "$tmp/v.err")"
  left=$(find "$out" -name '*.tmp.*' | head -3)
  [ -z "$left" ] || fail "temporaries left after a complete run: $left"
  n=$(h5dump "$out/$name.h5" |
    awk '/ATTRIBUTE "resumed_from_step"/ { g = 1 } g && /\(0\):/ { if ($2 + 0 > 0) c++; g = 0 } END { print c + 0 }')
  resumed_runs=$((resumed_runs + n))
  completions=$((completions + 1))
}

iter=0
while [ "$kills" -lt "$kills_wanted" ]; do
  iter=$((iter + 1))
  [ "$iter" -le $((kills_wanted * 4)) ] || fail "only $kills kills in $iter attempts"
  rnd u
  rnd v
  kind=$(awk -v u="$u" 'BEGIN { k = int(u * 20); print (k < 6) ? "time" : (k < 8) ? "ckpt" : (k < 10) ? "run_start" : (k < 14) ? "results" : (k < 17) ? "merge" : "merge_tmp" }')
  case $kind in merge*)
    m=$tmp/merge_out.h5
    old_tmp=$(temporaries "$tmp"/merge_out.h5.tmp.* | tr '\n' ' ')
    prev=absent
    if [ -f "$m" ]; then prev=complete; fi
    setsid "$cli" merge "$m" "$s0" "$s1" >/dev/null 2>&1 &
    pid=$!
    if [ "$kind" = merge ]; then
      delay=$(awk -v v="$v" -v d="$mdur" 'BEGIN { printf "%.4f", v * d * 0.8 }')
      sleep "$delay"
    else
      wait_for "$tmp/merge_out.h5.tmp.*"
    fi
    kill -9 "-$pid" 2>/dev/null
    wait "$pid"
    st=$?
    pid=""
    if [ "$st" -ne 137 ]; then continue; fi # finished first: not a kill
    kills=$((kills + 1))
    if [ -n "$(new_tmp "$tmp/merge_out.h5.tmp.*")" ]; then
      ph_merge_write=$((ph_merge_write + 1))
      where="merge (writing OUT)"
    else
      ph_merge_read=$((ph_merge_read + 1))
      where="merge (reading)"
    fi
    if [ -f "$m" ]; then
      normalize "$m" >"$tmp/got.dump"
      cmp -s "$tmp/ref.dump" "$tmp/got.dump" || fail "kill $kills ($where): OUT is not the complete merge"
    fi
    "$cli" merge "$m" "$s0" "$s1" >/dev/null 2>"$tmp/m.err" || fail "merge after kill $kills: $(cat "$tmp/m.err")"
    normalize "$m" >"$tmp/got.dump"
    cmp -s "$tmp/ref.dump" "$tmp/got.dump" || fail "merge after kill $kills differs from the reference"
    [ -z "$(ls "$tmp"/merge_out.h5.tmp.* 2>/dev/null)" ] || fail "merge after kill $kills left its temporary"
    echo "kill_resume: kill $kills ($kind): $where (OUT before: $prev): merged again, equal to the reference"
    continue
    ;;
  esac

  before=$(complete_runs)
  nbefore=$(printf '%s' "$before" | grep -c . || true)
  old_tmp=$(temporaries "$out/$name.h5.tmp."* "$rd"/*.tmp.* | tr '\n' ' ')
  setsid "$cli" run "$cfg" $set_args --jobs 1 --resume --out "$out" >/dev/null 2>"$tmp/run.err" &
  pid=$!
  case $kind in
    time)
      delay=$(awk -v v="$v" -v d="$dur" 'BEGIN { printf "%.4f", v * d }')
      sleep "$delay"
      ;;
    ckpt) wait_for "$rd/*.ckpt.h5.tmp.*" ;;
    run_start) wait_for "$rd/????????????????.h5.tmp.*" ;;
    results) wait_for "$out/$name.h5.tmp.*" ;;
  esac
  kill -9 "-$pid" 2>/dev/null
  wait "$pid"
  st=$?
  pid=""
  # what this run said about the runs complete before it (it starts with that line)
  sk=$(sed -n 's/.*runs*, \([0-9]*\) complete (skipped).*/\1/p' "$tmp/run.err" | head -1)
  if [ -n "$sk" ] && [ "$sk" -ne "$nbefore" ]; then
    fail "the run after a kill skipped $sk runs, but $nbefore per-run files were complete"
  fi
  # complete runs were not recomputed: their files are the same files, untouched
  if [ -n "$before" ]; then
    printf '%s\n' "$before" | while read -r f ino rest; do
      now=$(stat -c '%i %y' "$f" 2>/dev/null) || fail "the complete run file $f disappeared"
      [ "$now" = "$ino $rest" ] || fail "the complete run file $f was rewritten"
    done || exit 1
  fi
  if [ "$st" -eq 0 ]; then # got through before the kill
    final_check
    echo "kill_resume: (run completed before its kill: results equal the reference; starting over)"
    rm -rf "$out"
    continue
  fi
  [ "$st" -eq 137 ] || fail "run exited with status $st: $(cat "$tmp/run.err")"
  kills=$((kills + 1))
  after=$(complete_runs | grep -c . || true)
  if [ -n "$(new_tmp "$out/$name.h5.tmp.*")" ]; then
    where="results write"
    ph_results=$((ph_results + 1))
  elif [ -n "$(new_tmp "$rd/*.ckpt.h5.tmp.*")" ]; then
    where="checkpoint save"
    ph_ckpt=$((ph_ckpt + 1))
  elif [ -n "$(new_tmp "$rd/????????????????.h5.tmp.*")" ]; then
    where="inside a run (training, evaluation; its per-run file open)"
    ph_runfile=$((ph_runfile + 1))
  elif [ -z "$sk" ]; then
    where="start-up"
    ph_idle=$((ph_idle + 1))
  elif [ "$after" -lt 5 ]; then
    where="between two runs"
    ph_step=$((ph_step + 1))
  else
    where="between the runs and the results write"
    ph_idle=$((ph_idle + 1))
  fi
  # the results file after a kill: absent, or complete
  if [ -f "$out/$name.h5" ]; then
    normalize "$out/$name.h5" >"$tmp/got.dump"
    cmp -s "$tmp/ref.dump" "$tmp/got.dump" || fail "kill $kills ($where): the results file is not complete"
  fi
  echo "kill_resume: kill $kills ($kind): $where; $after of 5 runs complete"
  # every few kills (and after the last), let a run get through and compare
  if [ "$kills" -eq "$kills_wanted" ] || [ $((kills % 5)) -eq 0 ]; then
    before=$(complete_runs)
    "$cli" run "$cfg" $set_args --jobs 1 --resume --out "$out" >/dev/null 2>"$tmp/run.err" ||
      fail "run after kill $kills: $(cat "$tmp/run.err")"
    sk=$(sed -n 's/.*runs*, \([0-9]*\) complete (skipped).*/\1/p' "$tmp/run.err" | head -1)
    [ "$sk" -eq "$(printf '%s' "$before" | grep -c . || true)" ] || fail "run after kill $kills skipped $sk runs"
    final_check
    echo "kill_resume: after kill $kills: run --resume completed; results equal the uninterrupted run's"
    rm -rf "$out"
  fi
done
wall=$(($(date +%s) - t_start))
echo "kill_resume: PASS: $kills kills (between runs $ph_step, checkpoint save $ph_ckpt, inside a run $ph_runfile, results write $ph_results, start-up or between $ph_idle, merge reading $ph_merge_read, merge writing $ph_merge_write); $completions complete runs compared, $resumed_runs runs resumed from a checkpoint; ${wall}s"
