"""Helpers shared by the tests that run Switchboard as processes (crash_test.py, multinode.py):
starting servers and the sandbox, calling them, and the exactly-once checks on what they did."""
import json, signal, socket, subprocess, threading, time
import urllib.request, urllib.error

OPERATOR = {"Authorization": "Bearer load-operator-key"}
FINAL = {"completed", "failed", "dead"}


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


def request(method, url, body=None, headers=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"null")
        except Exception:
            return error.code, None


def wait_ready(url, seconds=30, path="/readyz"):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            status, _ = request("GET", url + path, timeout=1)
            if status == 200:
                return True
        except Exception:
            pass
        time.sleep(0.05)
    return False


def start_sandbox(binary, log, latency_ms=0):
    """The simulated providers on a free port; returns (process, url)."""
    port = free_port()
    args = [binary, "sandbox", "--port", str(port), "--smtp-port", "0"]
    if latency_ms:
        args += ["--latency-ms", str(latency_ms)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    if not wait_ready(url, 20, "/sandbox"):
        raise SystemExit("the sandbox did not start")
    return process, url


class Server:
    """`switchboard serve` on its own port, against an external sandbox."""

    def __init__(self, binary, port, tenants, db, sandbox_url, log, extra=(), public_url=None):
        self.args = [binary, "serve", "--port", str(port), "--tenants", tenants, "--db", db, "--threads", "2",
                     "--sandbox-url", sandbox_url, "--public-url", public_url or f"http://127.0.0.1:{port}",
                     "--log-level", "warning", *extra]
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.process = None

    def start(self, wait=True):
        self.process = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=self.log)
        if wait and not wait_ready(self.url):
            raise SystemExit(f"the server at {self.url} did not become ready")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=15)


def trace(base, tenant, ident):
    status, answer = request("GET", f"{base}/v1/tenants/{tenant}/interactions/{ident}", headers=OPERATOR)
    return answer if status == 200 else None


def wait_final(base, acknowledged, seconds):
    """Polls until every acknowledged interaction ({(tenant, key): id}) is final; returns
    ({id: trace}, {(tenant, key): id} still pending)."""
    statuses = {}
    deadline = time.time() + seconds
    pending = dict(acknowledged)
    while pending and time.time() < deadline:
        for (tenant, key), ident in list(pending.items()):
            found = trace(base, tenant, ident)
            if found and found["status"] in FINAL:
                statuses[ident] = found
                del pending[(tenant, key)]
        if pending:
            time.sleep(0.5)
    return statuses, pending


def duplicate_keys(base, tenants):
    """Idempotency keys that more than one stored interaction carries."""
    keys_seen = {}
    for t in range(1, tenants + 1):
        tenant = f"load-{t:02d}"
        cursor = None
        while True:
            url = f"{base}/v1/tenants/{tenant}/interactions?limit=500" + (f"&cursor={cursor}" if cursor else "")
            _, page = request("GET", url, headers=OPERATOR)
            for item in page["data"]:
                found = trace(base, tenant, item["id"])
                key = found["interaction"].get("idempotency_key")
                keys_seen[(tenant, key)] = keys_seen.get((tenant, key), 0) + 1
            cursor = page.get("next_cursor")
            if not cursor:
                break
    return [k for k, c in keys_seen.items() if c > 1]


def duplicate_effects(sandbox_url):
    """What the sandbox's providers did twice; returns (failures, state)."""
    _, state = request("GET", sandbox_url + "/sandbox/state")
    failures = []
    stripe_dupes = {k: v for k, v in state["stripe"]["by_idempotency_key"].items() if v > 1}
    calcom_dupes = {k: v for k, v in state["calcom"]["by_idempotency_key"].items() if v > 1}
    bookings_per_interaction = {}
    for booking in state["calcom"]["list"]:
        ident = (booking.get("metadata") or {}).get("interaction_id")
        if ident:
            bookings_per_interaction[ident] = bookings_per_interaction.get(ident, 0) + 1
    double_booked = {k: v for k, v in bookings_per_interaction.items() if v > 1}
    twilio_dupes = state["twilio"]["duplicates"]
    if stripe_dupes:
        failures.append(f"Stripe objects created twice for one key: {list(stripe_dupes)[:5]}")
    if calcom_dupes or double_booked:
        failures.append(f"bookings made twice: {list(calcom_dupes)[:5]} {list(double_booked)[:5]}")
    if twilio_dupes:
        failures.append(f"SMS sent twice: {json.dumps(twilio_dupes)[:300]}")
    return failures, state


def outcome_rows(statuses):
    """Table rows: final states, flags, and the commonest reasons for not completing."""
    by_status, reasons, in_doubt = {}, {}, 0
    for found in statuses.values():
        by_status[found["status"]] = by_status.get(found["status"], 0) + 1
        in_doubt += len(found.get("flags") or [])
        if found["status"] != "completed":
            steps = found.get("steps") or []
            last_error = next((s["decision"]["reasons"][-1] for s in reversed(steps) if s.get("outcome") not in ("ok", None)
                               and s["decision"]["reasons"]), "")
            reason = f"{found['status']}: {found.get('reason')} ({last_error[:120]})"
            reasons[reason] = reasons.get(reason, 0) + 1
    rows = [("final states", ", ".join(f"{k} {v}" for k, v in sorted(by_status.items()))),
            ("effects left in doubt (flagged, not repeated)", in_doubt)]
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1])[:6]:
        rows.append((f"not completed: {reason}", count))
    return rows


class Load:
    """Posts `rate` interactions a second for `seconds` over tenants load-01.., each with its own
    Idempotency-Key, and retries each like a real client until it is acknowledged.
    `target(n, attempt)` is the base URL the attempt goes to."""

    def __init__(self, tenants, rate, seconds, prefix, target):
        self.tenants, self.rate, self.seconds, self.prefix, self.target = tenants, rate, seconds, prefix, target
        self.acknowledged = {}      # (tenant, key) -> id
        self.acknowledged_by = {}   # (tenant, key) -> base URL that answered
        self.attempts = {"sent": 0, "errors": 0}
        self.failures = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run)

    def start(self):
        self.thread.start()

    def join(self):
        self.thread.join()

    def _submit(self, n):
        tenant = f"load-{(n % self.tenants) + 1:02d}"
        key = f"{self.prefix}-{n}"
        body = {"from": {"phone": f"+1555{n:07d}", "name": f"Customer {n}"}, "service": "visit", "text": "please fix the sink"}
        headers = {"Authorization": "Bearer load-key", "Idempotency-Key": key}
        give_up = time.time() + 120
        attempt = 0
        while time.time() < give_up:
            base = self.target(n, attempt)
            attempt += 1
            try:
                with self.lock:
                    self.attempts["sent"] += 1
                status, answer = request("POST", f"{base}/v1/tenants/{tenant}/interactions", body, headers, timeout=5)
                if status in (200, 202):
                    with self.lock:
                        previous = self.acknowledged.get((tenant, key))
                        if previous and previous != answer["id"]:
                            self.failures.append(f"key {key} acknowledged as {previous} and then as {answer['id']}")
                        self.acknowledged[(tenant, key)] = answer["id"]
                        self.acknowledged_by.setdefault((tenant, key), base)
                    return
            except Exception:
                pass
            with self.lock:
                self.attempts["errors"] += 1
            time.sleep(0.1)

    def _run(self):
        n = 0
        threads = []
        start = time.time()
        while time.time() - start < self.seconds:
            thread = threading.Thread(target=self._submit, args=(n,))
            thread.start()
            threads.append(thread)
            n += 1
            time.sleep(1 / self.rate)
        for thread in threads:
            thread.join()
