#!/bin/sh
# tests/harness/slurm_shards.sh — experiments/slurm.sbatch on a one-node Slurm that this
# test starts on this machine (munged + slurmctld + slurmd, private config, key, sockets
# and spool under a temporary folder; only their own pids are stopped at the end): a
# 3-task array runs the shards of experiments/parallel_lines.cfg (profile ci), the
# dependent merge job joins them, and the merged file's datasets must equal an unsharded
# `ganrepro run` of the same experiment.
#
# Skipped, with the reason on stdout and exit 77 (ctest SKIP_RETURN_CODE), when Slurm or
# munge are not installed (Debian: apt-get install slurm-wlm munge), when not root
# (slurmd needs it), or when this build has no `run` command / no parallel_lines.cfg.
set -u
skip() {
    echo "SKIP: $*"
    exit 77
}
for t in slurmctld slurmd sbatch sinfo squeue munged; do
    command -v "$t" >/dev/null 2>&1 ||
        skip "$t not found: a one-node Slurm needs the Debian packages slurm-wlm and munge"
done
[ "$(id -u)" = 0 ] || skip "slurmd must run as root"
: "${GR_CLI:?run through ctest}" "${GR_SOURCE_DIR:?}" "${GR_BUILD_DIR:?}"
"$GR_CLI" --help | grep -q '^  run ' || skip "this build has no 'run' command"
cfg="$GR_SOURCE_DIR/experiments/parallel_lines.cfg"
[ -f "$cfg" ] || skip "no $cfg"
tools="$GR_BUILD_DIR/tests/harness/test_results_tools"

tmp=$(mktemp -d /tmp/gr_slurm_XXXXXX)
chmod 700 "$tmp"
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*"
    for f in "$tmp"/*.log "$tmp"/work/slurm-*.out; do
        [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
    done
    echo "0 passed, 1 failed"
    exit 1
}

# munge with its own key and socket
dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$tmp/munge.key"
munged --force --foreground --key-file="$tmp/munge.key" --socket="$tmp/munge.sock" \
    --pid-file="$tmp/munged.pid" --log-file="$tmp/munged.log" --seed-file="$tmp/munge.seed" \
    >"$tmp/munged.out.log" 2>&1 &
pids="$pids $!"

host=$(hostname -s)
port=$((20000 + $$ % 10000))
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/work"
cat > "$tmp/slurm.conf" <<CONF
ClusterName=grtest
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$tmp/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=grtest Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$tmp/slurm.conf"
sleep 1
slurmctld -D -f "$SLURM_CONF" >"$tmp/slurmctld.out.log" 2>&1 &
pids="$pids $!"
slurmd -D -f "$SLURM_CONF" >"$tmp/slurmd.out.log" 2>&1 &
pids="$pids $!"
up=0
for _ in $(seq 1 60); do
    if sinfo -h -o %t 2>/dev/null | grep -q idle; then up=1; break; fi
    sleep 1
done
[ "$up" = 1 ] || fail "the one-node Slurm did not come up in 60 s"

cd "$tmp/work" || fail "no work folder"
sbatch --array=0-2 \
    --export="ALL,GANREPRO=$GR_CLI,GR_OUT=$tmp/out,GR_SLURM_SCRIPT=$GR_SOURCE_DIR/experiments/slurm.sbatch" \
    "$GR_SOURCE_DIR/experiments/slurm.sbatch" "$cfg" --profile ci >"$tmp/sbatch.out" 2>&1 ||
    fail "sbatch: $(cat "$tmp/sbatch.out")"
merged=""
sleep 2
for _ in $(seq 1 300); do
    squeue -h 2>/dev/null | grep -q . || break # the array and the merge job have ended
    sleep 1
done
merged=$(ls "$tmp"/out/*.h5 2>/dev/null | grep -v '\.shard-' | head -n 1)
[ -n "$merged" ] || fail "no merged results file (jobs ended or 300 s passed)"
shards=$(ls "$tmp"/out/*.shard-*-of-3.h5 2>/dev/null | wc -l)
[ "$shards" = 3 ] || fail "expected 3 shard files, found $shards"
ref=$("$GR_CLI" run "$cfg" --profile ci --out "$tmp/ref" --jobs 2 2>"$tmp/ref.log") ||
    fail "unsharded run: $(cat "$tmp/ref.log")"
"$tools" same "$merged" "$ref" || fail "merged shards differ from the unsharded run"
echo "1 passed, 0 failed"
