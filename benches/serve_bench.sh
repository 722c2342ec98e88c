#!/usr/bin/env bash
# Benchmark of `aikg serve` (issue 10), side by side with Virtuoso 7.2 in
# one run, load from wrk on loopback:
#   (a) the named query located-in?place=Daejeon on the bundled graph
#       (Virtuoso: the same SPARQL, the place given by VALUES);
#   (b) a two-hop lookup by IRI and (c) a GROUP BY aggregate on the
#       1M-triple generated store (benches/generate.py), the same data
#       loaded into Virtuoso with its bulk loader;
# at 2 and 64 connections: requests/s, p50, p99, errors. aikg runs twice:
# with its answer cache (the default) and without (--cache-mib 0).
# Then the memory of the server before and after 100 000 requests.
#
# Usage: bash benches/serve_bench.sh [SECONDS per run (10)]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
duration="${1:-10}"
work="$(mktemp -d /var/tmp/aikg-serve-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  bash tests/support/virtuoso.sh stop "$work/virtuoso" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --quiet
aikg="$CARGO_TARGET_DIR/release/aikg"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
encode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
# An HTTP answer, not only an open port: a bare connect to a free port can be
# answered by the asking socket itself (TCP self-connect).
wait_port() { for _ in $(seq 1 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/")" != 000 ] && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

echo "generating and loading the 1M-triple graph..." >&2
python3 benches/generate.py --triples 1000000 > "$work/gen.nt"
"$aikg" load --store "$work/store" "$work/gen.nt" 2>/dev/null
"$aikg" dump --format nq -o "$work/bundled.nq" 2>/dev/null
org="$(grep -m1 -o '<https://w3id.org/aikg/gen/org-[0-9]*> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>' "$work/gen.nt" | cut -d' ' -f1)"

echo "starting Virtuoso and loading the same data..." >&2
# 64 connections served at once, and every row of an answer sent.
VIRTUOSO_CONNECTIONS=64 VIRTUOSO_MAXROWS=100000000 VIRTUOSO_WATCH_PID=$$ \
  bash tests/support/virtuoso.sh start "$work/virtuoso" >/dev/null
vhttp="$(sed -n 's/^VIRTUOSO_HTTP_PORT=//p' "$work/virtuoso/env")"
bash tests/support/virtuoso.sh load "$work/virtuoso" https://w3id.org/aikg/gen "$work/gen.nt"
bash tests/support/virtuoso.sh load "$work/virtuoso" https://w3id.org/aikg/bundled "$work/bundled.nq"
rm -f "$work/gen.nt"

start_aikg() { # PORT ARGS...
  local port="$1"; shift
  "$aikg" serve --bind "127.0.0.1:$port" --quiet "$@" 2>>"$work/serve.log" &
  pids+=($!)
  wait_port "$port"
}
bundled=$(free_port); big=$(free_port); bundled_nc=$(free_port); big_nc=$(free_port)
start_aikg "$bundled"
start_aikg "$big" --store "$work/store"
start_aikg "$bundled_nc" --cache-mib 0
start_aikg "$big_nc" --store "$work/store" --cache-mib 0

prefixes='PREFIX aikg: <https://w3id.org/aikg/ontology#> PREFIX id: <https://w3id.org/aikg/id/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>'
located_in="$(grep -v '^#' queries/located-in.rq | sed 's/^WHERE {/WHERE { VALUES ?place { id:Daejeon }/')"
two_hops="SELECT ?unit ?unitLabel ?city ?cityLabel WHERE { ?unit aikg:subOrganizationOf $org ; rdfs:label ?unitLabel . $org aikg:locatedIn ?city . ?city rdfs:label ?cityLabel }"
group_by="SELECT ?currency (COUNT(?f) AS ?fundings) (SUM(?amount) AS ?total) WHERE { ?f a aikg:Funding ; aikg:currency ?currency ; aikg:amount ?amount } GROUP BY ?currency ORDER BY ?currency"
accept='Accept: application/sparql-results+json'
declare -A url
url[a_aikg]="http://127.0.0.1:$bundled/queries/located-in?place=Daejeon"
url[a_aikg_nc]="http://127.0.0.1:$bundled_nc/queries/located-in?place=Daejeon"
url[a_virtuoso]="http://127.0.0.1:$vhttp/sparql?query=$(encode "$prefixes $located_in")"
for case in b c; do
  q="$two_hops"; [ "$case" = c ] && q="$group_by"
  url[${case}_aikg]="http://127.0.0.1:$big/sparql?query=$(encode "$q")"
  url[${case}_aikg_nc]="http://127.0.0.1:$big_nc/sparql?query=$(encode "$q")"
  # Virtuoso holds the bundled graph too: the generated graph only, as aikg's store.
  url[${case}_virtuoso]="http://127.0.0.1:$vhttp/sparql?query=$(encode "$prefixes ${q/ WHERE / FROM <https:\/\/w3id.org\/aikg\/gen> WHERE }")"
done

# Same rows from both (row counts of the JSON answers).
rows() { curl -s -H "$accept" "$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]["bindings"]))'; }
for case in a b c; do
  ra="$(rows "${url[${case}_aikg]}")"; rv="$(rows "${url[${case}_virtuoso]}")"
  echo "case $case: aikg $ra rows, Virtuoso $rv rows" >&2
  [ "$ra" = "$rv" ] && [ "$ra" -gt 0 ] || { echo "the two answers differ" >&2; exit 1; }
done

# wrk's summary as: req/s p50 p99 errors
measure() { # URL CONNECTIONS
  # A one-second warm-up at the same number of connections first (the
  # server's connection threads started, the answer cached where it
  # caches), then the measured run.
  wrk -t2 -c"$2" -d1s -H "$accept" "$1" > /dev/null 2>&1 || true
  wrk -t2 -c"$2" -d"${duration}s" --latency -H "$accept" "$1" > "$work/wrk.txt" 2>&1 || true
  python3 - "$work/wrk.txt" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
connections = int(sys.argv[2])
def ms(percent):
    m = re.search(percent + r"%\s+([\d.]+)(us|ms|s|m)\b", text)
    if not m:
        return "-"
    return "%.2f" % (float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m.group(2)])
m = re.search(r"Requests/sec:\s+([\d.]+)", text)
rps = float(m.group(1)) if m else 0.0
p50 = ms("50")
p99 = ms("99")
errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors += int(m.group(1)) if m else 0
# wrk counts a request still waiting when the run ends as no error: when
# none finished at all, every connection's request is said unfinished.
m = re.search(r"(\d+) requests in", text)
if not m or int(m.group(1)) == 0:
    errors = f"{errors}+{connections}-unfinished"
print(f"{rps:.0f} {p50} {p99} {errors}")
PY
}

echo
echo "load: $(uptime | sed 's/.*load average/load average/'), $duration s per run, wrk -t2"
printf '| case | conns | aikg req/s | p50 ms | p99 ms | err | aikg uncached req/s | p50 | p99 | err | Virtuoso req/s | p50 | p99 | err |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for case in a b c; do
  for conns in 2 64; do
    read -r r1 a1 b1 e1 < <(measure "${url[${case}_aikg]}" "$conns")
    read -r r2 a2 b2 e2 < <(measure "${url[${case}_aikg_nc]}" "$conns")
    read -r r3 a3 b3 e3 < <(measure "${url[${case}_virtuoso]}" "$conns")
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
      "$case" "$conns" "$r1" "$a1" "$b1" "$e1" "$r2" "$a2" "$b2" "$e2" "$r3" "$a3" "$b3" "$e3"
  done
done

# Memory: resident size after a warm-up, then after 100 000 more requests,
# on the uncached bundled server (every request parses and evaluates).
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
server_pid="${pids[2]}"
small="http://127.0.0.1:$bundled_nc/sparql?query=$(encode 'SELECT ?u ?l WHERE { ?u a aikg:University ; rdfs:label ?l } LIMIT 5')"
wrk -t2 -c16 -d3s "$small" >/dev/null
before="$(rss "$server_pid")"
total=0
while [ "$total" -lt 100000 ]; do
  wrk -t2 -c16 -d5s --latency "$small" > "$work/wrk.txt"
  n="$(awk '/requests in/ {print $1}' "$work/wrk.txt")"
  total=$((total + n))
done
after="$(rss "$server_pid")"
echo
echo "memory of the uncached server: $((before / 1024)) MiB after warm-up, $((after / 1024)) MiB after $total more requests ($(python3 -c "print(f'{($after - $before) / $before * 100:+.1f}')")%)"
