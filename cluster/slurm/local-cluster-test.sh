#!/usr/bin/env bash
# cluster/slurm/sweep.sbatch on a real SLURM scheduler: a one-node cluster on this machine
# (munged, slurmctld and slurmd started by hand, all state under one folder), the smoke sweep
# submitted with sbatch, its leaderboard compared with a plain local `crossrec sweep run`.
# Run as root with Debian's slurmctld, slurmd and munge installed (.ci/deps-slurm installs them):
#
#   cluster/slurm/local-cluster-test.sh [--crossrec PATH] [--keep DIR] [--sweep FILE]
#
#   --crossrec PATH  the crossrec binary (default: $CROSSREC, then crossrec on PATH, then .build/debug/crossrec)
#   --keep DIR       work in DIR (new or empty) and keep it (slurm.conf, daemon logs, the job's output,
#                    folder and store, the local run's leaderboard); default: a temporary folder, removed
#   --sweep FILE     the sweep to submit (default: sweeps/smoke.yaml)
#   env JOB_TIMEOUT  seconds to wait for the job to end (default 150)
#
# It checks, and exits non-zero with the daemons' and the job's log tails (and the store's attempt
# history) when one fails:
#   1. the node registers with the controller and is idle;
#   2. `sbatch sweep.sbatch SWEEP` is accepted, runs and ends COMPLETED with exit code 0;
#   3. the store says every trial finished and none failed;
#   4. the job's leaderboard (report/leaderboard.json) and `crossrec leaderboard STORE` equal the one
#      of a plain local `crossrec sweep run` of the same file (JSON), so every configuration was counted once.
# Everything started here is stopped on exit (trap): the job is cancelled, the daemons killed.
# Exit 0: all passed; 1: a check failed; 2: cannot run here (not root, no SLURM or munge, no binary).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
crossrec=${CROSSREC:-}
keep=""
sweep="$repo/sweeps/smoke.yaml"
while [ $# -gt 0 ]; do
    case "$1" in
        --crossrec) crossrec=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        --sweep) sweep=$2; shift 2 ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$crossrec" ]; then crossrec=$(command -v crossrec || echo "$repo/.build/debug/crossrec"); fi
job_timeout=${JOB_TIMEOUT:-150}
started=$(date +%s)

cannot() { echo "slurm-test: cannot run here: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || cannot "needs root (slurmd starts the job's processes as the submitting user)"
for tool in munged munge slurmctld slurmd sbatch scontrol scancel perl; do
    command -v "$tool" >/dev/null || cannot "no '$tool' (apt-get install slurmctld slurmd munge; see .ci/deps-slurm)"
done
[ -x "$crossrec" ] || cannot "no crossrec binary at '$crossrec' (build it, or pass --crossrec PATH)"
[ -f "$sweep" ] || cannot "no sweep file '$sweep'"
crossrec=$(cd "$(dirname "$crossrec")" && pwd)/$(basename "$crossrec")
sweep=$(cd "$(dirname "$sweep")" && pwd)/$(basename "$sweep")
# slurmd must run under the node's own name, and sweep.sbatch binds the coordinator to the address
# that name resolves to: this test keeps all traffic on loopback.
node=$(hostname -s)
node_address=$(getent ahostsv4 "$node" | awk '{ print $1; exit }')
case "$node_address" in
    127.*) ;;
    "") cannot "this machine's name '$node' does not resolve to an IPv4 address" ;;
    *) cannot "this machine's name '$node' resolves to $node_address, not loopback (this test keeps its traffic on 127.0.0.0/8)" ;;
esac
cpus=$(nproc)

if [ -n "$keep" ]; then
    # A folder from an earlier run would bring back its jobs (slurmctld's state) and its store.
    if [ -d "$keep" ] && [ -n "$(ls -A "$keep")" ]; then cannot "--keep $keep is not empty"; fi
    mkdir -p "$keep"
    work=$(cd "$keep" && pwd)
else
    work=$(mktemp -d /tmp/crossrec-slurm.XXXXXX)
fi
# munged wants every folder above its socket searchable by all, and its key folder private.
chmod 0755 "$work"
state="$work/slurm"
mkdir -p "$state/run" "$state/log" "$state/ctld" "$state/spool" "$state/munge" "$work/job"
chmod 0755 "$state" "$state/run"
chmod 0700 "$state/munge"
export SLURM_CONF="$state/slurm.conf"
pids=()
job_id=""

