#!/usr/bin/env bash
# The real-Slurm test of `inferplan sweep --slurm`: a one-machine Slurm (Debian's slurm-wlm and
# munge: slurmctld and slurmd on this host, a node with its cores), a 40-point sweep in 4 shards,
# whose merged results must equal an unsharded run's byte for byte; then the same with one shard
# cancelled mid-run (scancel) and `--resubmit`ted. Every daemon it starts is stopped by PID.
#
# Runs when CI=true or INFERPLAN_SLURM_TEST=1 (scripts/test.sh calls it); skipped, with a message
# and exit 0, when this machine cannot run the daemons.
#   scripts/test-slurm.sh [path/to/inferplan]      (default: .build/release/inferplan)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${CI:-}" != true ] && [ "${INFERPLAN_SLURM_TEST:-}" != 1 ]; then
    echo "test-slurm: skipped (set INFERPLAN_SLURM_TEST=1, or CI=true, to run it)"
    exit 0
fi
bin="$(cd "$(dirname "${1:-.build/release/inferplan}")" && pwd)/$(basename "${1:-.build/release/inferplan}")"
[ -x "$bin" ] || { echo "test-slurm: no inferplan binary at $bin" >&2; exit 1; }
started=$(date +%s)
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
skip() { echo "test-slurm: skipped: $1"; exit 0; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "test-slurm: installing slurm-wlm and munge" >&2
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq slurm-wlm munge >/dev/null || skip "cannot install slurm-wlm and munge"
fi
[ "$(id -u)" -eq 0 ] || skip "the one-machine Slurm here runs its daemons as root, and this is user $(id -un)"

work="$(mktemp -d /tmp/inferplan-slurm.XXXXXX)"
pids=()
cleanup() {
    for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid"; do
        [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 1
    rm -rf "$work"
}
trap cleanup EXIT

# munge: the authentication Slurm's daemons and commands share.
if ! pgrep -x munged >/dev/null; then
    [ -s /etc/munge/munge.key ] || { /usr/sbin/mungekey --create 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null; }
    chown munge:munge /etc/munge/munge.key 2>/dev/null || true; chmod 400 /etc/munge/munge.key
    mkdir -p /run/munge && chown munge:munge /run/munge && chmod 755 /run/munge
    runuser -u munge -- /usr/sbin/munged || skip "munged does not start"
    sleep 1
    pids+=("$(pgrep -x munged | head -1)")
fi

host="$(hostname -s)"
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF="$work/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=inferplan-test
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF" || skip "slurmctld does not start (see $work/slurmctld.log)"
slurmd -f "$SLURM_CONF" || skip "slurmd does not start"
for _ in $(seq 1 30); do
    [ "$(sinfo -h -o %T 2>/dev/null | head -1)" = idle ] && break
    sleep 1
done
[ "$(sinfo -h -o %T 2>/dev/null | head -1)" = idle ] || skip "the node did not come up: $(tail -3 "$work/slurmd.log" 2>/dev/null)"

# 40 points of about half a second each (a max-rate search of a Server scenario), some invalid.
cat > "$work/sweep.yaml" <<SWEEP
base: $PWD/Scenarios/llama2-70b-server-8xh200.yaml
set: {workload.qps: max}
axes:
  hardware.gpu: [h200-sxm, b200, mi300x, h100-sxm]
  serving.max_batch_seqs: [64, 128, 256, 512, 1024]
  precision.weights: [fp8, nvfp4]
SWEEP
"$bin" sweep "$work/sweep.yaml" --output "$work/reference" --jobs 2 >/dev/null 2>&1

wait_for_array() {   # until no task of the sweep's array is left (a merge waiting on it may remain)
    for _ in $(seq 1 240); do
        squeue -h -o '%j' | grep -qx 'inferplan-sweep' || return 0
        sleep 1
    done
    echo "test-slurm: the array did not finish in 4 minutes:"; squeue; return 1
}
wait_for_all() {
    for _ in $(seq 1 240); do [ -z "$(squeue -h)" ] && return 0; sleep 1; done
    echo "test-slurm: the jobs did not finish in 4 minutes:"; squeue; return 1
}
same_bytes() {
    for file in results.csv results.jsonl; do
        cmp "$work/reference/$file" "$1/$file" || { echo "test-slurm: $1/$file differs from the unsharded run"; exit 1; }
    done
}

# 1. Four shards and the merge.
"$bin" sweep "$work/sweep.yaml" --slurm --array 4 --output "$work/a"
wait_for_all
"$bin" sweep-status "$work/a"
same_bytes "$work/a"
echo "test-slurm: 4 shards merged, byte-identical to the unsharded sweep (results.csv, results.jsonl)"

# 2. Shard 2 cancelled mid-run, then resubmitted: still the same bytes, no point run twice.
"$bin" sweep "$work/sweep.yaml" --slurm --array 4 --output "$work/b" | tail -1
array=$(sed -n 's/.*"array" : "\([0-9]*\)".*/\1/p' "$work/b/slurm/job.json" | head -1)
journal="$work/b/shard-2/results.shard-2-of-4.jsonl"
for _ in $(seq 1 120); do
    [ -s "$journal" ] && break
    sleep 0.5
done
scancel "${array}_2"
done_at_cancel=$(wc -l < "$journal" 2>/dev/null || echo 0)
echo "test-slurm: cancelled shard 2 after $done_at_cancel of its 10 points"
wait_for_array
if "$bin" sweep-status "$work/b" >/dev/null; then echo "test-slurm: sweep-status says done after a cancelled shard"; exit 1; fi
"$bin" sweep --slurm --resubmit "$work/b"
wait_for_all
"$bin" sweep-status "$work/b"
same_bytes "$work/b"
lines=$(wc -l < "$journal")
[ "$lines" -eq 10 ] || { echo "test-slurm: shard 2's journal has $lines lines, not 10 (a point lost or run twice)"; exit 1; }
echo "test-slurm: shard 2 resubmitted and merged, byte-identical again; its journal holds each of its 10 points once"
echo "test-slurm: passed in $(( $(date +%s) - started )) s"
