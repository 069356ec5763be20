#!/usr/bin/env bash
# A two-host sweep on one machine: the coordinator and the workers in two network namespaces
# joined by a veth pair, CURVE keys and an allow-list, and the link cut mid-sweep until both sides
# have noticed (longer than the heartbeat liveness). Run as root (ip netns):
#
#   cluster/netns-test.sh [--crossrec PATH] [--keep DIR]
#
#   --crossrec PATH  the crossrec binary (default: $CROSSREC, then crossrec on PATH, then .build/debug/crossrec)
#   --keep DIR       work in DIR and keep it (store, logs, keys, leaderboards); default: a temporary folder, removed
#
# Every wait is on an event (a store count, a log line, a process exit), bounded, with a message
# saying what did not happen. It checks, and exits non-zero with the logs' tails and the attempt
# history of the trials that did not finish or needed more than one attempt when one fails:
#   1. binding the coordinator to the non-loopback address without keys is refused, and works with --insecure;
#   2. a worker whose key is not on the allow-list never joins and runs nothing;
#   3. with the link cut mid-sweep until both sides noticed (coordinator: "worker w1/w2 lost"; workers: "coordinator
#      lost") and brought back, the sweep completes, no trial fails, both workers are welcomed again and exit;
#   4. the leaderboard (JSON) equals that of a plain local `crossrec sweep run` of the same file, and
#      `crossrec leaderboard STORE` prints the same, so every configuration was counted exactly once.
# Exit 0: all passed; 1: a check failed; 2: cannot run here (not root, no ip netns, no binary).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
crossrec=${CROSSREC:-}
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --crossrec) crossrec=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$crossrec" ]; then crossrec=$(command -v crossrec || echo "$repo/.build/debug/crossrec"); fi
heartbeat_ms=200