# The job's state as the controller tells it (empty once the controller no longer knows the job).
job_state() { scontrol show job --oneliner "$job_id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true; }
job_ended() {
    case "$(job_state)" in
        PENDING|CONFIGURING|RUNNING|COMPLETING|SUSPENDED|REQUEUED|REQUEUE_HOLD|RESIZING|STAGE_OUT) return 1 ;;
        *) return 0 ;;
    esac
}

say() { echo "slurm-test: $*" >&2; }
store="$work/job/slurm.sqlite"
fail() {
    say "FAILED: $*"
    for log in "$state"/log/*.log "$work"/job/*.out "$work"/job/crossrec-job-*/*.log; do
        [ -f "$log" ] || continue
        echo "--- tail of ${log#"$work"/}" >&2
        tail -n 25 "$log" >&2
    done
    if [ -f "$store" ]; then
        echo "--- attempts of the trials that did not finish or needed more than one attempt" >&2
        "$repo/cluster/attempt-history.sh" "$store" >&2 || true
    fi
    exit 1
}
# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}
# A TCP port nothing listens on (state 0A in /proc/net/tcp*), from $1 upwards.
free_port() {
    local port=$1
    while awk -v hex="$(printf ':%04X' "$port")" '$4 == "0A" && substr($2, length($2) - 4) == hex { found = 1 }
        END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
        port=$((port + 1))
    done
    echo "$port"
}

cleanup() {
    local status=$?
    # A job still running is cancelled while slurmd is there to end its processes (SIGTERM, then
    # SIGKILL after KillWait); whatever of it outlives that is killed by the pids slurmd knows.
    if [ -n "$job_id" ] && ! job_ended; then
        scancel "$job_id" 2>/dev/null || true
        if ! wait_for 15 job_ended; then
            say "job $job_id did not end within 15 s of scancel; killing its processes"
            scontrol listpids "$job_id" 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }' | xargs -r kill -KILL 2>/dev/null || true
        fi
    fi
    # slurmd first (it ends the job's steps it still tracks), then the controller, then munged.
    for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ -z "$keep" ]; then rm -rf "$work"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The daemons start with no signal blocked or ignored, as from a login shell: a caller may pass its
