#!/usr/bin/env bash
# Benchmarks for joint monitoring, each side by side with its peer in one run (see
# docs/benchmarks.md for what is measured and the latest results):
#   (a) importing 1 M measurements with every check   vs  the sqlite3 shell's .import (and psql \copy)
#   (b) roll-ups over the national set (11.6 M rows)   vs  DuckDB on the same data
#   (c) the indicator card under wrk, 50 connections   vs  nginx serving the same HTML as a file
#   (d) peak memory of the importer during (a) and of the server during (c)
# Not part of the tests or CI. Needs sqlite3, python3 with duckdb, wrk, nginx, /usr/bin/time,
# and for the PostgreSQL figures psql/createdb and a server at $PG.
#
# Settings (environment): BENCH_DIR (default target/bench), RUNS (import runs per side, 3),
# QUERY_RUNS (timings per roll-up query, 50), DURATION (wrk, 15s), PG (base URL of a
# PostgreSQL server, default postgres://postgres@127.0.0.1:54330; empty to skip PostgreSQL),
# REUSE=1 to keep a national database already loaded by an earlier run, ONLY (default "a b
# c") to run some of the parts: "c" alone still loads and times the national set of (b);
# (d) comes with (a) and (c).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
OUT=${BENCH_DIR:-$ROOT/target/bench}
DATA=$OUT/data
RUNS=${RUNS:-3}
QUERY_RUNS=${QUERY_RUNS:-50}
DURATION=${DURATION:-15s}
PG=${PG-postgres://postgres@127.0.0.1:54330}
PORT=${PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
INDICATOR=B01 GEMEENTE=GM0344 PERIODE=2025
export REISGENOOT_DEMO_PASSWORD=${REISGENOOT_DEMO_PASSWORD:-Benchmark-Lindeveen-2024}
export REISGENOOT_LOG=${REISGENOOT_LOG:-warn}
BIN=$ROOT/target/release/reisgenoot
mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: >"$RESULTS"

wants() { [[ " ${ONLY:-a b c} " == *" $1 "* ]]; }
say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }
need() { command -v "$1" >/dev/null || { echo "missing: $1 ($2)" >&2; exit 1; }; }
need sqlite3 "apt-get install sqlite3"
need wrk "apt-get install wrk"
need nginx "apt-get install nginx-light"
need curl "apt-get install curl"
[ -x /usr/bin/time ] || { echo "missing: /usr/bin/time (apt-get install time)" >&2; exit 1; }
python3 -c 'import duckdb' 2>/dev/null || { echo "missing: DuckDB for Python (pip install duckdb)" >&2; exit 1; }
if [ -n "$PG" ]; then need psql "apt-get install postgresql-client"; fi

ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}' if b else 'n/a')" "$1" "$2"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | head -1; }
# Runs a command under /usr/bin/time; prints "seconds peak_mb".
measured() {
  local report=$OUT/time.txt start end
  start=$EPOCHREALTIME
  /usr/bin/time -v -o "$report" "$@" >"$OUT/last.log" 2>&1 || { cat "$OUT/last.log" >&2; return 1; }
  end=$EPOCHREALTIME
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}', round(int(sys.argv[3]) / 1024))" \
    "$start" "$end" "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$report")"
}
median() { python3 -c "import sys, statistics; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }

echo "== building (release)"
cargo build --release -q -p reisgenoot
# The set-up and roll-up benchmark (benches/rollup.rs), called directly from here on so that
# both binaries stay the ones built now.
BENCH_BIN=$(cargo bench -q -p reisgenoot --bench rollup --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json, sys; print([m["executable"] for m in map(json.loads, sys.stdin) if m.get("executable") and m["target"]["name"] == "rollup"][-1])')
bench() { "$BENCH_BIN" "$@"; }

echo "== data"
if [ ! -s "$DATA/national-40.csv" ] || [ ! -s "$DATA/subset-1m.csv" ]; then
  python3 benches/generate.py "$DATA"
fi

# A database with the demo collaboration (1) and the benchmark's 40 indicators, nothing measured.
fresh_sqlite() {
  rm -f "$1" "$1-wal" "$1-shm"
  "$BIN" --database-url "sqlite://$1" demo >/dev/null
  bench --database-url "sqlite://$1" indicators "$DATA/indicators.csv" >/dev/null
  sqlite3 "$1" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
}
fresh_pg() {
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
  "$BIN" --database-url "$PG/$1" demo >/dev/null
  bench --database-url "$PG/$1" indicators "$DATA/indicators.csv" >/dev/null
}
PEER_SCHEMA="CREATE TABLE measurements (indicator TEXT NOT NULL, area TEXT NOT NULL, period TEXT NOT NULL, numerator REAL NOT NULL, denominator REAL, UNIQUE (indicator, area, period));
CREATE INDEX measurements_indicator ON measurements(indicator, period, area, numerator, denominator);"

say "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%Y-%m-%dT%H:%MZ)"
if wants a; then
say ""
say "== (a) import of 1,000,000 rows, (d) importer peak memory (median of $RUNS runs)"
fresh_sqlite "$OUT/template.db"
ours=() ours_mb=() peer=()
for run in $(seq "$RUNS"); do
  cp "$OUT/template.db" "$OUT/import.db"; rm -f "$OUT/import.db-wal" "$OUT/import.db-shm"
  read -r s mb < <(measured "$BIN" --database-url "sqlite://$OUT/import.db" import metingen "$DATA/subset-1m.csv" --samenwerking 1)
  ours+=("$s") ours_mb+=("$mb")
  rm -f "$OUT/peer.db" "$OUT/peer.db-wal" "$OUT/peer.db-shm"
  sqlite3 "$OUT/peer.db" "PRAGMA journal_mode=WAL;" "$PEER_SCHEMA" >/dev/null
  read -r p _ < <(measured sqlite3 "$OUT/peer.db" ".import --csv --skip 1 $DATA/subset-1m.csv measurements")
  peer+=("$p")
  echo "  run $run: reisgenoot $s s ($mb MB), sqlite3 .import $p s"
done
a_ours=$(median "${ours[@]}") a_peer=$(median "${peer[@]}") a_mb=$(median "${ours_mb[@]}")
rows=$(sqlite3 "$OUT/import.db" 'SELECT COUNT(*) FROM measurements') peer_rows=$(sqlite3 "$OUT/peer.db" 'SELECT COUNT(*) FROM measurements')
say "SQLite      reisgenoot import metingen: ${a_ours} s ($rows rows)   sqlite3 .import: ${a_peer} s ($peer_rows rows)   ratio $(ratio "$a_ours" "$a_peer") (target <= 2)"
say "            importer peak RSS: ${a_mb} MB (target <= 150)"
if [ -n "$PG" ]; then
  ours=() ours_mb=() peer=()
  for run in $(seq "$RUNS"); do
    fresh_pg bench_import
    read -r s mb < <(measured "$BIN" --database-url "$PG/bench_import" import metingen "$DATA/subset-1m.csv" --samenwerking 1)
    ours+=("$s") ours_mb+=("$mb")
    psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS bench_peer" -c "CREATE DATABASE bench_peer" >/dev/null
    psql -q "$PG/bench_peer" -c "${PEER_SCHEMA//REAL/DOUBLE PRECISION}" >/dev/null
    read -r p _ < <(measured psql -q "$PG/bench_peer" -c "\\copy measurements FROM '$DATA/subset-1m.csv' CSV HEADER")
    peer+=("$p")
    echo "  run $run: reisgenoot $s s ($mb MB), psql \\copy $p s"
  done
  pa_ours=$(median "${ours[@]}") pa_peer=$(median "${peer[@]}") pa_mb=$(median "${ours_mb[@]}")
  say "PostgreSQL  reisgenoot import metingen: ${pa_ours} s   psql \\copy: ${pa_peer} s   ratio $(ratio "$pa_ours" "$pa_peer")   importer peak RSS: ${pa_mb} MB"
fi

fi
if wants b || wants c; then
say ""
say "== (b) roll-ups over the national set: $INDICATOR, trend of $GEMEENTE over all periods; all gemeenten in $PERIODE"
codes=$(tail -n +2 "$DATA/indicators.csv" | cut -d, -f1)
load_national() { # URL: imports the 40 files with the importer, then approves everything
  local started=$EPOCHREALTIME
  for file in "$DATA"/national-*.csv; do
    "$BIN" --database-url "$1" import metingen "$file" --samenwerking 1 >/dev/null
  done
  local imported=$EPOCHREALTIME
  # shellcheck disable=SC2086
  bench --database-url "$1" approve $codes >/dev/null
  python3 -c "import sys; print(f'loaded by the importer in {float(sys.argv[2]) - float(sys.argv[1]):.0f} s, approved in {float(sys.argv[3]) - float(sys.argv[2]):.0f} s')" \
    "$started" "$imported" "$EPOCHREALTIME"
}
NATIONAL=$OUT/national.db
if [ "${REUSE:-}" != 1 ] || [ ! -s "$NATIONAL" ]; then
  fresh_sqlite "$NATIONAL"
  say "SQLite      $(load_national "sqlite://$NATIONAL")"
  sqlite3 "$NATIONAL" 'PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;' >/dev/null
fi
sqlite_b=$(bench --database-url "sqlite://$NATIONAL" measure "$INDICATOR" "$GEMEENTE" "$PERIODE" "$QUERY_RUNS")
duck_b=$(python3 benches/duckdb_rollup.py "$DATA" "$INDICATOR" "$GEMEENTE" "$PERIODE" "$QUERY_RUNS" 2>/dev/null)
if [ -n "$PG" ]; then
  if [ "${REUSE:-}" != 1 ] || ! psql -q "$PG/bench_national" -c 'SELECT 1' >/dev/null 2>&1; then
    fresh_pg bench_national
    say "PostgreSQL  $(load_national "$PG/bench_national")"
    psql -q "$PG/bench_national" -c 'VACUUM ANALYZE measurements' >/dev/null
  fi
  pg_b=$(bench --database-url "$PG/bench_national" measure "$INDICATOR" "$GEMEENTE" "$PERIODE" "$QUERY_RUNS")
fi
for query in trend areas; do
  d=$(grep "^$query" <<<"$duck_b" | field median_ms)
  s=$(grep "^$query" <<<"$sqlite_b" | field median_ms)
  line="$query: DuckDB ${d} ms   SQLite ${s} ms (ratio $(ratio "$s" "$d"))"
  if [ -n "$PG" ]; then
    p=$(grep "^$query" <<<"$pg_b" | field median_ms)
    line="$line   PostgreSQL ${p} ms (ratio $(ratio "$p" "$d"))"
  fi
  say "$line   (medians of $QUERY_RUNS; target <= 2)"
done
for query in totals statuses refresh; do # what the card reads besides, and what an approval adds; no peer
  line="$query (card): SQLite $(grep "^$query" <<<"$sqlite_b" | field median_ms) ms"
  [ -z "$PG" ] || line="$line   PostgreSQL $(grep "^$query" <<<"$pg_b" | field median_ms) ms"
  say "$line"
done

fi
if wants c; then
say ""
say "== (c) the indicator card under wrk -t2 -c50 -d$DURATION --timeout 10s, (d) server peak memory"
LUA=$OUT/status.lua
cat >"$LUA" <<'LUA'
-- Counts every answer that is not 200, across wrk's threads.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("not-200: %d\n", total))
end
LUA
card_id=$(sqlite3 "$NATIONAL" "SELECT id FROM indicators WHERE code = '$INDICATOR'")
CARD=/samenwerkingen/1/indicatoren/$card_id
/usr/bin/time -v -o "$OUT/server-time.txt" "$BIN" --database-url "sqlite://$NATIONAL" serve --bind "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
TIME_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
SERVER_PID=$(pgrep -P "$TIME_PID")
sign_in() { # EMAIL: prints the session cookie header
  curl -s -o /dev/null -D - -H 'Sec-Fetch-Site: same-origin' --data-urlencode "email=$1" --data-urlencode "password=$REISGENOOT_DEMO_PASSWORD" \
    "http://127.0.0.1:$PORT/inloggen" | sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-reisgenoot=[^;]*\).*/Cookie: \1/p' | tr -d '\r'
}
mkdir -p "$OUT/www"
cat >"$OUT/nginx.conf" <<NGINX
worker_processes auto;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; }
  server { listen 127.0.0.1:$NGINX_PORT; root $OUT/www; }
}
NGINX
nginx -c "$OUT/nginx.conf" -p "$OUT"
# The reader's card (the lezer role) under load. A steward's card (regisseur, the beheerder role)
# also lists every raw value and logs each look at them; on the national set that is every
# row of the indicator, so it is timed as single requests below, not under load.
for who in lezer; do
  cookie=$(sign_in "$who@lindeveen.example")
  status=$(curl -s -o "$OUT/www/card-$who.html" -w '%{http_code}' -H "$cookie" "http://127.0.0.1:$PORT$CARD")
  [ "$status" = 200 ] || { echo "the card answered $status for $who" >&2; exit 1; }
  size=$(stat -c %s "$OUT/www/card-$who.html")
  ours=$(wrk -t2 -c50 -d"$DURATION" --timeout 10s -s "$LUA" -H "$cookie" "http://127.0.0.1:$PORT$CARD")
  peer=$(wrk -t2 -c50 -d"$DURATION" --timeout 10s -s "$LUA" "http://127.0.0.1:$NGINX_PORT/card-$who.html")
  o=$(sed -n 's/^Requests\/sec: *//p' <<<"$ours") n=$(sed -n 's/^Requests\/sec: *//p' <<<"$peer")
  socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$ours")
  errors=$(( $(sed -n 's/^not-200: //p' <<<"$ours") + ${socket:-0} ))
  latency=$(awk '/Latency/ {print $2; exit}' <<<"$ours")
  say "card as $who ($size bytes): reisgenoot ${o} req/s (mean latency $latency, $errors errors)   nginx ${n} req/s   ratio $(ratio "$o" "$n") (target >= 0.25, 0 errors)"
done
# The server's peak so far: during the load on the reader's card, before the steward's requests.
load_mb=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER_PID/status")
cookie=$(sign_in regisseur@lindeveen.example)
steward=$(for _ in 1 2 3; do curl -s -o "$OUT/www/card-regisseur.html" -w '%{http_code} %{time_total}\n' -H "$cookie" "http://127.0.0.1:$PORT$CARD"; done)
say "card as regisseur ($(stat -c %s "$OUT/www/card-regisseur.html") bytes, with every raw value): $(awk '{printf "%s %.2f s; ", $1, $2}' <<<"$steward")"
nginx -c "$OUT/nginx.conf" -p "$OUT" -s quit
kill -INT "$SERVER_PID"
wait "$TIME_PID" || true
say "server peak RSS during the load on the card: $load_mb MB (target <= 150); over the whole run, with the steward's requests: $(( $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/server-time.txt") / 1024 )) MB"
fi
say ""
say "results in $RESULTS"
