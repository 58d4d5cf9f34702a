#!/usr/bin/env bash
# Cron wrapper for one unattended crawl: one log file per run (the newest UNSMIL_LOG_KEEP
# kept), the crawl's exit code passed through, `health` after. Everything else is the
# CLI's: it reads the env file (--env-file, literally), takes the one crawl lock
# (--lock-wait) and masks every URI it prints.
#
# Usage: unsmil-crawl.sh [extra crawl options, e.g. --site unsmil]
#
# Environment (all optional):
#   UNSMIL_ENV_FILE       KEY=VALUE file, e.g. MONGO_URI (default /etc/unsmil-crawler.env);
#                         passed to the CLI as --env-file
#   UNSMIL_ALLOW_LOCAL_DB 1 = run without an env file, on the zero-setup local database
#   UNSMIL_PROJECT_DIR    checkout with .venv (default: two levels above this script)
#   UNSMIL_STATE_DIR      lock + resumable JOBDIRs (read by the CLI; default var/state there)
#   UNSMIL_LOG_DIR        per-run logs (default $UNSMIL_PROJECT_DIR/var/log)
#   UNSMIL_LOG_KEEP       how many run logs to keep (default 30)
#   UNSMIL_LOCK_WAIT      seconds to wait for a running crawl to end (default 0: exit 75 at once)
#   UNSMIL_MODE           incremental (default) or full
#   UNSMIL_CLI            the command line program (default .venv/bin/unsmil-crawler)
#
# Exit codes: the crawl's (0 ok, 1 failed, 75 another crawl holds the lock, 78 bad env
# file); if the crawl succeeded, the health check's (3-9); 78 for a bad UNSMIL_LOG_KEEP.
set -uo pipefail

project_dir=${UNSMIL_PROJECT_DIR:-$(dirname "${BASH_SOURCE[0]}")/../..}
project_dir=$(cd "$project_dir" && pwd) || { echo "unsmil-crawl: no $project_dir" >&2; exit 78; }
log_dir=${UNSMIL_LOG_DIR:-$project_dir/var/log}
keep=${UNSMIL_LOG_KEEP:-30}
cli=${UNSMIL_CLI:-$project_dir/.venv/bin/unsmil-crawler}
env_file=${UNSMIL_ENV_FILE:-/etc/unsmil-crawler.env}
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || {
    echo "unsmil-crawl: UNSMIL_LOG_KEEP must be a positive integer, got '$keep'" >&2
    exit 78
}
global=(--env-file "$env_file")
if [ "${UNSMIL_ALLOW_LOCAL_DB:-0}" = 1 ] && [ ! -e "$env_file" ]; then
    global=()
fi
mkdir -p "$log_dir" && cd "$project_dir" || exit 78

log="$log_dir/crawl-$(date -u +%Y%m%dT%H%M%S.%NZ)-$$.log"
echo "# unsmil-crawl start $(date -u +%FT%TZ) pid $$" >>"$log"
"$cli" "${global[@]}" crawl --mode "${UNSMIL_MODE:-incremental}" --no-progress \
    --lock-wait "${UNSMIL_LOCK_WAIT:-0}" "$@" >>"$log" 2>&1
rc=$?
echo "# crawl exit $rc at $(date -u +%FT%TZ)" >>"$log"
health_rc=0
if [ "$rc" -ne 75 ] && [ "$rc" -ne 78 ]; then
    "$cli" "${global[@]}" health >>"$log" 2>&1
    health_rc=$?
    echo "# health exit $health_rc" >>"$log"
fi

# Rotation: names sort by start time, so keep the newest $keep.
find "$log_dir" -maxdepth 1 -name 'crawl-*.log' -printf '%f\n' | sort -r | tail -n +"$((keep + 1))" |
    while read -r old; do rm -f -- "$log_dir/$old"; done

final=$rc
[ "$rc" -eq 0 ] && final=$health_rc
if [ "$final" -ne 0 ]; then
    # Cron mails whatever reaches stderr: make that the useful part (the CLI masked URIs).
    echo "unsmil-crawl: exit $final (crawl $rc, health $health_rc); log $log" >&2
    tail -n 20 "$log" >&2
fi
exit "$final"