# own mask on (Foundation's Process passes the Swift test runner's, which blocks SIGTERM), and
# munged and slurmd would then never see the SIGTERM that stops them. perl-base is essential on Debian.
# shellcheck disable=SC2016 # Perl code: its $ are Perl's.
unblocked=(perl -MPOSIX -e '$SIG{$_} = "DEFAULT" for qw(TERM INT HUP);
    sigprocmask(SIG_SETMASK, POSIX::SigSet->new) or die "sigprocmask: $!\n";
    exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!\n"')

# Distinct ports per run so a second run (or a real SLURM on 6817/6818) does not collide; below the
# ephemeral range (32768+), where an outgoing connection may hold a port.
ctld_port=$(free_port $((20000 + $$ % 12000)))
slurmd_port=$(free_port $((ctld_port + 1)))

# --- the one-node cluster ------------------------------------------------------------------
head -c 1024 /dev/urandom >"$state/munge/munge.key"
chmod 0400 "$state/munge/munge.key"
munge_socket="$state/run/munge.socket"
"${unblocked[@]}" munged --foreground --force --socket="$munge_socket" --key-file="$state/munge/munge.key" \
    --pid-file="$state/run/munged.pid" --seed-file="$state/munge/munged.seed" --log-file="$state/log/munged.log" \
    2>>"$state/log/munged.out" &
pids+=($!)
munge_works() { munge --socket="$munge_socket" --no-input 2>/dev/null | unmunge --socket="$munge_socket" >/dev/null 2>&1; }
wait_for 20 munge_works || fail "munged did not answer on $munge_socket within 20 s"

: >"$state/plugstack.conf"
# A container: no systemd, no cgroup control. Processes are tracked through /proc, tasks are not
# bound to CPUs, nothing is accounted; the controller and slurmd run as root.
cat >"$SLURM_CONF" <<CONF
ClusterName=crossrec-test
SlurmctldHost=$node($node_address)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
PlugStackConfig=$state/plugstack.conf
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
KillWait=5
SlurmdParameters=config_overrides
NodeName=$node NodeAddr=$node_address CPUs=$cpus State=UNKNOWN
PartitionName=crossrec Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

"${unblocked[@]}" slurmctld -D -f "$SLURM_CONF" >>"$state/log/slurmctld.out" 2>&1 &
pids+=($!)
controller_up() { scontrol ping 2>/dev/null | grep -q "is UP"; }
wait_for 30 controller_up || fail "slurmctld did not answer 'scontrol ping' within 30 s"
"${unblocked[@]}" slurmd -D -N "$node" -f "$SLURM_CONF" >>"$state/log/slurmd.out" 2>&1 &
pids+=($!)
node_idle() { scontrol show node "$node" 2>/dev/null | grep -q "State=IDLE"; }
wait_for 30 node_idle || fail "node $node did not register as idle within 30 s: $(scontrol show node "$node" 2>&1 | grep -o 'State=[^ ]*' || true)"
say "cluster up: slurmctld on $node_address:$ctld_port, node $node ($cpus CPUs, slurmd on :$slurmd_port), $(slurmctld -V); work folder $work ($(( $(date +%s) - started ))s)"

# --- the job ---------------------------------------------------------------------------------
cd "$work/job"
# One node, two tasks (so two workers, started by srun) sharing its CPUs; the script's #SBATCH
# lines ask for a real cluster's shape (2 nodes × 4 CPUs). The environment (CROSSREC, CROSSREC_STORE,
# SLURM_CONF) goes with the job.
tasks=2
if [ "$cpus" -lt 2 ]; then tasks=1; fi
cpus_per_task=$((cpus / tasks))
job_id=$(CROSSREC="$crossrec" CROSSREC_STORE="$store" \
    sbatch --parsable --nodes=1 --ntasks-per-node="$tasks" --cpus-per-task="$cpus_per_task" --time=00:05:00 \
        "$repo/cluster/slurm/sweep.sbatch" "$sweep" 2>"$work/job/sbatch.err") \
    || fail "sbatch refused the job: $(cat "$work/job/sbatch.err")"
job_id=${job_id%%;*}
say "submitted $(basename "$sweep") as job $job_id (1 node, $tasks task(s) × $cpus_per_task CPU(s))"

wait_for "$job_timeout" job_ended || fail "job $job_id still $(job_state) after ${job_timeout} s"
record=$(scontrol show job --oneliner "$job_id")
final_state=$(job_state)
exit_code=$(grep -o ' ExitCode=[0-9:]*' <<<"$record" | cut -d= -f2)
say "job $job_id ended: $final_state, exit code $exit_code ($(( $(date +%s) - started ))s)"
if [ "$final_state" != COMPLETED ] || [ "$exit_code" != 0:0 ]; then
    fail "job $job_id ended $final_state with exit code $exit_code"
fi
job_output="$work/job/crossrec-sweep-$job_id.out"
job_dir="$work/job/crossrec-job-$job_id"
[ -s "$job_output" ] || fail "no job output at $job_output"
grep -q "^coordinator on $node at tcp://" "$job_output" || fail "the job output does not show the coordinator on $node"
for task in $(seq 0 $((tasks - 1))); do
    [ -f "$job_dir/worker-$task.log" ] || fail "srun started no worker for task $task (no $job_dir/worker-$task.log)"
done

# --- the outcome -----------------------------------------------------------------------------
status=$("$crossrec" sweep status "$store" | sed -n 1p)  # the counts line; workers and rate follow
say "store: $status"
total=$(sed -n 's/.* \([0-9]*\) total$/\1/p' <<<"$status")
name=${status%%:*}
if [ -z "$total" ] || [ "$total" = 0 ] || [ "$status" != "$name: $total finished, 0 running, 0 pending, 0 failed, $total total" ]; then
    fail "not every trial finished: $status"
fi

"$crossrec" leaderboard "$store" --format json >leaderboard-store.json
timeout 120 "$crossrec" sweep run "$sweep" --workers 2 --store local.sqlite --format json >leaderboard-local.json \
    2>local.log || fail "the local sweep run failed (or took over 120 s)"
cp "$job_dir/report/leaderboard.json" leaderboard-job.json
# The same text; a report file and a printed leaderboard may differ in their final newlines.
same_text() { [ "$(cat "$1")" = "$(cat "$2")" ]; }
same_text leaderboard-job.json leaderboard-local.json \
    || fail "the job's leaderboard differs from a local run: $(diff leaderboard-job.json leaderboard-local.json | head -n 20)"
same_text leaderboard-store.json leaderboard-local.json || fail "crossrec leaderboard of the job's store differs from a local run"
grep -q '"rmse"' leaderboard-local.json || fail "the leaderboard has no rmse"
say "ok: leaderboard identical to a local 'crossrec sweep run' ($(wc -c <leaderboard-local.json) bytes of JSON)"
say "PASSED in $(( $(date +%s) - started ))s"
