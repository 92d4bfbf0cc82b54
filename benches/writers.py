"""The writers of benches/writers.sh: signs in as the demo's regisseur, makes an API token,
creates one partner per writer and updates them concurrently, a quarter with a stale version.
Prints requests, answers per status and lost writes."""
import collections, http.client, json, re, sys, threading, time, urllib.parse

port, writers, duration, password = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
MAX_UPDATES = 100_000
origin = {"Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"}


def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body, {**origin, **(headers or {})})
    reply = conn.getresponse()
    return reply.status, reply.getheaders(), reply.read().decode("utf-8", "replace")


setup = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
form = {"Content-Type": "application/x-www-form-urlencoded"}
status, headers, _ = request(setup, "POST", "/inloggen", urllib.parse.urlencode({"email": "regisseur@lindeveen.example", "password": password}), form)
cookie = "; ".join(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and not v.split(";")[0].endswith("="))
status, _, page = request(setup, "POST", "/account/tokens", urllib.parse.urlencode({"name": "writers"}), {**form, "Cookie": cookie})
token = re.search(r"rg_[A-Za-z0-9_-]{20,}", page).group(0)
auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
status, _, body = request(setup, "GET", "/api/v1/samenwerkingen", None, auth)
collaboration = json.loads(body)[0]["id"]
base = f"/api/v1/samenwerkingen/{collaboration}/partners"


def partner(name):
    return json.dumps({"name": name, "sector": "kinderopvang", "ring": "binnenring", "description": ""})


ids = []
for i in range(writers):
    status, _, body = request(setup, "POST", base, partner(f"Schrijver {i}"), auth)
    assert status == 201, (status, body)
    ids.append(json.loads(body)["id"])

counts, lock = collections.Counter(), threading.Lock()
acknowledged = {}
latencies = []
deadline = time.monotonic() + duration


def write(i):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    version, last, n, mine, waits = 1, f"Schrijver {i}", 0, collections.Counter(), []
    while time.monotonic() < deadline and n < MAX_UPDATES:
        stale = (i + n) % 4 == 0
        name = f"Schrijver {i} update {n}"
        sent = version - 1 if stale and version > 1 else (version + 1000 if stale else version)
        started = time.monotonic()
        try:
            status, _, body = request(conn, "PUT", f"{base}/{ids[i]}", partner(name), {**auth, "If-Match": f'"{sent}"'})
        except Exception as err:
            status = type(err).__name__
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        waits.append(time.monotonic() - started)
        mine[status] += 1
        if status == 200:
            version, last = json.loads(body)["version"], name
        n += 1
    with lock:
        counts.update(mine)
        acknowledged[i] = (version, last)
        latencies.extend(waits)


threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
started = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join()
took = time.monotonic() - started

lost = 0
for i, pid in enumerate(ids):
    status, _, body = request(setup, "GET", f"{base}/{pid}", None, auth)
    stored = json.loads(body)
    if (stored["version"], stored["name"]) != acknowledged[i]:
        lost += 1
total = sum(counts.values())
ok = sum(v for k, v in counts.items() if isinstance(k, int) and 200 <= k < 300)
server_errors = sum(v for k, v in counts.items() if isinstance(k, int) and k >= 500)
other = {k: v for k, v in counts.items() if not (isinstance(k, int) and (200 <= k < 300 or k == 409 or k >= 500))}
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0
print(f"requests={total} in {took:.1f}s ({total / took:.0f}/s) 2xx={ok} 409={counts[409]} 5xx={server_errors} other={other} "
      f"lost={lost} of {writers} partners; latency p50={p(0.5):.0f} ms p99={p(0.99):.0f} ms max={p(1.0):.0f} ms")
