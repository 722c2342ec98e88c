#!/usr/bin/env bash
# A throw-away Virtuoso 7 (Debian's virtuoso-opensource) on loopback, for the
# tests and benchmarks that need a production triple store. Nothing here is
# shared with a system-wide Virtuoso: each instance has its own directory
# (database, ini, log), its own free ports, and is stopped by `stop`.
#
#   virtuoso.sh start DIR          start an instance whose files live in DIR
#                                  (created; must not hold a running one);
#                                  prints VIRTUOSO_SQL_PORT=, VIRTUOSO_HTTP_PORT=,
#                                  VIRTUOSO_PID=, VIRTUOSO_ENDPOINT= lines (also
#                                  written to DIR/env, for `source`)
#   virtuoso.sh load DIR GRAPH FILE...
#                                  Virtuoso's own bulk loader (ld_dir +
#                                  rdf_loader_run + checkpoint) into GRAPH
#   virtuoso.sh sql DIR 'SQL;'     run SQL through isql-vt as dba
#   virtuoso.sh stop DIR           stop it (and remove nothing: the caller
#                                  owns DIR)
#
# Environment:
#   VIRTUOSO_BUFFERS     NumberOfBuffers (8 KiB pages; default 100000, ~800 MB;
#                        Virtuoso's guide: 170000 per 1.5 GB of RAM to give it)
#   VIRTUOSO_MAXROWS     ResultSetMaxRows (default 10000, Virtuoso's own)
#   VIRTUOSO_CONNECTIONS HTTP server threads and connections (default 10 threads,
#                        20 connections; benches/serve_bench.sh raises both to 64
#                        so that 64 concurrent requests are served)
#   VIRTUOSO_WATCH_PID   if set, a watchdog stops the instance when that process
#                        ends (a test that dies does not leave Virtuoso running),
#                        and then removes DIR
#
# Quirks of Virtuoso met here (see docs/SCALING.md for the full list):
#   - `virtuoso-t +wait` returns once the server accepts SQL connections; the
#     HTTP listener comes up at the same time, but is polled too, to be sure.
#   - SPARQL UPDATE and the Graph Store Protocol (/sparql-graph-crud) need the
#     SPARQL_UPDATE role for the anonymous SPARQL user: granted here, since the
#     instance listens on loopback only and is thrown away after.
#   - ld_dir only reads from directories listed in DirsAllowed: the ini allows
#     "/" (throw-away instance on loopback).
#   - The ini keeps Virtuoso's defaults where they change answers
#     (ResultSetMaxRows = 10000, MaxQueryExecutionTime = 60 s), so that the
#     tests meet what a stock installation does, but leaves out
#     MaxQueryCostEstimationTime (Debian's ini sets 400 s): Virtuoso's cost
#     estimate overflows on queries with many OPTIONALs and refuses them
#     (aikg's `funding` query among them); its maintainers advise removing it.
#   - VIRTUOSO_MAXROWS overrides ResultSetMaxRows (the scaling benchmark
#     raises it, as a deployment would).
set -euo pipefail

die() { echo "virtuoso.sh: $*" >&2; exit 2; }
command -v virtuoso-t >/dev/null 2>&1 || die "virtuoso-t not found (install virtuoso-opensource: bash .ci/deps)"
command -v isql-vt >/dev/null 2>&1 || die "isql-vt not found (install virtuoso-opensource: bash .ci/deps)"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pid_of() {
  # Virtuoso writes VIRT_PID=N into its lock file while it runs.
  sed -n 's/^VIRT_PID=//p' "$1/virtuoso.lck" 2>/dev/null | head -n1
}

sql() {
  local dir=$1 statement=$2
  # shellcheck disable=SC1091
  source "$dir/env"
  isql-vt "127.0.0.1:$VIRTUOSO_SQL_PORT" dba dba "exec=$statement" </dev/null
}

start() {
  local dir=$1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -n "$(pid_of "$dir")" ] && kill -0 "$(pid_of "$dir")" 2>/dev/null; then
    die "an instance is already running in $dir"
  fi
  local sql_port http_port
  sql_port=$(free_port)
  http_port=$(free_port)
  while [ "$http_port" = "$sql_port" ]; do http_port=$(free_port); done
  local buffers=${VIRTUOSO_BUFFERS:-100000}
  local threads=${VIRTUOSO_CONNECTIONS:-10} connections=${VIRTUOSO_CONNECTIONS:-20}
  cat >"$dir/virtuoso.ini" <<EOF
