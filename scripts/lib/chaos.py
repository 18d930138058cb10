"""Chaos: faults under steady load, each followed by the exactly-once checks (every acknowledged
interaction reaches one final state; no idempotency key has two interactions; the sandbox saw no
payment, booking or SMS twice).

  kill      kill -9 at random points, restart each time
  sigterm   SIGTERM mid-load: exit 0 within 10 s, restart, carry on
  disk      the database's filesystem fills up (a small tmpfs; needs root): writes fail with
            503, nothing is acknowledged that was not stored, service returns with the space
  outage    the calendar provider answers 503 for a while: the breaker opens, interactions
            wait (retrying) or fail per policy, and new ones complete once it is back

Usage: chaos.py BINARY [--quick] [--only kill,sigterm,disk,outage] [--rate N] [--seconds N]
Prints a table per scenario and PASS or FAIL; exits non-zero on any FAIL.
"""
import argparse, os, random, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (Load, Sandbox, Server, by_status, crash_outcomes, exactly_once_failures, make_tenants, metric, request,
                     settle)

TENANTS = 4


class Run:
    """One scenario's processes, in a scratch folder kept only when it fails."""

    def __init__(self, args, name, db_folder=None):
        self.args, self.name = args, name
        self.work = tempfile.mkdtemp(prefix=f"switchboard-chaos-{name}-")
        self.tenants = os.path.join(self.work, "tenants")
        make_tenants(self.tenants, TENANTS)
        self.log = open(os.path.join(self.work, "server.log"), "wb")
        self.sandbox = Sandbox(args.binary, self.log)
        db = os.path.join(db_folder or self.work, "journal.sqlite")
        self.server = Server(args.binary, self.tenants, db, self.sandbox, self.log)
        self.server.start()
        self.rows = []
        self.failures = []

    def load(self, seconds, prefix=None):
        return Load(self.server, TENANTS, self.args.rate, seconds, prefix or self.name).start()

    def check(self, *loads, settle_seconds=180):
        acknowledged = {}
        for load in loads:
            acknowledged.update(load.acknowledged)
            self.failures += load.conflicts
        traces, pending = settle(self.server, acknowledged, settle_seconds)
        failures, effects = exactly_once_failures(self.server, self.sandbox, TENANTS, acknowledged, traces, pending)
        self.failures += failures
        sent = sum(load.sent for load in loads)
        answers = {}
        for load in loads:
            for status, count in load.statuses.items():
                answers[status] = answers.get(status, 0) + count
        self.rows += [
            ("load", f"{self.args.rate:g} interactions/s over {TENANTS} tenants"),
            ("requests sent (client retries included)", f"{sent}; answers " + ", ".join(f"{k}: {v}" for k, v in sorted(answers.items()))
             + f"; connection errors {sum(load.connection_errors for load in loads)}"),
            ("acknowledged", len(acknowledged)),
            ("final states", by_status(traces)),
            ("Stripe objects, bookings, SMS", f"{effects['stripe']}, {effects['bookings']}, {effects['sms']}"),
            ("duplicate effects", effects["duplicates"]),
        ]
        failed, reconciled, flagged = crash_outcomes(traces)
        share = failed / len(acknowledged) if acknowledged else 0
        self.rows += [
            ("ended failed because an effect was left in doubt", f"{failed} ({share:.2%} of acknowledged)"),
            ("effects looked up and found at the provider", reconciled),
            ("finished with an effect in doubt flagged for the operator", flagged),
            ("why the failed ones failed (most common)", failure_reasons(traces)),
        ]
        return traces

    def finish(self):
        code, seconds = self.server.terminate()
        self.rows.append(("graceful exit at the end", f"code {code} in {seconds:.1f} s"))
        if code != 0:
            self.failures.append(f"the server exited with {code} on SIGTERM")
        self.sandbox.stop()
        print(f"\n### {self.name}\n\n| figure | value |\n|---|---|")
        for label, value in self.rows:
            print(f"| {label} | {value} |")
        for failure in self.failures:
            print(f"FAIL ({self.name}): {failure}")
        if self.failures:
            print(f"logs and journal kept in {self.work}")
            return False
        print(f"PASS ({self.name})")
        shutil.rmtree(self.work, ignore_errors=True)
        return True


def failure_reasons(traces, top=3):
    counts = {}
    for trace in traces.values():
        if trace["status"] == "failed":
            reason = (trace.get("reason") or "no reason")[:70]
            counts[reason] = counts.get(reason, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])[:top]
    return "; ".join(f"{count} × {reason}" for reason, count in ranked) or "none"


