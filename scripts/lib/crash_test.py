"""Crash test: kill -9 the server under load, restart it, and check that every acknowledged
interaction ends exactly once and that no provider effect happened twice.

Usage: crash_test.py SWITCHBOARD_BINARY [--seconds 40] [--rate 40] [--kills 5] [--tenants 4]
Prints the figures and PASS or FAIL; exits non-zero on FAIL.
"""
import argparse, hashlib, json, os, random, shutil, signal, socket, subprocess, sys, tempfile, threading, time
import urllib.request, urllib.error

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


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


def wait_ready(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            status, _ = request("GET", url + "/readyz", timeout=1)
            if status == 200:
                return True
        except Exception:
            pass
        time.sleep(0.05)
    return False


class Server:
    def __init__(self, binary, port, tenants, db, sandbox_url, log):
        self.args = [binary, "serve", "--port", str(port), "--tenants", tenants, "--db", db, "--threads", "2",
                     "--sandbox-url", sandbox_url, "--public-url", f"http://127.0.0.1:{port}", "--log-level", "warning"]
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=self.log)
        if not wait_ready(self.url):
            raise SystemExit("the server did not become ready")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=15)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--rate", type=float, default=40)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--tenants", type=int, default=4)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="switchboard-crash-")
    tenants = os.path.join(work, "tenants")
    subprocess.run([sys.executable, os.path.join(HERE, "loadtenants.py"), tenants, str(args.tenants)], check=True)
    log = open(os.path.join(work, "server.log"), "wb")
    sandbox_port = free_port()
    sandbox = subprocess.Popen([args.binary, "sandbox", "--port", str(sandbox_port), "--smtp-port", "0"],
                               stdout=subprocess.DEVNULL, stderr=log)
    sandbox_url = f"http://127.0.0.1:{sandbox_port}"
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            if request("GET", sandbox_url + "/sandbox", timeout=1)[0] == 200:
                break
        except Exception:
            time.sleep(0.05)
    server = Server(args.binary, free_port(), tenants, os.path.join(work, "journal.sqlite"), sandbox_url, log)
    server.start()

    acknowledged = {}  # (tenant, key) -> id
    lock = threading.Lock()
    stop = threading.Event()
    attempts = {"sent": 0, "errors": 0}

    def submit(n):
        tenant = f"load-{(n % args.tenants) + 1:02d}"
        key = f"crash-{n}"
        body = {"from": {"phone": f"+1555{n:07d}", "name": f"Customer {n}"}, "service": "visit", "text": "please fix the sink"}
        headers = {"Authorization": "Bearer load-key", "Idempotency-Key": key}
        # Like a real client: retry the same key until it is acknowledged.
        give_up = time.time() + 120
        while time.time() < give_up:
            try:
                with lock:
                    attempts["sent"] += 1
                status, answer = request("POST", f"{server.url}/v1/tenants/{tenant}/interactions", body, headers, timeout=5)
                if status in (200, 202):
                    with lock:
                        previous = acknowledged.get((tenant, key))
                        if previous and previous != answer["id"]:
                            print(f"FAIL: key {key} acknowledged as {previous} and then as {answer['id']}")
                        acknowledged[(tenant, key)] = answer["id"]
                    return
            except Exception:
                pass
            with lock:
                attempts["errors"] += 1
            time.sleep(0.1)

    def load():
        n = 0
        threads = []
        start = time.time()
        while time.time() - start < args.seconds:
            thread = threading.Thread(target=submit, args=(n,))
            thread.start()
            threads.append(thread)
            n += 1
            time.sleep(1 / args.rate)
        for thread in threads:
            thread.join()

    loader = threading.Thread(target=load)
    loader.start()
    kills = 0
    for k in range(args.kills):
        time.sleep(random.uniform(0.5, 1.5) * args.seconds / (args.kills + 1))
        server.kill()
        kills += 1
        server.start()
    loader.join()

    # Every acknowledged interaction must reach a final state.
    final = {"completed", "failed", "dead"}
    statuses = {}
    deadline = time.time() + 180
    pending = dict(acknowledged)
    while pending and time.time() < deadline:
        for (tenant, key), ident in list(pending.items()):
            status, trace = request("GET", f"{server.url}/v1/tenants/{tenant}/interactions/{ident}", headers={"Authorization": "Bearer load-operator-key"})
            if status == 200 and trace["status"] in final:
                statuses[ident] = trace
                del pending[(tenant, key)]
        if pending:
            time.sleep(0.5)

    failures = []
    if pending:
        failures.append(f"{len(pending)} acknowledged interactions did not reach a final state")
    # Exactly once: one interaction per key in the journal.
    keys_seen = {}
    for t in range(1, args.tenants + 1):
        tenant = f"load-{t:02d}"
        cursor = None
        while True:
            url = f"{server.url}/v1/tenants/{tenant}/interactions?limit=500" + (f"&cursor={cursor}" if cursor else "")
            _, page = request("GET", url, headers={"Authorization": "Bearer load-operator-key"})
            for item in page["data"]:
                _, trace = request("GET", f"{server.url}/v1/tenants/{tenant}/interactions/{item['id']}", headers={"Authorization": "Bearer load-operator-key"})
                key = trace["interaction"].get("idempotency_key")
                keys_seen[(tenant, key)] = keys_seen.get((tenant, key), 0) + 1
            cursor = page.get("next_cursor")
            if not cursor:
                break
    duplicate_keys = [k for k, c in keys_seen.items() if c > 1]
    if duplicate_keys:
        failures.append(f"{len(duplicate_keys)} idempotency keys have more than one interaction")

    # No effect twice at the providers.
    _, state = request("GET", sandbox_url + "/sandbox/state")
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

    by_status = {}
    reasons = {}
    in_doubt = 0
    for trace in statuses.values():
        by_status[trace["status"]] = by_status.get(trace["status"], 0) + 1
        in_doubt += len(trace.get("flags") or [])
        if trace["status"] != "completed":
            steps = trace.get("steps") or []
            last_error = next((s["decision"]["reasons"][-1] for s in reversed(steps) if s.get("outcome") not in ("ok", None)
                               and s["decision"]["reasons"]), "")
            reason = f"{trace['status']}: {trace.get('reason')} ({last_error[:120]})"
            reasons[reason] = reasons.get(reason, 0) + 1
    exit_code = server.stop()
    sandbox.terminate()
    sandbox.wait(timeout=15)

    print(f"| figure | value |\n|---|---|")
    print(f"| load | {args.rate:g} interactions/s for {args.seconds:g} s over {args.tenants} tenants |")
    print(f"| kill -9 survived | {kills} |")
    print(f"| requests sent (with client retries) | {attempts['sent']} ({attempts['errors']} failed and were retried) |")
    print(f"| acknowledged | {len(acknowledged)} |")
    print(f"| final states | " + ", ".join(f"{k} {v}" for k, v in sorted(by_status.items())) + " |")
    print(f"| effects left in doubt (flagged, not repeated) | {in_doubt} |")
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1])[:6]:
        print(f"| not completed: {reason} | {count} |")
    print(f"| Stripe objects, bookings, SMS | {sum(state['stripe']['counts'].values())}, {state['calcom']['bookings']}, {state['twilio']['messages']} |")
    print(f"| duplicate effects | {len(stripe_dupes) + len(calcom_dupes) + len(double_booked) + (1 if twilio_dupes else 0)} |")
    print(f"| graceful exit code after the run | {exit_code} |")
    if failures or exit_code != 0:
        for failure in failures:
            print("FAIL:", failure)
        print(f"logs and journal kept in {work}")
        sys.exit(1)
    print("PASS: every acknowledged interaction reached one final state; no effect happened twice")
    shutil.rmtree(work, ignore_errors=True)


main()