[Database]
DatabaseFile    = $dir/virtuoso.db
ErrorLogFile    = $dir/virtuoso.log
LockFile        = $dir/virtuoso.lck
TransactionFile = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel   = 7
FileExtend      = 200
MaxCheckpointRemap = 2000
Striping        = 0
TempStorage     = TempDatabase

[TempDatabase]
DatabaseFile    = $dir/virtuoso-temp.db
TransactionFile = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping        = 0

[Parameters]
ServerPort           = 127.0.0.1:$sql_port
DisableUnixSocket    = 1
CheckpointInterval   = 60
DirsAllowed          = /
NumberOfBuffers      = $buffers
MaxDirtyBuffers      = $((buffers * 3 / 4))
ThreadsPerQuery      = 2
MaxClientConnections = $connections
AsyncQueueMaxThreads = 10

[HTTPServer]
ServerPort           = 127.0.0.1:$http_port
ServerRoot           = $dir
ServerThreads        = $threads
MaxClientConnections = $connections
MaxKeepAlives        = $threads
KeepAliveTimeout     = 10
EnabledDavVSP        = 0
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = ${VIRTUOSO_MAXROWS:-10000}
MaxQueryExecutionTime      = 60
DefaultGraph               = http://localhost:$http_port/dataspace
EOF
  (cd "$dir" && virtuoso-t +configfile "$dir/virtuoso.ini" +wait >"$dir/start.log" 2>&1) \
    || { cat "$dir/start.log" "$dir/virtuoso.log" >&2 2>/dev/null; die "virtuoso-t did not start (log: $dir/virtuoso.log)"; }
  local pid
  pid=$(pid_of "$dir")
  [ -n "$pid" ] || die "no VIRT_PID in $dir/virtuoso.lck (log: $dir/virtuoso.log)"
  cat >"$dir/env" <<EOF
VIRTUOSO_DIR=$dir
VIRTUOSO_SQL_PORT=$sql_port
VIRTUOSO_HTTP_PORT=$http_port
VIRTUOSO_PID=$pid
VIRTUOSO_ENDPOINT=http://127.0.0.1:$http_port/sparql
VIRTUOSO_GRAPH_STORE=http://127.0.0.1:$http_port/sparql-graph-crud
EOF
  # The HTTP listener: up once /sparql answers.
  local tries=0
  until python3 - "$http_port" <<'PY' 2>/dev/null
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/sparql?query=ASK%7B%7D", timeout=2).read()
PY
  do
    tries=$((tries + 1))
    [ $tries -lt 100 ] || { stop "$dir"; die "the HTTP endpoint on port $http_port never answered (log: $dir/virtuoso.log)"; }
    sleep 0.2
  done
  # (Granted once per database: a restart finds it granted already.)
  sql "$dir" "GRANT SPARQL_UPDATE TO \"SPARQL\";" >/dev/null 2>&1 || true
  if [ -n "${VIRTUOSO_WATCH_PID:-}" ]; then
    # Stops the instance when the watched process ends, whatever the way.
    nohup bash -c "while kill -0 $VIRTUOSO_WATCH_PID 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 1; done; kill $pid 2>/dev/null; for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 $pid 2>/dev/null || break; sleep 0.5; done; kill -9 $pid 2>/dev/null; rm -rf '$dir'" \
      >/dev/null 2>&1 </dev/null &
  fi
  cat "$dir/env"
}

load() {
  local dir=$1 graph=$2
  shift 2
  [ $# -gt 0 ] || die "load: no files"
  local f
  for f in "$@"; do
    [ -f "$f" ] || die "load: no such file $f"
    local abs
    abs=$(cd "$(dirname "$f")" && pwd)/$(basename "$f")
    sql "$dir" "ld_dir('$(dirname "$abs")', '$(basename "$abs")', '$graph');" >/dev/null
  done
  sql "$dir" "rdf_loader_run();" >/dev/null
  sql "$dir" "checkpoint;" >/dev/null
  # A file the loader could not read is marked in DB.DBA.LOAD_LIST with its error.
  local errors
  errors=$(sql "$dir" "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;" | grep -c '^/' || true)
  if [ "$errors" != "0" ]; then
    sql "$dir" "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;" >&2
    die "load: the bulk loader refused $errors file(s)"
  fi
}

stop() {
  local dir=$1 pid
  pid=$(pid_of "$dir")
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
}

command=${1:-}
[ $# -ge 2 ] || die "usage: virtuoso.sh start|load|sql|stop DIR ..."
shift
case "$command" in
  start) start "$1" ;;
  load) load "$@" ;;
  sql) sql "$1" "$2" ;;
  stop) stop "$1" ;;
  *) die "unknown command $command (start, load, sql, stop)" ;;
esac
