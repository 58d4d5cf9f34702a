#!/usr/bin/env bash
# Cron wrapper for one unattended crawl: lock, environment file, one log file per run
# (the newest UNSMIL_LOG_KEEP kept), the crawl's exit code passed through, `health` after.
#
# Usage: unsmil-crawl.sh [extra crawl options, e.g. --mode full]
#
# Environment (all optional; the env file may set any of them, and its values win):
#   UNSMIL_ENV_FILE       file of KEY=VALUE lines, e.g. MONGO_URI (default /etc/unsmil-crawler.env).
#                         Read literally, never run as shell: `&`, `$`, spaces stay as written;
#                         one pair of surrounding quotes is stripped; `#` lines and blanks skipped.
#   UNSMIL_ALLOW_LOCAL_DB 1 = run without env file / MONGO_URI, on the zero-setup local
#                         SecantusDB under var/secantus (default: refuse, exit 78)
#   UNSMIL_PROJECT_DIR    checkout with .venv (default: two levels above this script)
#   UNSMIL_STATE_DIR      lock + resumable JOBDIRs (default $UNSMIL_PROJECT_DIR/var/state);
#                         exported, so the CLI's crawl.lock is the one manual runs must share
#   UNSMIL_LOG_DIR        per-run logs (default $UNSMIL_PROJECT_DIR/var/log)
#   UNSMIL_LOG_KEEP       how many run logs to keep (default 30)
#   UNSMIL_LOCK_WAIT      seconds to wait for a running crawl to end (default 0: exit 75 at once)
#   UNSMIL_MODE           incremental (default) or full
#   UNSMIL_CRAWL_CMD      crawl command (default: .venv/bin/unsmil-crawler crawl --mode ... )
#   UNSMIL_HEALTH_CMD     health command (default: .venv/bin/unsmil-crawler health)
#
# Exit codes: the crawl's (0 ok, 1 failed, ...); if the crawl succeeded, the health check's
# (3-9); 75 when another run holds the lock (nothing was touched); 78 bad configuration
# (missing/unreadable env file, empty MONGO_URI, bad number).
set -uo pipefail

EX_TEMPFAIL=75
EX_CONFIG=78

config_error() {
    echo "unsmil-crawl: $*" >&2
    exit "$EX_CONFIG"
}

# Hide the password of any mongodb:// URI before it reaches a log.
mask() {
    sed -E 's#(mongodb(\+srv)?://[^:/@[:space:]]*:)[^@[:space:]]*@#\1***@#g'
}

# KEY=VALUE lines, exported verbatim. Sourcing the file as shell would cut a MONGO_URI at
# `&` (background job) and expand `$...`, silently falling back to the local database.
load_env_file() {
    local file=$1 line key value n=0
    while IFS= read -r line || [ -n "$line" ]; do
        n=$((n + 1))
        line=${line%$'\r'}
        line=${line#"${line%%[![:space:]]*}"}
        [ -z "$line" ] || [ "${line:0:1}" = "#" ] && continue
        key=${line%%=*}
        if [ "$key" = "$line" ] || ! [[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
            config_error "$file line $n: expected KEY=VALUE"
        fi
        value=${line#*=}
        if [ "${#value}" -ge 2 ] && [[ ${value:0:1} == [\"\'] ]] &&
            [ "${value: -1}" = "${value:0:1}" ]; then
            value=${value:1:${#value}-2}
        fi
        export "$key=$value"
    done <"$file"
}

env_file=${UNSMIL_ENV_FILE:-/etc/unsmil-crawler.env}
allow_local=${UNSMIL_ALLOW_LOCAL_DB:-0}
if [ -e "$env_file" ]; then
    [ -r "$env_file" ] || config_error "cannot read $env_file"
    load_env_file "$env_file"
elif [ "$allow_local" != 1 ]; then
    config_error "no env file $env_file (set UNSMIL_ENV_FILE, or UNSMIL_ALLOW_LOCAL_DB=1)"
fi
if [ -z "${MONGO_URI:-}" ] && [ "${UNSMIL_ALLOW_LOCAL_DB:-0}" != 1 ]; then
    config_error "MONGO_URI is empty in $env_file (set UNSMIL_ALLOW_LOCAL_DB=1 for the local db)"
fi

project_dir=${UNSMIL_PROJECT_DIR:-$(dirname "${BASH_SOURCE[0]}")/../..}
project_dir=$(cd "$project_dir" && pwd) || config_error "no project directory $project_dir"
state_dir=${UNSMIL_STATE_DIR:-$project_dir/var/state}
log_dir=${UNSMIL_LOG_DIR:-$project_dir/var/log}
keep=${UNSMIL_LOG_KEEP:-30}
lock_wait=${UNSMIL_LOCK_WAIT:-0}
cli="$project_dir/.venv/bin/unsmil-crawler"
read -r -a crawl_cmd <<< "${UNSMIL_CRAWL_CMD:-$cli crawl --mode ${UNSMIL_MODE:-incremental} --no-progress}"
read -r -a health_cmd <<< "${UNSMIL_HEALTH_CMD:-$cli health}"

[[ "$keep" =~ ^[1-9][0-9]*$ ]] ||
    config_error "UNSMIL_LOG_KEEP must be a positive integer, got '$keep'"
[[ "$lock_wait" =~ ^[0-9]+$ ]] ||
    config_error "UNSMIL_LOCK_WAIT must be a whole number of seconds, got '$lock_wait'"
mkdir -p "$state_dir" "$log_dir" || exit "$EX_CONFIG"
cd "$project_dir" || exit "$EX_CONFIG"
# Absolute, so the CLI's crawl.lock does not depend on the directory it is started from.
state_dir=$(cd "$state_dir" && pwd) || exit "$EX_CONFIG"
export UNSMIL_STATE_DIR="$state_dir"

# The wrapper's own lock (the CLI takes crawl.lock itself, which also guards manual runs
# that use the same UNSMIL_STATE_DIR). flock is released by the kernel when this process
# dies, even by SIGKILL. A wait lets the weekly full run queue behind the daily one.
exec 9>>"$state_dir/cron.lock"
if [ "$lock_wait" -gt 0 ]; then
    flock -w "$lock_wait" 9
else
    flock -n 9
fi || {
    echo "unsmil-crawl: another run holds $state_dir/cron.lock (waited ${lock_wait}s); not starting" >&2
    exit "$EX_TEMPFAIL"
}

log="$log_dir/crawl-$(date -u +%Y%m%dT%H%M%S.%NZ)-$$.log"
{
    echo "# unsmil-crawl start $(date -u +%FT%TZ) pid $$: ${crawl_cmd[*]} $*" | mask
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
    tail -n 20 "$log" | mask >&2
fi
exit "$final"
