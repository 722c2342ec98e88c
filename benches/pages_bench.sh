#!/usr/bin/env bash
# The pages under load (issue 11): the entity page of ETRI and the home
# page, HTML as a browser asks for it, wrk at 16 connections on loopback
# (target: p99 <= 20 ms), the first request (nothing cached yet) timed
# apart; and the weight of an entity page with its stylesheet and script
# (target: <= 300 KB). Prints a table.
#   bash benches/pages_bench.sh [SECONDS]      (AIKG=path/to/aikg)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
AIKG="${AIKG:-${CARGO_TARGET_DIR:-target}/release/aikg}"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$AIKG" serve --quiet --bind "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -s -o /dev/null "$base/" && break; sleep 0.1; done
accept="Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

measure() { # URL
  wrk -t2 -c16 -d"${duration}s" --latency -H "$accept" "$1" > "$work/wrk.txt" 2>&1 || true
  python3 - "$work/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(percent):
    m = re.search(percent + r"%\s+([\d.]+)(us|ms|s|m)\b", text)
    return "%.2f" % (float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m.group(2)]) if m else "-"
m = re.search(r"Requests/sec:\s+([\d.]+)", text)
errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
m2 = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors += int(m2.group(1)) if m2 else 0
print(f"{float(m.group(1)) if m else 0:.0f} {ms('50')} {ms('99')} {errors}")
PY
}

echo "load: $(uptime | sed 's/.*load average/load average/'), $duration s per run, wrk -t2 -c16"
printf '%-14s %12s %10s %10s %10s %8s\n' page "first (ms)" "req/s" "p50 (ms)" "p99 (ms)" errors
for page in /id/ETRI /; do
  first="$(curl -s -o /dev/null -w '%{time_total}' -H "$accept" "$base$page" | awk '{printf "%.1f", $1*1000}')"
  read -r rps p50 p99 errors < <(measure "$base$page")
  printf '%-14s %12s %10s %10s %10s %8s\n' "$page" "$first" "$rps" "$p50" "$p99" "$errors"
done

echo
printf '%-14s %10s %10s %10s %12s\n' page "HTML (B)" "CSS (B)" "JS (B)" "total (KB)"
css="$(curl -s "$base/assets/style.css" | wc -c)"
js="$(curl -s "$base/assets/app.js" | wc -c)"
for page in /id/ETRI /id/KAIST /id/Korea; do
  html="$(curl -s -H "$accept" "$base$page" | wc -c)"
  printf '%-14s %10s %10s %10s %12s\n' "$page" "$html" "$css" "$js" "$(( (html + css + js + 1023) / 1024 ))"
done
