"""End-to-end benchmark: interactions resolved per second on the sandbox, and webhook
acknowledgements per second, with wrk as the client.

Resolution: wrk keeps C connections busy posting interactions with `Prefer: wait=60`, so each
answer comes when the flow has finished (customer lookup and creation in the CRM, calendar slots
and booking, a Stripe deposit link, an SMS, a Slack post, a CRM note: 7 provider calls, every
step journaled): wrk's requests/s is interactions resolved per second and its latency the
resolution time. Run at 0 ms and at 50 ms injected provider latency.

Acknowledgement: wrk posts pre-signed Stripe webhooks (unique event ids); each answer comes once
the webhook is verified and durably stored (group commit, synchronous=FULL).

Growth (--prefill N, with --journal-bench BENCHJOURNAL_BINARY): the same resolution at 0 ms,
alternating round by round between an empty journal and one holding N finished interactions the
size of real ones (spread over the load tenants), and what the scheduler's and the metrics'
periodic queries take on each (Benchmarks/Journal).

Usage: bench_e2e.py SWITCHBOARD_BINARY [--duration 15] [--rounds 3] [--connections 256]
                    [--prefill N --journal-bench PATH]
"""
import argparse, hashlib, hmac, json, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))

RESOLVE_LUA = r"""
local counter = 0
local tenants = tonumber(os.getenv("TENANTS"))
local thread_id = 0
function setup(thread) thread:set("id", thread_id); thread_id = thread_id + 1 end
function init(args) counter = 0 end
function request()
  counter = counter + 1
  local n = id * 100000000 + counter + tonumber(os.getenv("OFFSET"))
  local tenant = string.format("load-%02d", (n % tenants) + 1)
  local body = string.format('{"from":{"phone":"+1%010d","name":"Bench %d"},"service":"visit","text":"please fix it"}', n, n)
  return wrk.format("POST", "/v1/tenants/" .. tenant .. "/interactions",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer load-key", ["Prefer"] = "wait=60"}, body)
end
"""

ACK_LUA = r"""
local lines = {}
local index = 0
local thread_id = 0
function setup(thread) thread:set("id", thread_id); thread_id = thread_id + 1 end
function init(args)
  for line in io.lines(os.getenv("WEBHOOKS")) do lines[#lines + 1] = line end
  index = 0
end
function request()
  index = index + 1
  local line = lines[index]
  if line == nil then index = 1; line = lines[1] end
  local tenant, signature, body = line:match("^(%S+) (%S+) (.*)$")
  return wrk.format("POST", "/v1/tenants/" .. tenant .. "/webhooks/stripe",
    {["Content-Type"] = "application/json", ["Stripe-Signature"] = signature}, body)
end
"""


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read()


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read()


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            get(url)
            return
        except Exception:
            time.sleep(0.05)
    raise SystemExit(f"{url} did not answer")


def to_ms(token):
    number = float(re.sub(r"[a-z]+$", "", token))
    if token.endswith("us"): return number / 1000
    if token.endswith("ms"): return number
    if token.endswith("s"): return number * 1000
    return number


def wrk(url, script, env, connections, duration):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
        path = f.name
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "90s", "--latency", "-s", path, url],
                         capture_output=True, text=True, env={**os.environ, **env}).stdout
    os.unlink(path)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m: errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m: errors += sum(int(x) for x in m.groups())
    return rps, p50, p99, errors, out


def resolve_round(args, work, tenants_dir, log, db, offset, latency=0):
    """One resolution run against the journal file `db`; returns wrk's figures."""
    sandbox_port, port = free_port(), free_port()
    sandbox = subprocess.Popen([args.binary, "sandbox", "--port", str(sandbox_port), "--smtp-port", "0",
                                "--latency-ms", str(latency)], stdout=subprocess.DEVNULL, stderr=log)
    wait_for(f"http://127.0.0.1:{sandbox_port}/sandbox")
    server = subprocess.Popen([args.binary, "serve", "--port", str(port), "--tenants", tenants_dir, "--db", db,
                               "--sandbox-url", f"http://127.0.0.1:{sandbox_port}", "--log-level", "error"],
                              stdout=subprocess.DEVNULL, stderr=log)
    wait_for(f"http://127.0.0.1:{port}/readyz", seconds=120)
    figures = wrk(f"http://127.0.0.1:{port}", RESOLVE_LUA, {"TENANTS": str(args.tenants), "OFFSET": str(offset)},
                  args.connections, args.duration)
    server.terminate(); server.wait(timeout=30)
    sandbox.terminate(); sandbox.wait(timeout=20)
    return figures[:4]