cannot() { echo "netns-test: cannot run here: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || cannot "needs root (ip netns)"
command -v ip >/dev/null || cannot "no 'ip' command (iproute2)"
[ -x "$crossrec" ] || cannot "no crossrec binary at '$crossrec' (build it, or pass --crossrec PATH)"
crossrec=$(cd "$(dirname "$crossrec")" && pwd)/$(basename "$crossrec")

if [ -n "$keep" ]; then
    mkdir -p "$keep"
    work=$(cd "$keep" && pwd)
else
    work=$(mktemp -d /tmp/crossrec-netns.XXXXXX)
fi
# Unique names so parallel runs do not collide (interface names: at most 15 characters).
ns_c="crossrec-c-$$"
ns_w="crossrec-w-$$"
veth_c="crxc$$"
veth_w="crxw$$"
address_c=10.213.0.1
address_w=10.213.0.2
pids=()

cleanup() {
    local status=$?
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    ip netns del "$ns_c" 2>/dev/null || true
    ip netns del "$ns_w" 2>/dev/null || true
    if [ -z "$keep" ]; then rm -rf "$work"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "netns-test: $*" >&2; }
fail() {
    say "FAILED: $*"
    for log in "$work"/*.log; do
        [ -f "$log" ] || continue
        echo "--- tail of $(basename "$log")" >&2
        tail -n 25 "$log" >&2
    done
    if [ -f "$work/cluster.sqlite" ]; then
        echo "--- store: $("$crossrec" sweep status "$work/cluster.sqlite" 2>&1 || true)" >&2
        echo "--- attempts of the trials that did not finish or needed more than one attempt" >&2
        "$repo/cluster/attempt-history.sh" "$work/cluster.sqlite" >&2 || true
    fi
    exit 1
}
# `ip netns exec` execs the command, so `$!` after `"${in_c[@]}" crossrec … &` is crossrec's pid.
in_c=(ip netns exec "$ns_c")
in_w=(ip netns exec "$ns_w")
# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}
# Waits up to $1 seconds for process $2 to exit; its exit status in $exit_status.
wait_exit() {
    local deadline=$(( $(date +%s) + $1 ))
    while kill -0 "$2" 2>/dev/null; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.1
    done
    exit_status=0
    wait "$2" || exit_status=$?
}
finished_count() {
    [ -f "$work/cluster.sqlite" ] || { echo 0; return; }
    "$crossrec" sweep status "$work/cluster.sqlite" 2>/dev/null | sed -n 's/^[^:]*: \([0-9]*\) finished.*/\1/p' | head -n 1
}
# How many lines of file $2 match the extended regular expression $1 (0 when there is no file yet).
count_lines() { grep -Ec "$1" "$2" 2>/dev/null || true; }

# --- the two hosts -------------------------------------------------------------------------
ip netns add "$ns_c"
ip netns add "$ns_w"
ip link add "$veth_c" type veth peer name "$veth_w"
ip link set "$veth_c" netns "$ns_c"
ip link set "$veth_w" netns "$ns_w"
"${in_c[@]}" ip link set lo up
"${in_w[@]}" ip link set lo up
"${in_c[@]}" ip addr add "$address_c/24" dev "$veth_c"
"${in_w[@]}" ip addr add "$address_w/24" dev "$veth_w"
"${in_c[@]}" ip link set "$veth_c" up
"${in_w[@]}" ip link set "$veth_w" up
if command -v ping >/dev/null; then
    wait_for 5 "${in_w[@]}" ping -c 1 -W 1 "$address_c" >/dev/null || fail "the namespaces cannot reach each other"
fi
say "hosts: coordinator $address_c ($ns_c), workers $address_w ($ns_w); work folder $work"

cd "$work"
# Seeded and deterministic: sleep trials hold slots long enough for the cut to land mid-sweep,
# noop and a tiny MF grid give real metrics.
cat > sweep.yaml <<'YAML'
name: netns
dataset:
  synthetic: {users: 200, movies: 60, news: 60, seed: 5}
  split: {random: {test: 0.2, seed: 1}}
  domain: movies
metric: {primary: rmse, direction: minimize, record: [mae]}
models:
  sleep: {seconds: [0.30, 0.31, 0.32, 0.33, 0.34, 0.35, 0.36, 0.37, 0.38, 0.39, 0.40, 0.41]}
  noop: {}
  mf: {factors: [4, 8], epochs: 3}
seeds: [1, 2]
timeout: 60s
retries: 3
YAML

"$crossrec" keys generate coordinator --output keys >/dev/null
"$crossrec" keys generate worker-1 --output keys/workers >/dev/null
"$crossrec" keys generate worker-2 --output keys/workers >/dev/null
"$crossrec" keys generate stranger --output keys/strangers >/dev/null

# --- 1. no keys beyond loopback: refused, unless --insecure --------------------------------
if "${in_c[@]}" "$crossrec" coordinator sweep.yaml --bind "tcp://$address_c:5556" --store insecure.sqlite \
    >/dev/null 2>refused.log; then
    fail "binding tcp://$address_c:5556 without keys was accepted"
fi
grep -q "beyond loopback without CURVE keys" refused.log || fail "no clear refusal: $(cat refused.log)"
"${in_c[@]}" "$crossrec" coordinator sweep.yaml --bind "tcp://$address_c:5556" --store insecure.sqlite --insecure \
    --endpoint-file insecure.endpoint >/dev/null 2>insecure.log &
insecure_pid=$!
pids+=("$insecure_pid")
wait_for 20 test -s insecure.endpoint || fail "--insecure coordinator did not bind"
[ "$(cat insecure.endpoint)" = "tcp://$address_c:5556" ] || fail "--insecure bound $(cat insecure.endpoint)"
kill -TERM "$insecure_pid"
wait_exit 20 "$insecure_pid" || fail "--insecure coordinator did not stop on SIGTERM"
say "ok: no keys beyond loopback refused ('$(grep -o 'binding [^ ]* beyond loopback without CURVE keys' refused.log)'), --insecure binds"

# --- 2 and 3. the secured sweep with a stranger and a network cut ------------------------------
"${in_c[@]}" "$crossrec" coordinator sweep.yaml --bind "tcp://$address_c:5555" --store cluster.sqlite \
    --curve-key keys/coordinator.key --allow keys/workers --endpoint-file endpoint --heartbeat-ms "$heartbeat_ms" \
    --verbose --format json >leaderboard-cluster.json 2>coordinator.log &
coordinator_pid=$!
pids+=("$coordinator_pid")
wait_for 20 test -s endpoint || fail "the coordinator did not bind"
endpoint=$(cat endpoint)

"${in_w[@]}" "$crossrec" worker --connect "$endpoint" --id stranger --heartbeat-ms "$heartbeat_ms" --verbose \
    --server-key keys/coordinator.pub --curve-key keys/strangers/stranger.key 2>stranger.log &
stranger_pid=$!
pids+=("$stranger_pid")
# The stranger, never welcomed, logs 'no answer from' after each liveness period: after two, the
# coordinator has had two chances to let it in.
stranger_gave_up_twice() { [ "$(count_lines "no answer from" stranger.log)" -ge 2 ]; }
wait_for 20 stranger_gave_up_twice || fail "the stranger never tried twice (no 'no answer from' twice in stranger.log within 20 s)"
grep -q "worker stranger joined" coordinator.log && fail "a worker whose key is not on the allow-list joined"
grep -q "welcomed" stranger.log && fail "a worker whose key is not on the allow-list was welcomed"

worker_pids=()
for n in 1 2; do
    "${in_w[@]}" "$crossrec" worker --connect "$endpoint" --id "w$n" --slots 1 --heartbeat-ms "$heartbeat_ms" --verbose \
        --server-key keys/coordinator.pub --curve-key "keys/workers/worker-$n.key" 2>"worker-$n.log" &
    worker_pids+=($!)
    pids+=($!)
done

at_least_finished() { [ "$(finished_count)" -ge "$1" ]; }
wait_for 30 at_least_finished 4 || fail "fewer than 4 trials finished within 30 s"
before=$(finished_count)
# The link stays down until both sides have noticed: the coordinator declared each worker lost, and
# each worker lost the coordinator (new lines since the cut; a liveness is $((3 * heartbeat_ms)) ms).
lost_before=()
for n in 1 2; do
    lost_before+=("$(count_lines "worker w$n lost" coordinator.log)" "$(count_lines "coordinator lost" "worker-$n.log")")
done
cut_noticed() {
    for n in 1 2; do
        [ "$(count_lines "worker w$n lost" coordinator.log)" -gt "${lost_before[$((2 * n - 2))]}" ] || return 1
        [ "$(count_lines "coordinator lost" "worker-$n.log")" -gt "${lost_before[$((2 * n - 1))]}" ] || return 1
    done
}
say "cutting the link after $before finished trials until both sides notice (liveness $((3 * heartbeat_ms)) ms)"
cut_started=$(date +%s%N)
"${in_w[@]}" ip link set "$veth_w" down
wait_for 20 cut_noticed || fail "within 20 s of the cut, not every side noticed it (coordinator: 'worker w1/w2 lost'; workers: 'coordinator lost')"
"${in_w[@]}" ip link set "$veth_w" up
say "link up again after $(( ($(date +%s%N) - cut_started) / 1000000 )) ms: the coordinator lost both workers, both workers lost the coordinator"

wait_exit 60 "$coordinator_pid" || fail "the coordinator did not finish within 60 s of the cut"
[ "$exit_status" = 0 ] || fail "the coordinator exited $exit_status"
for n in 1 2; do
    wait_exit 20 "${worker_pids[$((n - 1))]}" || fail "worker w$n did not exit within 20 s of the sweep's end"
    [ "$exit_status" = 0 ] || fail "worker w$n exited $exit_status"
done
grep -q "welcomed" stranger.log && fail "the stranger was welcomed"
kill -TERM "$stranger_pid" 2>/dev/null || true
say "ok: the stranger (key not on the allow-list) never joined"

status=$("$crossrec" sweep status cluster.sqlite | sed -n 1p)  # the counts line; workers and rate follow
say "store: $status"
total=$(sed -n 's/.* \([0-9]*\) total$/\1/p' <<<"$status")
[ "$status" = "netns: $total finished, 0 running, 0 pending, 0 failed, $total total" ] || fail "not every trial finished: $status"
grep -Eq "worker w[12] lost" coordinator.log || fail "the coordinator never noticed the cut (no 'worker … lost')"
for n in 1 2; do
    grep -q "coordinator lost" "worker-$n.log" || fail "worker w$n never noticed the cut"
    [ "$(grep -c "welcomed by " "worker-$n.log")" -ge 2 ] || fail "worker w$n was not welcomed again after the cut"
done
say "ok: the sweep completed across the cut; $(grep -Ec "worker w[12] lost" coordinator.log) worker loss(es) on the coordinator, both workers welcomed again"

# --- 4. the same leaderboard as a plain local run, from the coordinator and from the store --------------
"$crossrec" leaderboard cluster.sqlite --format json >leaderboard-store.json
timeout 120 "$crossrec" sweep run sweep.yaml --workers 2 --store local.sqlite --format json >leaderboard-local.json \
    2>local.log || fail "the local sweep run failed (or took over 120 s)"
cmp -s leaderboard-cluster.json leaderboard-local.json || fail "leaderboards differ: $(diff leaderboard-cluster.json leaderboard-local.json | head -n 20)"
cmp -s leaderboard-store.json leaderboard-local.json || fail "crossrec leaderboard differs from the local run"
grep -q '"rmse"' leaderboard-local.json || fail "the leaderboard has no rmse"
say "ok: leaderboard identical to a local 'crossrec sweep run' ($(wc -c <leaderboard-local.json) bytes of JSON)"
say "PASSED"
