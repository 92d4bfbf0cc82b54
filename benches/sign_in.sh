#!/usr/bin/env bash
# Peak memory of the server under a burst of concurrent sign-in attempts (see
# docs/benchmarks.md, "Sign-in under a burst"). Starts a release server on loopback with a
# fresh SQLite database, fires ATTEMPTS sign-ins at once (half a known account with a wrong
# password, half unknown addresses), and reads the server's VmHWM from /proc/PID/status.
# Not a test and not timed; needs python3 and curl.
#
# Settings (environment): ATTEMPTS (200), PORT (18090), BENCH_DIR (target/bench), BUILD=0 to
# use the release binary as it is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
OUT=${BENCH_DIR:-$ROOT/target/bench}/sign-in
ATTEMPTS=${ATTEMPTS:-200}
PORT=${PORT:-18090}
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/reisgenoot

if [ "${BUILD:-1}" = 1 ]; then
  cargo build --release -p reisgenoot
fi
rm -rf "$OUT"
mkdir -p "$OUT"
export REISGENOOT_DATABASE_URL="sqlite://$OUT/bench.db" REISGENOOT_LOG=${REISGENOOT_LOG:-warn}
REISGENOOT_PASSWORD='paars konijn fietst naar Zwolle' "$BIN" user add bestaand@bench.example --name Bestaand >/dev/null

"$BIN" serve --bind "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
status() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$SERVER/status"; }
echo "server pid $SERVER, cores $(nproc), RSS before the burst: $(($(status VmRSS) / 1024)) MB"

python3 - "$PORT" "$ATTEMPTS" <<'PY'
import collections, http.client, sys, threading, time, urllib.parse
port, attempts = int(sys.argv[1]), int(sys.argv[2])
barrier = threading.Barrier(attempts)
statuses, lock = collections.Counter(), threading.Lock()
retry_after = set()
def attempt(i):
    email = "bestaand@bench.example" if i % 2 == 0 else f"onbekend{i}@bench.example"
    body = urllib.parse.urlencode({"email": email, "password": f"verkeerd wachtwoord {i}"})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"}
    barrier.wait()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("POST", "/inloggen", body, headers)
        reply = conn.getresponse()
        reply.read()
        code = reply.status
        if reply.getheader("Retry-After"):
            retry_after.add(reply.getheader("Retry-After"))
    except Exception as err:
        code = type(err).__name__
    with lock:
        statuses[code] += 1
threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]
start = time.monotonic()
for t in threads: t.start()
for t in threads: t.join()
print(f"{attempts} concurrent attempts in {time.monotonic() - start:.1f} s; answers: {dict(sorted(statuses.items(), key=str))}; Retry-After: {sorted(retry_after)}")
PY

echo "peak RSS of the server (VmHWM): $(($(status VmHWM) / 1024)) MB; RSS after: $(($(status VmRSS) / 1024)) MB"
