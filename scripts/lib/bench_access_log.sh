#!/usr/bin/env bash
# The access log's overhead: Switchboard alone, in release, with --access-log off, on (the
# default: sampled past 200 lines/s) and all (every request), alternating off on all off on all ...
# for $ROUNDS rounds, each server started fresh, warmed up for $WARM and measured with wrk
# (one thread, keep-alive) on GET /healthz and a POST /echo of 1 KiB JSON, 64 connections, $DUR.
# stderr goes to a file, as under a service manager. Prints median (min..max) req/s and p99 per
# configuration and case, the access lines written per second, and on/off and all/off ratios.
# Usage: scripts/lib/bench_access_log.sh BINARY LUA_SCRIPT   (scripts/bench --access-log runs it)
set -euo pipefail
BIN=$1
LUA=$2
ROUNDS=${ROUNDS:-3}
DUR=${DUR:-8s}
WARM=${WARM:-2s}
PORT=${SWITCHBOARD_BENCH_PORT:-8090}
CONFIGS=(${CONFIGS:-off on all})
OUTDIR=${OUTDIR:-$(mktemp -d /tmp/switchboard-access-log-bench.XXXXXX)}
mkdir -p "$OUTDIR"

SRV_PID=""
cleanup() {
  if [[ -n "$SRV_PID" ]] && kill -0 "$SRV_PID" 2>/dev/null; then
    kill "$SRV_PID" 2>/dev/null || true
    wait "$SRV_PID" 2>/dev/null || true
  fi
  SRV_PID=""
}
trap cleanup EXIT INT TERM

to_ms() {
  awk -v v="$1" 'BEGIN{
    if (v ~ /us$/) { sub(/us$/,"",v); printf "%.3f", v/1000 }
    else if (v ~ /ms$/) { sub(/ms$/,"",v); printf "%.3f", v }
    else if (v ~ /s$/)  { sub(/s$/,"",v);  printf "%.3f", v*1000 }
    else printf "nan" }'
}

echo "# $(date -Is)  host: $(nproc) cores; rounds=$ROUNDS dur=$DUR warm=$WARM; $(wrk --version 2>&1 | head -1)"
printf 'round\tconfig\tcase\trps\tp99_ms\tseconds\tlines\n' >"$OUTDIR/runs.tsv"
for r in $(seq 1 "$ROUNDS"); do
  for config in "${CONFIGS[@]}"; do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/healthz"; then
      echo "port $PORT already in use; aborting" >&2; exit 1
    fi
    log="$OUTDIR/r${r}_${config}.stderr"
    "$BIN" serve --port "$PORT" --db :memory: --echo-route --no-watch --log-level info --access-log "$config" 2>"$log" >/dev/null &
    SRV_PID=$!
    for _ in $(seq 1 200); do
      curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/healthz" && break
      kill -0 "$SRV_PID" 2>/dev/null || { echo "switchboard died at start" >&2; cat "$log" >&2; exit 1; }
      sleep 0.05
    done
    wrk -t1 -c64 -d"$WARM" "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 || true
    for c in healthz_c64 echo1k_c64; do
      args=()
      path=/healthz
      [[ $c == echo1k_c64 ]] && { path=/echo; args=(-s "$LUA"); }
      before=$(grep -c '"logger":"access"' "$log" || true)
      raw="$OUTDIR/r${r}_${config}_${c}.txt"
      POST_PATH=/echo wrk -t1 -c64 -d"$DUR" --latency "${args[@]}" "http://127.0.0.1:$PORT$path" >"$raw" 2>&1 || true
      after=$(grep -c '"logger":"access"' "$log" || true)
      rps=$(awk '/^Requests\/sec:/{print $2}' "$raw")
      p99=$(to_ms "$(awk '$1=="99%"{print $2}' "$raw")")
      secs=$(awk '/requests in/{v=$4; sub(/s,?$/,"",v); print v}' "$raw")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$config" "$c" "${rps:-0}" "$p99" "${secs:-0}" "$((after - before))" >>"$OUTDIR/runs.tsv"
      printf '  round %s  access-log %-4s %-12s %10s req/s  p99 %7s ms  access lines %s\n' \
        "$r" "$config" "$c" "${rps:-0}" "$p99" "$((after - before))"
      sleep 0.5
    done
    cleanup
    sleep 1
  done
done

python3 - "$OUTDIR" <<'PY'
import csv, os, statistics, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(out, "runs.tsv")), delimiter="\t"))
configs = list(dict.fromkeys(r["config"] for r in rows))
cases = list(dict.fromkeys(r["case"] for r in rows))
med = {}
lines = ["| case | --access-log | req/s median (min..max) | p99 ms median | access lines/s median |", "|---|---|---|---|---|"]
for c in cases:
    for k in configs:
        rr = [r for r in rows if r["config"] == k and r["case"] == c]
        rps = [float(r["rps"]) for r in rr]
        p99 = [float(r["p99_ms"]) for r in rr]
        lps = [int(r["lines"]) / float(r["seconds"]) if float(r["seconds"]) > 0 else 0 for r in rr]
        med[(k, c)] = statistics.median(rps)
        lines.append(f"| {c} | {k} | {med[(k, c)]:,.0f} ({min(rps):,.0f}..{max(rps):,.0f}) | {statistics.median(p99):.2f} | {statistics.median(lps):,.0f} |")
if "off" in configs:
    lines.append("")
    lines.append("| case | " + " | ".join(f"req/s {k}/off" for k in configs if k != "off") + " |")
    lines.append("|---|" + "---|" * (len(configs) - 1))
    for c in cases:
        lines.append(f"| {c} | " + " | ".join(f"{med[(k, c)] / med[('off', c)]:.3f}" for k in configs if k != "off") + " |")
text = "\n".join(lines)
open(os.path.join(out, "summary.md"), "w").write(text + "\n")
print("\n" + text)
PY
echo
echo "raw wrk outputs, server logs and runs.tsv in $OUTDIR"
