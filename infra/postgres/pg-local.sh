#!/usr/bin/env bash
# pg-local.sh — a throwaway local PostgreSQL cluster for development and CI.
#
# Usage (as root, or as the postgres user itself):
#   pg-local.sh start  DATADIR PORT   initialise DATADIR if absent, start the server on
#                                     127.0.0.1:PORT (unix socket inside DATADIR), wait until
#                                     it accepts connections, create database "chancery".
#                                     Prints postgresql://postgres@127.0.0.1:PORT/chancery
#   pg-local.sh stop   DATADIR        stop the server (fast shutdown); fine if not running.
#   pg-local.sh status DATADIR        exit 0 and print the URL if running, exit 3 if not.
#
# The cluster uses --auth=trust: it is for loopback-only test use, never production.
# Binaries are taken from the newest /usr/lib/postgresql/*/bin (override with PG_BIN).
set -euo pipefail

die() { echo "pg-local: $*" >&2; exit 1; }
log() { echo "pg-local: $*" >&2; }

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

find_bin() {
    if [[ -n "${PG_BIN:-}" ]]; then
        [[ -x "$PG_BIN/pg_ctl" ]] || die "PG_BIN=$PG_BIN has no pg_ctl"
        echo "$PG_BIN"; return
    fi
    local best="" best_ver=-1 dir ver
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x "$dir/pg_ctl" ]] || continue
        ver="$(basename "$(dirname "$dir")")"
        ver="${ver%%.*}"
        [[ "$ver" =~ ^[0-9]+$ ]] || continue
        if (( ver > best_ver )); then best_ver=$ver; best=$dir; fi
    done
    if [[ -z "$best" ]]; then
        # Fall back to whatever is on PATH (e.g. Homebrew on macOS).
        local p; p="$(command -v pg_ctl || true)"
        [[ -n "$p" ]] || die "no PostgreSQL binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        best="$(dirname "$p")"
    fi
    echo "$best"
}

# Runs a command as the postgres OS user (directly if we already are not root).
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

# Every ancestor of DATADIR must be searchable (x) by postgres, e.g. a CI clone under /tmp/xyz.
make_traversable() {
    [[ $EUID -eq 0 ]] || return 0
    local dir; dir="$(dirname "$1")"
    while [[ "$dir" != "/" && -n "$dir" ]]; do
        if ! runuser -u postgres -- test -x "$dir"; then
            log "granting o+x on $dir so postgres can reach the data directory"
            chmod o+x "$dir"
        fi
        dir="$(dirname "$dir")"
    done
}

abs_path() {
    local d="$1"
    mkdir -p "$d"
    (cd "$d" && pwd -P)
}

url_for() { echo "postgresql://postgres@127.0.0.1:$1/chancery"; }

running_port() {
    # Line 4 of postmaster.pid is the port the running server listens on.
    sed -n '4p' "$1/postmaster.pid" 2>/dev/null || true
}

is_running() {
    as_pg "$BIN/pg_ctl" status -D "$1" >/dev/null 2>&1
}

cmd_start() {
    local datadir port
    [[ $# -eq 2 ]] || usage
    [[ "$2" =~ ^[0-9]+$ ]] || die "PORT must be a number, got '$2'"
    port="$2"
    datadir="$(abs_path "$1")"
    if [[ $EUID -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (apt-get install postgresql)"
        make_traversable "$datadir"
        chown postgres: "$datadir"
    fi
    chmod 700 "$datadir"

    if [[ ! -f "$datadir/PG_VERSION" ]]; then
        if [[ -n "$(ls -A "$datadir")" ]]; then
            die "$datadir is not empty and holds no cluster; refusing to initdb over it"
        fi
        log "initdb $datadir"
        local initlog; initlog="$(mktemp)"
        as_pg "$BIN/initdb" -D "$datadir" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$initlog" 2>&1 \
            || { cat "$initlog" >&2; rm -f "$initlog"; die "initdb failed"; }
        rm -f "$initlog"
    fi

    if is_running "$datadir"; then
        local actual; actual="$(running_port "$datadir")"
        if [[ -n "$actual" && "$actual" != "$port" ]]; then
            log "already running on port $actual (asked for $port); using $actual"
            port="$actual"
        else
            log "already running"
        fi
    else
        # Unix socket paths are limited to ~107 bytes; fall back to /tmp for deep data dirs.
        local sockdir="$datadir"
        if (( ${#datadir} > 90 )); then
            sockdir=/tmp
            log "data directory path is long; putting the unix socket in /tmp"
        fi
        log "starting on 127.0.0.1:$port"
        if ! as_pg "$BIN/pg_ctl" start -D "$datadir" -w -t 60 -l "$datadir/server.log" \
            -o "-p $port -h 127.0.0.1 -k '$sockdir' -c max_connections=200" >/dev/null; then
            tail -n 30 "$datadir/server.log" >&2 || true
            die "pg_ctl start failed"
        fi
    fi

    local i
    for i in $(seq 1 60); do
        if as_pg "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; then break; fi
        (( i == 60 )) && die "server did not become ready on 127.0.0.1:$port"
        sleep 0.5
    done

    local exists
    exists="$(as_pg "$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -XtAq \
        -c "SELECT 1 FROM pg_database WHERE datname = 'chancery'")"
    if [[ "$exists" != "1" ]]; then
        log "creating database chancery"
        as_pg "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres chancery
    fi
    url_for "$port"
}

cmd_stop() {
    [[ $# -eq 1 ]] || usage
    local datadir="$1"
    if [[ ! -f "$datadir/PG_VERSION" ]]; then log "no cluster in $datadir"; return 0; fi
    datadir="$(cd "$datadir" && pwd -P)"
    if is_running "$datadir"; then
        as_pg "$BIN/pg_ctl" stop -D "$datadir" -m fast -w -t 60 >/dev/null
        log "stopped"
    else
        log "not running"
    fi
}

cmd_status() {
    [[ $# -eq 1 ]] || usage
    local datadir="$1"
    if [[ ! -f "$datadir/PG_VERSION" ]]; then echo "no cluster in $datadir"; exit 3; fi
    datadir="$(cd "$datadir" && pwd -P)"
    if is_running "$datadir"; then
        echo "running: $(url_for "$(running_port "$datadir")")"
    else
        echo "stopped"
        exit 3
    fi
}

[[ $# -ge 1 ]] || usage
BIN="$(find_bin)"
sub="$1"; shift
case "$sub" in
    start)  cmd_start "$@" ;;
    stop)   cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    *)      usage ;;
esac