def growth(args, work, tenants_dir, log):
    tenants = ",".join(f"load-{n:02d}" for n in range(1, args.tenants + 1))
    template = os.path.join(work, "prefilled.sqlite")
    print(f"== filling a journal with {args.prefill:,} finished interactions over {args.tenants} tenants", flush=True)
    subprocess.run([args.journal_bench, template, str(args.prefill), tenants], check=True)
    print("== the same queries on an empty journal", flush=True)
    subprocess.run([args.journal_bench, os.path.join(work, "empty-queries.sqlite"), "0", tenants], check=True)
    size = sum(os.path.getsize(template + suffix) for suffix in ("", "-wal") if os.path.exists(template + suffix))
    print(f"== journal file: {size / 2**20:,.0f} MiB", flush=True)
    results = {"empty": [], "prefilled": []}
    for round_number in range(args.rounds):
        for kind in ("empty", "prefilled"):
            db = os.path.join(work, f"journal-{kind}-{round_number}.sqlite")
            if kind == "prefilled":
                for suffix in ("", "-wal"):
                    if os.path.exists(template + suffix): shutil.copyfile(template + suffix, db + suffix)
            rps, p50, p99, errors = resolve_round(args, work, tenants_dir, log, db, offset=(round_number * 2 + (kind == "prefilled")) * 10_000_000)
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix): os.unlink(db + suffix)
            results[kind].append((rps, p50, p99, errors))
            print(f"  resolve, 0 ms provider latency, {kind} journal, round {round_number + 1}: {rps:,.0f}/s p50 {p50:.1f} ms "
                  f"p99 {p99:.1f} ms errors {errors}", flush=True)
    print(f"\n| journal | interactions resolved per second, median (min..max) | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|")
    for kind in ("empty", "prefilled"):
        runs = results[kind]
        rates = [r[0] for r in runs]
        label = "empty" if kind == "empty" else f"{args.prefill:,} finished interactions"
        print(f"| {label} | {statistics.median(rates):,.0f} ({min(rates):,.0f}..{max(rates):,.0f}) | "
              f"{statistics.median(r[1] for r in runs):.1f} | {statistics.median(r[2] for r in runs):.1f} | {sum(r[3] for r in runs)} |")
    empty, full = (statistics.median(r[0] for r in results[k]) for k in ("empty", "prefilled"))
    print(f"\nprefilled / empty: {full / empty:.1%} (target: within 10%)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--tenants", type=int, default=200)
    parser.add_argument("--prefill", type=int, default=0)
    parser.add_argument("--journal-bench")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="switchboard-bench-")
    tenants_dir = os.path.join(work, "tenants")
    subprocess.run([sys.executable, os.path.join(HERE, "loadtenants.py"), tenants_dir, str(args.tenants)], check=True)
    log = open(os.path.join(work, "log.txt"), "wb")
    if args.prefill:
        growth(args, work, tenants_dir, log)
        shutil.rmtree(work, ignore_errors=True)
        return
    results = {}
    for latency in (0, 50):
        for round_number in range(args.rounds):
            sandbox_port, port = free_port(), free_port()
            sandbox = subprocess.Popen([args.binary, "sandbox", "--port", str(sandbox_port), "--smtp-port", "0",
                                        "--latency-ms", str(latency)], stdout=subprocess.DEVNULL, stderr=log)
            wait_for(f"http://127.0.0.1:{sandbox_port}/sandbox")
            db = os.path.join(work, f"journal-{latency}-{round_number}.sqlite")
            server = subprocess.Popen([args.binary, "serve", "--port", str(port), "--tenants", tenants_dir, "--db", db,
                                       "--sandbox-url", f"http://127.0.0.1:{sandbox_port}", "--log-level", "error"],
                                      stdout=subprocess.DEVNULL, stderr=log)
            wait_for(f"http://127.0.0.1:{port}/readyz")
            rps, p50, p99, errors, out = wrk(f"http://127.0.0.1:{port}", RESOLVE_LUA,
                                             {"TENANTS": str(args.tenants), "OFFSET": str(round_number * 10_000_000)},
                                             args.connections, args.duration)
            completed = len(re.findall(rb'"completed"', b""))
            server.terminate(); server.wait(timeout=20)
            sandbox.terminate(); sandbox.wait(timeout=20)
            results.setdefault(("resolve", latency), []).append((rps, p50, p99, errors))
            print(f"  resolve, {latency} ms provider latency, round {round_number + 1}: {rps:,.0f}/s p50 {p50:.1f} ms p99 {p99:.1f} ms errors {errors}",
                  flush=True)

    # Webhook acknowledgement.
    webhooks = os.path.join(work, "webhooks.txt")
    now = int(time.time())
    with open(webhooks, "w") as f:
        for n in range(400_000):
            tenant = (n % args.tenants) + 1
            body = json.dumps({"id": f"evt_bench_{n}", "object": "event", "type": "payment_intent.payment_failed",
                               "data": {"object": {"id": f"pi_bench_{n}", "object": "payment_intent", "amount": 500,
                                                   "metadata": {}}}}, separators=(",", ":"))
            secret = f"whsec_load_{tenant}".encode()
            signature = hmac.new(secret, f"{now}.{body}".encode(), hashlib.sha256).hexdigest()
            f.write(f"load-{tenant:02d} t={now},v1={signature} {body}\n")
    for round_number in range(args.rounds):
        sandbox_port, port = free_port(), free_port()
        sandbox = subprocess.Popen([args.binary, "sandbox", "--port", str(sandbox_port), "--smtp-port", "0"],
                                   stdout=subprocess.DEVNULL, stderr=log)
        wait_for(f"http://127.0.0.1:{sandbox_port}/sandbox")
        db = os.path.join(work, f"journal-ack-{round_number}.sqlite")
        server = subprocess.Popen([args.binary, "serve", "--port", str(port), "--tenants", tenants_dir, "--db", db,
                                   "--sandbox-url", f"http://127.0.0.1:{sandbox_port}", "--log-level", "error"],
                                  stdout=subprocess.DEVNULL, stderr=log)
        wait_for(f"http://127.0.0.1:{port}/readyz")
        rps, p50, p99, errors, out = wrk(f"http://127.0.0.1:{port}", ACK_LUA, {"WEBHOOKS": webhooks}, 64, min(args.duration, 10))
        server.terminate(); server.wait(timeout=30)
        sandbox.terminate(); sandbox.wait(timeout=20)
        results.setdefault(("ack", 0), []).append((rps, p50, p99, errors))
        print(f"  webhook ack, round {round_number + 1}: {rps:,.0f}/s p50 {p50:.2f} ms p99 {p99:.2f} ms errors {errors}", flush=True)

    print("\n| case | per second, median (min..max) | p50 ms | p99 ms | errors | target |")
    print("|---|---|---|---|---|---|")
    targets = {("resolve", 0): "≥ 1,500/s", ("resolve", 50): "≥ 1,000/s", ("ack", 0): "≥ 10,000/s"}
    for key in [("resolve", 0), ("resolve", 50), ("ack", 0)]:
        runs = results.get(key, [])
        if not runs: continue
        rates = [r[0] for r in runs]
        name = f"interactions resolved, {key[1]} ms provider latency" if key[0] == "resolve" else "webhooks acknowledged (durable)"
        print(f"| {name} | {statistics.median(rates):,.0f} ({min(rates):,.0f}..{max(rates):,.0f}) | "
              f"{statistics.median(r[1] for r in runs):.1f} | {statistics.median(r[2] for r in runs):.1f} | "
              f"{sum(r[3] for r in runs)} | {targets[key]} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
