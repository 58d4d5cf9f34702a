#!/usr/bin/env bash
# Cron wrapper for one unattended crawl: lock, environment file, one log file per run
# (the newest UNSMIL_LOG_KEEP kept), the crawl's exit code passed through, `health` after.
#
# Usage: unsmil-crawl.sh [extra crawl options, e.g. --mode full]
#
# Environment (all optional; the env file may set any of them):
#   UNSMIL_ENV_FILE     file of KEY=VALUE lines, e.g. MONGO_URI (default /etc/unsmil-crawler.env)
#   UNSMIL_PROJECT_DIR  checkout with .venv (default: two levels above this script)
#   UNSMIL_STATE_DIR    lock + resumable JOBDIRs (default $UNSMIL_PROJECT_DIR/var/state)
#   UNSMIL_LOG_DIR      per-run logs (default $UNSMIL_PROJECT_DIR/var/log)
#   UNSMIL_LOG_KEEP     how many run logs to keep (default 30)
#   UNSMIL_MODE         incremental (default) or full
#   UNSMIL_CRAWL_CMD    crawl command (default: .venv/bin/unsmil-crawler crawl --mode ... )
#   UNSMIL_HEALTH_CMD   health command (default: .venv/bin/unsmil-crawler health)
#
# Exit codes: the crawl's (0 ok, 1 failed, ...); if the crawl succeeded, the health check's
# (3-8); 75 when another run holds the lock (nothing was touched); 78 bad configuration.
set -uo pipefail

EX_TEMPFAIL=75
EX_CONFIG=78

env_file=${UNSMIL_ENV_FILE:-/etc/unsmil-crawler.env}
if [ -e "$env_file" ]; then
    if [ ! -r "$env_file" ]; then
        echo "unsmil-crawl: cannot read $env_file" >&2
        exit "$EX_CONFIG"
    fi
    set -a
    # shellcheck disable=SC1090
    . "$env_file"
    set +a
fi

project_dir=${UNSMIL_PROJECT_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
state_dir=${UNSMIL_STATE_DIR:-$project_dir/var/state}
log_dir=${UNSMIL_LOG_DIR:-$project_dir/var/log}
keep=${UNSMIL_LOG_KEEP:-30}
cli="$project_dir/.venv/bin/unsmil-crawler"
read -r -a crawl_cmd <<< "${UNSMIL_CRAWL_CMD:-$cli crawl --mode ${UNSMIL_MODE:-incremental} --no-progress}"
read -r -a health_cmd <<< "${UNSMIL_HEALTH_CMD:-$cli health}"
export UNSMIL_STATE_DIR="$state_dir"

if ! [[ "$keep" =~ ^[1-9][0-9]*$ ]]; then
    echo "unsmil-crawl: UNSMIL_LOG_KEEP must be a positive integer, got '$keep'" >&2
    exit "$EX_CONFIG"
fi
mkdir -p "$state_dir" "$log_dir" || exit "$EX_CONFIG"
cd "$project_dir" || exit "$EX_CONFIG"

# The wrapper's own lock (the CLI takes crawl.lock itself, which also guards manual runs).
# flock is released by the kernel when this process dies, even by SIGKILL.
exec 9>>"$state_dir/cron.lock"
if ! flock -n 9; then
    echo "unsmil-crawl: another run holds $state_dir/cron.lock; not starting" >&2
    exit "$EX_TEMPFAIL"
fi

log="$log_dir/crawl-$(date -u +%Y%m%dT%H%M%S.%NZ)-$$.log"
{
    echo "# unsmil-crawl start $(date -u +%FT%TZ) pid $$: ${crawl_cmd[*]} $*"
    "${crawl_cmd[@]}" "$@"
} >>"$log" 2>&1 9>&-
rc=$?
echo "# crawl exit $rc at $(date -u +%FT%TZ)" >>"$log"

"${health_cmd[@]}" >>"$log" 2>&1 9>&-
health_rc=$?
echo "# health exit $health_rc" >>"$log"

# Rotation: names sort by start time, so keep the newest $keep.
find "$log_dir" -maxdepth 1 -name 'crawl-*.log' -printf '%f\n' | sort -r | tail -n +"$((keep + 1))" |
    while read -r old; do rm -f -- "$log_dir/$old"; done

final=$rc
[ "$rc" -eq 0 ] && final=$health_rc
if [ "$final" -ne 0 ]; then
    # Cron mails whatever reaches stderr: make that the useful part.
    echo "unsmil-crawl: exit $final (crawl $rc, health $health_rc); log $log" >&2
    tail -n 20 "$log" >&2
fi
exit "$final"