def kill(args):
    run = Run(args, "kill")
    load = run.load(args.seconds)
    kills = args.kills
    for _ in range(kills):
        time.sleep(random.uniform(0.5, 1.5) * args.seconds / (kills + 1))
        run.server.kill()
        run.server.start()
    load.join()
    run.rows.append(("kill -9 survived", kills))
    run.check(load)
    return run.finish()


def sigterm(args):
    run = Run(args, "sigterm")
    load = run.load(args.seconds)
    time.sleep(args.seconds / 2)
    code, seconds = run.server.terminate()
    run.rows.append(("SIGTERM mid-load", f"exit code {code} in {seconds:.1f} s"))
    if code != 0 or seconds > 10:
        run.failures.append(f"SIGTERM under load: exit code {code} after {seconds:.1f} s (want 0 within 10 s)")
    run.server.start()
    load.join()
    run.check(load)
    return run.finish()


def disk(args):
    if os.geteuid() != 0:
        print("\n### disk\n\nSKIP (disk): mounting a small tmpfs for the database needs root")
        return True
    mount = tempfile.mkdtemp(prefix="switchboard-chaos-disk-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount], check=True)
    try:
        run = Run(args, "disk", db_folder=mount)
        before = run.load(args.seconds / 3, "disk-before")
        before.join()
        # Fill the filesystem: the journal's next writes find no space.
        filler = os.path.join(mount, "filler")
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M"], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        full = Load(run.server, TENANTS, args.rate, args.seconds / 2, "disk-full", give_up=args.seconds / 2).start()
        full.join()
        refused = full.statuses.get(503, 0)
        run.rows.append(("while the disk was full", f"{full.sent} requests: " + ", ".join(f"{k}: {v}" for k, v in sorted(full.statuses.items()))))
        if refused == 0:
            run.failures.append("no write was refused while the disk was full (the scenario did not bite)")
        health = request("GET", run.server.url + "/healthz")[0]
        if health != 200:
            run.failures.append(f"/healthz answered {health} while the disk was full")
        os.remove(filler)
        after = run.load(args.seconds / 3, "disk-after")
        after.join()
        if not after.acknowledged:
            run.failures.append("nothing was acknowledged after space returned")
        run.rows.append(("after space returned", f"{len(after.acknowledged)} acknowledged"))
        run.check(before, full, after)
        return run.finish()
    finally:
        subprocess.run(["umount", "-l", mount])
        shutil.rmtree(mount, ignore_errors=True)


def outage(args):
    run = Run(args, "outage")
    calm = run.load(args.seconds / 3, "outage-before")
    calm.join()
    run.sandbox.fault([{"path": "/calcom", "error_rate": 1, "error_status": 503}])
    during = run.load(args.outage, "outage-during")
    during.join()
    rejections = metric(run.server, "switchboard_provider_breaker_rejections_total", {"provider": "scheduling"})
    run.sandbox.clear_faults()
    after = run.load(args.seconds / 3, "outage-after")
    after.join()
    run.rows.append(("calendar outage", f"{args.outage:g} s of 503s"))
    run.rows.append(("calls refused by the open breaker", f"{rejections:g}"))
    if rejections == 0:
        run.failures.append("the breaker never opened during the outage")
    traces = run.check(calm, during, after, settle_seconds=300)
    during_ids = set(during.acknowledged.values())
    run.rows.append(("acknowledged during the outage", f"{len(during_ids)}: "
                     + by_status({i: t for i, t in traces.items() if i in during_ids})))
    after_ids = set(after.acknowledged.values())
    completed_after = sum(1 for i in after_ids if traces.get(i, {}).get("status") == "completed")
    run.rows.append(("acknowledged after it, completed", f"{completed_after} of {len(after_ids)}"))
    if after_ids and completed_after == 0:
        run.failures.append("nothing completed after the provider came back")
    return run.finish()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--quick", action="store_true", help="short runs for CI")
    parser.add_argument("--only", default="kill,sigterm,disk,outage")
    parser.add_argument("--rate", type=float)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--kills", type=int)
    parser.add_argument("--outage", type=float, help="seconds the calendar is down")
    args = parser.parse_args()
    args.rate = args.rate or (15 if args.quick else 40)
    args.seconds = args.seconds or (12 if args.quick else 40)
    args.kills = args.kills or (2 if args.quick else 5)
    args.outage = args.outage or (15 if args.quick else 120)
    scenarios = {"kill": kill, "sigterm": sigterm, "disk": disk, "outage": outage}
    results = []
    for name in args.only.split(","):
        if name not in scenarios:
            raise SystemExit(f"unknown scenario {name}; known: {', '.join(scenarios)}")
        results.append(scenarios[name](args))
    if not all(results):
        sys.exit(1)
    print("\nPASS: every scenario")


main()
