#!/usr/bin/env bash
# Concurrent writers with stale versions (see docs/benchmarks.md, "Writers at once"). Starts a
# release server on loopback with the demo on a fresh database, creates one partner per
# writer through the API, and lets WRITERS writers update their partner for DURATION seconds,
# every fourth update with the version before the current one (a stale If-Match). Counts the
# answers per status and afterwards reads every partner back: a write is lost when the stored
# version or name is not that of the last update the server acknowledged.
# Not a test; needs python3 and curl, and for PostgreSQL a server at $PG.
#
# Settings (environment): WRITERS (50), DURATION (60, seconds; each writer stops after at most
# 100,000 updates too), PORT (18095), BENCH_DIR (target/bench), BUILD=0 to use the release
# binary as it is, PG (base URL of a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:54400;
# unset: SQLite only).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
OUT=${BENCH_DIR:-$ROOT/target/bench}/writers
WRITERS=${WRITERS:-50}
DURATION=${DURATION:-60}
PORT=${PORT:-18095}
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/reisgenoot
export REISGENOOT_DEMO_PASSWORD=${REISGENOOT_DEMO_PASSWORD:-Benchmark-Lindeveen-2024} REISGENOOT_LOG=${REISGENOOT_LOG:-warn}

if [ "${BUILD:-1}" = 1 ]; then
  cargo build --release -p reisgenoot
fi
rm -rf "$OUT"
mkdir -p "$OUT"

run() {
  local label=$1 url=$2
  export REISGENOOT_DATABASE_URL=$url
  "$BIN" migrate >/dev/null
  "$BIN" demo >/dev/null
  "$BIN" serve --bind "127.0.0.1:$PORT" >"$OUT/server-$label.log" 2>&1 &
  local server=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  echo "== $label: $WRITERS writers x ${DURATION}s, a quarter stale ($(nproc) cores)"
  python3 "$ROOT/benches/writers.py" "$PORT" "$WRITERS" "$DURATION" "$REISGENOOT_DEMO_PASSWORD" || true
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}

run sqlite "sqlite://$OUT/bench.db"
if [ -n "${PG:-}" ]; then
  name=rg_writers_$$
  psql "$PG/postgres" -qc "CREATE DATABASE $name" >/dev/null
  run postgres "$PG/$name"
  psql "$PG/postgres" -qc "DROP DATABASE $name" >/dev/null
fi
