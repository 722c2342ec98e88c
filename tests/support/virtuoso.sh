#!/usr/bin/env bash
# Starts and stops a throw-away Virtuoso 7.2 (Debian's virtuoso-opensource)
# on free loopback ports, for the benchmarks and the remote-store tests.
#
#   bash tests/support/virtuoso.sh start DIR        # prints "HTTP_PORT SQL_PORT"
#   bash tests/support/virtuoso.sh load DIR FILE GRAPH   # bulk load (ld_dir + rdf_loader_run)
#   bash tests/support/virtuoso.sh stop DIR
#
# DIR holds the database, its ini and the log; it is created by start and
# can be removed after stop. Nothing is left running after stop.
#
# Quirks met (and handled here):
#   - the package starts a system-wide server on 1111/8890: never used here;
#     .ci/deps stops it; this script uses its own ports and database;
#   - a new database has the account dba/dba; the ini's DirsAllowed must name
#     the directory of every file ld_dir loads, or the load silently loads
#     nothing (check DB.DBA.LOAD_LIST's ll_error; `load` does);
#   - [SPARQL] ResultSetMaxRows (10 000 by default) truncates answers
#     without an error: set far above anything benchmarked;
#   - [HTTPServer] ServerThreads and MaxClientConnections (10 by default)
#     cap concurrent requests: raised to 64 so that 64 connections are served;
#   - virtuoso-t +wait returns once the server accepts connections, but
#     daemonised: its pid is read from the lock file (VIRT_PID=...);
#   - queries without FROM see every graph (its default graph is the union),
#     as aikg's merged default graph.
set -euo pipefail

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

isql() { # DIR SQL...
  local dir="$1"; shift
  isql-vt "127.0.0.1:$(cat "$dir/sql.port")" dba dba "$@"
}

start() {
  local dir; dir="$(realpath -m "$1")"
  mkdir -p "$dir/data"
  local http sql
  http="$(free_port)"; sql="$(free_port)"
  while [ "$sql" = "$http" ]; do sql="$(free_port)"; done
  cat > "$dir/virtuoso.ini" <<INI
[Database]
DatabaseFile = $dir/virtuoso.db
ErrorLogFile = $dir/virtuoso.log
LockFile = $dir/virtuoso.lck
TransactionFile = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = $dir/virtuoso-temp.db
TransactionFile = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:$sql
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 64
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., $dir/data
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 2G
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
[HTTPServer]
ServerPort = 127.0.0.1:$http
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 64
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 64
MaxKeepAlives = 64
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0
[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0
[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DefaultQuery = select distinct ?Concept where {[] a ?Concept} LIMIT 100
DeferInferenceRulesInit = 0
INI
  echo "$http" > "$dir/http.port"
  echo "$sql" > "$dir/sql.port"
  (cd "$dir" && virtuoso-t +configfile "$dir/virtuoso.ini" +wait >/dev/null 2>&1)
  local tries=0
  until isql "$dir" exec="select 1;" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 120 ]; then
      echo "virtuoso did not start; see $dir/virtuoso.log" >&2
      stop "$dir"; exit 1
    fi
    sleep 0.5
  done
  echo "$http $sql"
}

load() { # DIR FILE GRAPH
  local dir; dir="$(realpath -m "$1")"
  local file="$2" graph="$3"
  cp "$file" "$dir/data/"
  isql "$dir" exec="ld_dir('$dir/data', '$(basename "$file")', '$graph');" >/dev/null
  isql "$dir" exec="rdf_loader_run();" >/dev/null
  isql "$dir" exec="checkpoint;" >/dev/null
  local errors
  errors="$(isql "$dir" exec="select count(*) from DB.DBA.LOAD_LIST where ll_error is not null;" | awk '/^[0-9]+$/ {print; exit}')"
  if [ "${errors:-1}" != "0" ]; then
    isql "$dir" exec="select ll_file, ll_error from DB.DBA.LOAD_LIST;" >&2
    echo "virtuoso: the bulk load failed" >&2; exit 1
  fi
  rm -f "$dir/data/$(basename "$file")"
}

stop() {
  local dir; dir="$(realpath -m "$1")"
  [ -f "$dir/virtuoso.lck" ] || return 0
  local pid
  pid="$(sed -n 's/^VIRT_PID=//p' "$dir/virtuoso.lck" 2>/dev/null || true)"
  isql "$dir" exec="shutdown;" >/dev/null 2>&1 || true
  for _ in $(seq 1 40); do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
  rm -f "$dir/virtuoso.lck"
}

cmd="${1:?usage: virtuoso.sh start|load|stop DIR ...}"; shift
"$cmd" "$@"
