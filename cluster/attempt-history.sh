#!/usr/bin/env bash
# The attempt history of a sweep store's troubled trials: every trial that did not finish (pending,
# running or failed) or that needed more than one attempt, with each of its attempts (who ran it,
# under which lease, when, how it ended). The cluster tests print it when they fail, so that a
# flaky failure can be diagnosed from CI's log alone.
#
#   cluster/attempt-history.sh STORE [--all]
#
#   --all  every trial, including those that finished at their first attempt
#
# Reads the store read-only (safe while a coordinator writes it). Needs the sqlite3 command.
set -euo pipefail
store=${1:?usage: cluster/attempt-history.sh STORE [--all]}
filter="WHERE t.state != 'finished'
    OR t.seq IN (SELECT trial_seq FROM attempts GROUP BY trial_seq HAVING COUNT(*) > 1)"
if [ "${2:-}" = --all ]; then filter=""; fi
[ -f "$store" ] || { echo "attempt-history: no store at $store" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "attempt-history: no sqlite3 command (apt-get install sqlite3)" >&2; exit 1; }
rows=$(sqlite3 -readonly -header "$store" "
    SELECT t.id AS trial_id, t.state, IFNULL(a.attempt, '-') AS attempt,
        IFNULL(a.lease_epoch, '-') AS lease_epoch, IFNULL(a.worker, '-') AS worker,
        IFNULL(a.started_at, '-') AS started_at, IFNULL(a.ended_at, '-') AS ended_at,
        CASE WHEN a.trial_seq IS NULL THEN 'never leased' ELSE IFNULL(a.outcome, 'open') END AS outcome,
        IFNULL(a.error, '') AS error
    FROM trials t LEFT JOIN attempts a ON a.trial_seq = t.seq
    $filter
    ORDER BY t.seq, a.lease_epoch")
if [ -z "$rows" ]; then
    echo "(every trial finished at its first attempt)"
else
    echo "$rows"
fi
