"""Shared pieces of the chaos and load scripts: a sandbox and a Switchboard server as child
processes, a client that submits interactions like a real one (retrying the same idempotency key
until it is acknowledged), and the exactly-once checks run at the end."""
import json, os, signal, socket, subprocess, sys, threading, time
import urllib.request, urllib.error

HERE = os.path.dirname(os.path.abspath(__file__))
OPERATOR = {"Authorization": "Bearer load-operator-key"}
FINAL = {"completed", "failed", "dead"}


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


def request(method, url, body=None, headers=None, timeout=10):
    """(status, parsed JSON body or None); raises on connection errors."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            raw = response.read()
            try:
                return response.status, json.loads(raw or b"null")
            except ValueError:
                return response.status, raw.decode(errors="replace")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"null")
        except Exception:
            return error.code, None


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if request("GET", url, timeout=1)[0] == 200:
                return True
        except Exception:
            pass
        time.sleep(0.05)
    return False


def make_tenants(folder, count):
    subprocess.run([sys.executable, os.path.join(HERE, "loadtenants.py"), folder, str(count)], check=True,
                   stdout=subprocess.DEVNULL)


class Sandbox:
    def __init__(self, binary, log, *extra):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([binary, "sandbox", "--port", str(self.port), "--smtp-port", "0", *extra],
                                        stdout=subprocess.DEVNULL, stderr=log)
        if not wait_for(self.url + "/sandbox", 20):
            raise SystemExit("the sandbox did not start")

    def state(self):
        return request("GET", self.url + "/sandbox/state", timeout=30)[1]

    def fault(self, rules):
        status, _ = request("POST", self.url + "/sandbox/faults", {"rules": rules})
        assert status == 201, f"fault rules refused: {status}"

    def clear_faults(self):
        request("DELETE", self.url + "/sandbox/faults")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


class Server:
    def __init__(self, binary, tenants, db, sandbox, log, threads=2, extra=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [binary, "serve", "--port", str(self.port), "--tenants", tenants, "--db", db, "--threads", str(threads),
                     "--sandbox-url", sandbox.url, "--public-url", self.url, "--log-level", "warning", *extra]
        self.log = log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=self.log)
        if not wait_for(self.url + "/readyz"):
            raise SystemExit("the server did not become ready")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def terminate(self):
        """SIGTERM; returns (exit code, seconds to exit)."""
        started = time.time()
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        return code, time.time() - started

    def pid(self):
        return self.process.pid


class Load:
    """Submits interactions at `rate` per second over `tenants` tenants for `seconds`, each with
    its own idempotency key, retried like a real client until acknowledged (or `give_up` s).
    Each attempt goes to `server.url`, read afresh (a load balancer may answer another node)."""

    def __init__(self, server, tenants, rate, seconds, prefix, give_up=120, body=None):
        self.server, self.tenants, self.rate, self.seconds, self.prefix = server, tenants, rate, seconds, prefix
        self.give_up = give_up
        self.body = body or (lambda n: {"from": {"phone": f"+1555{n:07d}", "name": f"Customer {n}"}, "service": "visit",
                                        "text": "please fix the sink"})
        self.acknowledged = {}  # (tenant, key) -> id
        self.acknowledged_by = {}  # (tenant, key) -> the URL that acknowledged it first
        self.statuses = {}  # HTTP status -> count of answers
        self.sent = 0
        self.connection_errors = 0
        self.conflicts = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run)

    def start(self):
        self.thread.start()
        return self

    def join(self):
        self.thread.join()

    def _submit(self, n):
        tenant = f"load-{(n % self.tenants) + 1:02d}"
        key = f"{self.prefix}-{n}"
        headers = {"Authorization": "Bearer load-key", "Idempotency-Key": key}
        deadline = time.time() + self.give_up
        while time.time() < deadline:
            try:
                with self.lock:
                    self.sent += 1
                url = self.server.url
                status, answer = request("POST", f"{url}/v1/tenants/{tenant}/interactions", self.body(n), headers, timeout=5)
                with self.lock:
                    self.statuses[status] = self.statuses.get(status, 0) + 1
                if status in (200, 202):
                    with self.lock:
                        previous = self.acknowledged.get((tenant, key))
                        if previous and previous != answer["id"]:
                            self.conflicts.append(f"key {key} acknowledged as {previous} and then as {answer['id']}")
                        self.acknowledged[(tenant, key)] = answer["id"]
                        self.acknowledged_by.setdefault((tenant, key), url)
                    return
            except Exception:
                with self.lock:
                    self.connection_errors += 1
            time.sleep(0.2)

    def _run(self):
        threads = []
        start = time.time()
        n = 0
        while time.time() - start < self.seconds:
            thread = threading.Thread(target=self._submit, args=(n,))
            thread.start()
            threads.append(thread)
            n += 1
            next_at = start + n / self.rate
            time.sleep(max(0, next_at - time.time()))
        for thread in threads:
            thread.join()


def settle(server, acknowledged, seconds=180):
    """Waits until every acknowledged interaction is final; returns (traces by id, still pending)."""
    traces = {}
    pending = dict(acknowledged)
    deadline = time.time() + seconds
    while pending and time.time() < deadline:
        for (tenant, key), ident in list(pending.items()):
            try:
                status, trace = request("GET", f"{server.url}/v1/tenants/{tenant}/interactions/{ident}", headers=OPERATOR)
            except Exception:
                continue
            if status == 200 and trace["status"] in FINAL:
                traces[ident] = trace
                del pending[(tenant, key)]
        if pending:
            time.sleep(0.5)
    return traces, pending


def exactly_once_failures(server, sandbox, tenants, acknowledged, traces, pending):
    """What breaks exactly-once: unfinished acknowledged work, two interactions for one key, an
    acknowledged id the journal does not have, and any effect the sandbox saw twice."""
    failures = []
    if pending:
        failures.append(f"{len(pending)} acknowledged interactions did not reach a final state")
    keys_seen = {}
    for t in range(1, tenants + 1):
        tenant = f"load-{t:02d}"
        cursor = None
        while True:
            url = f"{server.url}/v1/tenants/{tenant}/interactions?limit=500" + (f"&cursor={cursor}" if cursor else "")
            _, page = request("GET", url, headers=OPERATOR, timeout=30)
            for item in page["data"]:
                key = item.get("idempotency_key")
                if key is None:
                    _, trace = request("GET", f"{server.url}/v1/tenants/{tenant}/interactions/{item['id']}", headers=OPERATOR)
                    key = trace["interaction"].get("idempotency_key")
                keys_seen[(tenant, key)] = keys_seen.get((tenant, key), 0) + 1
            cursor = page.get("next_cursor")
            if not cursor:
                break
    duplicates = [k for k, c in keys_seen.items() if c > 1]
    if duplicates:
        failures.append(f"{len(duplicates)} idempotency keys have more than one interaction")
    missing = [k for k in acknowledged if k not in keys_seen]
    if missing:
        failures.append(f"{len(missing)} acknowledged interactions are not in the journal: {missing[:3]}")

    state = sandbox.state()
    stripe = {k: v for k, v in state["stripe"]["by_idempotency_key"].items() if v > 1}
    calcom = {k: v for k, v in state["calcom"]["by_idempotency_key"].items() if v > 1}
    per_interaction = {}
    for booking in state["calcom"]["list"]:
        ident = (booking.get("metadata") or {}).get("interaction_id")
        if ident:
            per_interaction[ident] = per_interaction.get(ident, 0) + 1
    double_booked = {k: v for k, v in per_interaction.items() if v > 1}
    if stripe:
        failures.append(f"Stripe objects created twice for one key: {list(stripe)[:5]}")
    if calcom or double_booked:
        failures.append(f"bookings made twice: {list(calcom)[:5]} {list(double_booked)[:5]}")
    if state["twilio"]["duplicates"]:
        failures.append(f"SMS sent twice: {json.dumps(state['twilio']['duplicates'])[:300]}")
    effects = {"stripe": sum(state["stripe"]["counts"].values()), "bookings": state["calcom"]["bookings"],
               "sms": state["twilio"]["messages"], "duplicates": len(stripe) + len(calcom) + len(double_booked)
               + (1 if state["twilio"]["duplicates"] else 0)}
    return failures, effects


def by_status(traces):
    counts = {}
    for trace in traces.values():
        counts[trace["status"]] = counts.get(trace["status"], 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"


def effect_results(trace):
    """What the journal said of each effect of a trace: performed, replayed, reconciled, in_doubt..."""
    return [effect.get("result") for step in trace.get("steps", []) for effect in step.get("effects", [])]


def crash_outcomes(traces):
    """(failed with an effect left in doubt, effects found at the provider after a crash or a lost
    answer, completed in spite of an effect in doubt): a customer's share of a crash."""
    failed = sum(1 for t in traces.values() if t["status"] == "failed" and "in_doubt" in effect_results(t))
    reconciled = sum(effect_results(t).count("reconciled") for t in traces.values())
    flagged = sum(1 for t in traces.values() if t["status"] != "failed" and "in_doubt" in effect_results(t))
    return failed, reconciled, flagged


def metric(server, name, labels=None):
    """Sum of a metric's samples whose labels include `labels`."""
    status, text = request("GET", server.url + "/metrics", timeout=30)
    total = 0.0
    for line in (text or "").splitlines():
        if not line.startswith(name):
            continue
        head, _, value = line.rpartition(" ")
        if head != name and not head.startswith(name + "{"):
            continue
        if labels and not all(f'{k}="{v}"' in head for k, v in labels.items()):
            continue
        total += float(value)
    return total
