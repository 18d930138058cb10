"""Voice benchmark: how long Twilio waits for Switchboard's TwiML after posting what the caller
said, measured by the sandbox's call player (`POST /sandbox/voice/calls/{sid}/speech`), which
times each signed webhook from sending it to the end of the TwiML answer.

For each provider latency (`switchboard sandbox --latency-ms N`, every Stripe, Twilio, HubSpot,
Cal.com and Slack call delayed by N ms), it starts the sandbox and `switchboard serve` on the
example tenants, places `--calls` calls to Acme Plumbing, each saying "my kitchen sink is
clogged, can you come on <weekday>?", and reports p50, p99 and the worst speech-to-TwiML time,
and how many answers took the fast path (the flow's answer spoken: the booking, or other times
when that day is full) or the asynchronous one ("we'll text you", the flow finishing afterwards).
Every TwiML answer is also parsed with Python's own XML parser. It fails when any answer is
missing, is not XML, or comes later than Twilio's 15 s.

The calls start at a steady `--rate` (calls per second, open loop: a slow answer does not hold
the next call back), one tenant's phone line at a busy hour. The rate stays under the rate limits
Switchboard keeps for the tenant's providers (Cal.com 2 requests/s, Slack 1/s; a booking makes two
Cal.com calls and one Slack call): past them the bookings queue behind the token buckets and the
benchmark measures the queue, not the answer.

Usage: bench_voice.py SWITCHBOARD_BINARY [--calls 40] [--rate 0.5] [--latency-ms 0,2000]
"""
import argparse, math, os, shutil, sys, tempfile, threading, time
import xml.dom.minidom

from harness import Sandbox, Server, request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TENANT_NUMBER = "+15125550142"
TWILIO_TIMEOUT_MS = 15_000
# Calls ask for the weekdays in turn, so that most of 40 calls find a free drain-cleaning slot on
# the day they ask for; once a day's calendar is full the caller is offered other times instead
# (a question on the call), also the flow's answer.
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def call(base, method, path, body=None, timeout=60):
    status, answer = request(method, base + path, body, timeout=timeout)
    if status >= 300:
        raise SystemExit(f"{method} {path}: HTTP {status}: {str(answer)[:300]}")
    return answer


def percentile(values, p):
    # Nearest rank: the smallest value at or above p% of the samples.
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def check_twiml(turn, problems):
    twiml = turn.get("twiml", "")
    try:
        document = xml.dom.minidom.parseString(twiml.encode())
        if document.documentElement.tagName != "Response":
            problems.append(f"root <{document.documentElement.tagName}>")
    except Exception as error:
        problems.append(f"not XML ({error}): {twiml[:200]}")
    if turn.get("error"):
        problems.append(f"Twilio would refuse it: {turn['error']}")


def place_call(sandbox, index, results, problems, lock):
    caller = f"+1512{5550000 + index:07d}"
    answered = call(sandbox, "POST", "/sandbox/voice/calls", {"from": caller, "to": TENANT_NUMBER})
    if not answered.get("listening"):
        with lock: problems.append(f"call {index}: not listening after the greeting: {answered.get('said')}")
        return
    outcome = call(sandbox, "POST", f"/sandbox/voice/calls/{answered['call_sid']}/speech",
                   {"speech": f"My kitchen sink is clogged, can you come on {WEEKDAYS[index % len(WEEKDAYS)]}? We're in 78704.",
                    "confidence": 0.92})
    turns = [t for t in outcome.get("turns", []) if t.get("kind") == "speech"]
    local = []
    for turn in answered.get("turns", []) + turns:
        check_twiml(turn, local)
    if not turns or "elapsed_ms" not in turns[0]:
        local.append(f"call {index}: no speech turn: {outcome}")
    said = " ".join(outcome.get("said", []))
    path = "async" if "text you the confirmation in a moment" in said else "booked" if "You're booked" in said else "fast"
    with lock:
        problems.extend(local)
        if path and turns and "elapsed_ms" in turns[0]:
            results.append((turns[0]["elapsed_ms"], path))


def run(binary, latency, calls, rate, work, log):
    sandbox = Sandbox(binary, log, "--latency-ms", str(latency), "--log-level", "warning")
    server = None
    try:
        server = Server(binary, os.path.join(ROOT, "tenants"), os.path.join(work, f"journal-{latency}.sqlite"), sandbox, log,
                        extra=("--no-watch",))
        server.start()
        results, problems, lock = [], [], threading.Lock()
        started = time.time()
        threads = []
        for index in range(calls):
            time.sleep(max(0.0, started + index / rate - time.time()))
            thread = threading.Thread(target=place_call, args=(sandbox.url, index, results, problems, lock))
            thread.start()
            threads.append(thread)
        for thread in threads: thread.join()
        return results, problems, time.time() - started
    finally:
        if server is not None and server.process is not None:
            server.terminate()
        sandbox.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--rate", type=float, default=0.5, help="calls started per second")
    parser.add_argument("--latency-ms", default="0,2000")
    args = parser.parse_args()
    latencies = [int(x) for x in args.latency_ms.split(",") if x.strip()]

    work = tempfile.mkdtemp(prefix="switchboard-bench-voice-")
    log = open(os.path.join(work, "log.txt"), "wb")
    rows, failed = [], False
    try:
        for latency in latencies:
            results, problems, seconds = run(args.binary, latency, args.calls, args.rate, work, log)
            times = [r[0] for r in results]
            fast = sum(1 for r in results if r[1] != "async")
            booked = sum(1 for r in results if r[1] == "booked")
            if problems or len(times) != args.calls:
                failed = True
                print(f"  {latency} ms: {len(times)} of {args.calls} answers; problems: {problems[:5]}", file=sys.stderr)
            if not times:
                continue
            worst = max(times)
            if worst >= TWILIO_TIMEOUT_MS:
                failed = True
            rows.append((latency, len(times), percentile(times, 50), percentile(times, 99), worst, fast, len(times) - fast))
            print(f"  {latency} ms provider latency: {len(times)} calls at {args.rate:g}/s in {seconds:.1f} s, speech → TwiML p50 {percentile(times, 50):.0f} ms "
                  f"p99 {percentile(times, 99):.0f} ms max {worst:.0f} ms ({fast} fast, {booked} of them booked; {len(times) - fast} async)", flush=True)
    finally:
        log.close()
        if failed:
            print(f"logs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    print("\n| provider latency | calls | speech → TwiML p50 | p99 | max | answered with the outcome | answered \"we'll text you\" |")
    print("|---|---|---|---|---|---|---|")
    for latency, count, p50, p99, worst, fast, slow in rows:
        print(f"| {latency} ms | {count} | {p50:.0f} ms | {p99:.0f} ms | {worst:.0f} ms | {fast} | {slow} |")
    print(f"\nTwilio waits {TWILIO_TIMEOUT_MS // 1000} s for a webhook's answer; every TwiML answer above was parsed as XML.")
    sys.exit(1 if failed else 0)


main()
