"""Multi-node test: several Switchboard nodes on one PostgreSQL database under load, one of them
killed with kill -9 mid-way and not restarted. Checks that every acknowledged interaction
reaches one final state, none twice, and completes unless the kill left an effect of it in doubt;
that no interaction ran on two live nodes; that no provider effect happened twice; that the dead
node's unfinished work was finished by the others within the lease plus a margin; and that no
log shows the database password.

Usage: multinode.py SWITCHBOARD_BINARY --db URL [--nodes 3] [--seconds 20] [--rate 30] [--lease 3]
                    [--tenants 4] [--latency-ms 100] [--margin 5] [--json]
Prints the figures and PASS or FAIL; exits non-zero on FAIL. --json adds one line of figures.
"""
import argparse, itertools, json, os, shutil, statistics, sys, tempfile, threading, time
from datetime import datetime
from urllib.parse import unquote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import FINAL, OPERATOR, Load, Sandbox, Server, by_status, exactly_once_failures, make_tenants, request, settle

VICTIM = "node-1"  # nodes[1], the one killed


class Balancer:
    """What the load's clients see as one server: each request goes to the next live node."""

    def __init__(self, nodes):
        self.nodes, self.dead, self.turn, self.lock = nodes, set(), itertools.count(), threading.Lock()

    @property
    def url(self):
        with self.lock:
            live = [node for node in self.nodes if node.url not in self.dead]
            return live[next(self.turn) % len(live)].url


def unix(iso):
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def handover_problems(trace, killed_at):
    """A step may only move from the killed node to another one, after the kill."""
    problems = []
    steps = sorted(trace.get("steps") or [], key=lambda s: s["sequence"])
    for before, after in zip(steps, steps[1:]):
        if before.get("node") == after.get("node"):
            continue
        if before.get("node") != VICTIM:
            problems.append(f"{trace['id']}: step {after['sequence']} ran on {after.get('node')} after {before.get('node')}")
        elif unix(after["started_at"]) < killed_at - 0.5:
            problems.append(f"{trace['id']}: step {after['sequence']} taken over from {VICTIM} before it was killed")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--db", required=True)
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=30)
    parser.add_argument("--lease", type=float, default=3)
    parser.add_argument("--tenants", type=int, default=4)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--margin", type=float, default=5, help="seconds allowed past the lease to finish the dead node's work")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    password = unquote(urlsplit(args.db).password or "")

    work = tempfile.mkdtemp(prefix="switchboard-multinode-")
    tenants = os.path.join(work, "tenants")
    make_tenants(tenants, args.tenants)
    logs = [open(os.path.join(work, f"node-{i}.log"), "wb") for i in range(args.nodes)]
    sandbox = Sandbox(args.binary, open(os.path.join(work, "sandbox.log"), "wb"), "--latency-ms", str(args.latency_ms))
    nodes = [Server(args.binary, tenants, args.db, sandbox, logs[i], extra=["--node-id", f"node-{i}", "--lease-seconds", f"{args.lease:g}"])
             for i in range(args.nodes)]
    for node in nodes:
        # One public URL for all, as behind a load balancer: the links and return URLs a step
        # sends to a provider must be the same whichever node runs (or re-runs) it.
        node.args += ["--public-url", nodes[0].url]
        node.start()
    victim, survivor = nodes[1], nodes[0]
    balancer = Balancer(nodes)

    load = Load(balancer, args.tenants, args.rate, args.seconds, "multinode").start()
    time.sleep(args.seconds * 0.4)
    victim.kill()
    killed_at = time.time()
    balancer.dead.add(victim.url)
    # The dead node's acknowledged work that it had not finished is leased to a dead node now.
    with load.lock:
        theirs = [(k, v) for k, v in load.acknowledged.items() if load.acknowledged_by.get(k) == victim.url]
    orphans = []
    for (tenant, _), ident in theirs:
        status, found = request("GET", f"{survivor.url}/v1/tenants/{tenant}/interactions/{ident}", headers=OPERATOR)
        if status == 200 and found["status"] not in FINAL:
            orphans.append(ident)
    load.join()

    traces, pending = settle(survivor, load.acknowledged, 120)
    failures, effects = exactly_once_failures(survivor, sandbox, args.tenants, load.acknowledged, traces, pending)
    failures += load.conflicts
    # Every one completes, unless the kill left one of its effects in doubt (flagged, not repeated).
    unexplained = [t["id"] for t in traces.values() if t["status"] != "completed" and not t.get("flags")]
    if unexplained:
        failures.append(f"{len(unexplained)} interactions did not complete and no effect of theirs was in doubt: {unexplained[:3]}")
    handovers = [problem for trace in traces.values() for problem in handover_problems(trace, killed_at)]
    failures += handovers[:5]

    # How soon the dead node's work came back: its next step on another node (or, when the kill
    # came after its last step, its end), and its end.
    resumed, finished = [], []
    for ident in orphans:
        trace = traces.get(ident)
        if not trace:
            continue
        ended = unix(trace["updated_at"]) - killed_at
        taken = [unix(s["started_at"]) - killed_at for s in trace.get("steps") or [] if s.get("node") not in (None, VICTIM)]
        resumed.append(min(taken + [ended]))
        finished.append(ended)
    if orphans and not finished:
        failures.append("none of the dead node's unfinished interactions finished")
    if finished and max(finished) > args.lease + args.margin:
        failures.append(f"the dead node's work finished {max(finished):.1f} s after the kill, "
                        f"more than the lease ({args.lease:g} s) + {args.margin:g} s")

    exits = [node.terminate()[0] for node in nodes if node is not victim]
    sandbox.stop()
    if any(code != 0 for code in exits):
        failures.append(f"graceful exit codes {exits}")
    for i, log in enumerate(logs):
        log.close()
        if password and password.encode() in open(log.name, "rb").read():
            failures.append(f"node-{i}'s log shows the database password")

    def spread(values):
        return f"{statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})" if values else "-"

    rows = [
        ("nodes, lease", f"{args.nodes} on one PostgreSQL, {args.lease:g} s"),
        ("load", f"{args.rate:g} interactions/s for {args.seconds:g} s over {args.tenants} tenants, {args.latency_ms} ms provider latency"),
        ("requests sent (client retries included)", f"{load.sent}; connection errors {load.connection_errors}"),
        ("acknowledged", len(load.acknowledged)),
        ("final states", by_status(traces)),
        ("effects left in doubt by the kill (flagged, not repeated)", sum(len(t.get("flags") or []) for t in traces.values())),
        ("Stripe objects, bookings, SMS", f"{effects['stripe']}, {effects['bookings']}, {effects['sms']}"),
        ("duplicate effects", effects["duplicates"]),
        ("steps run by two live nodes", len(handovers)),
        ("killed node's unfinished interactions", len(orphans)),
        ("resumed by another node, s after the kill: median (min, max)", spread(resumed)),
        ("finished, s after the kill: median (min, max)", spread(finished)),
    ]
    print("| figure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    if args.json:
        print(json.dumps({"acknowledged": len(load.acknowledged), "orphans": len(orphans), "resumed": resumed,
                          "finished": finished, "lease": args.lease}))
    if failures:
        for failure in failures:
            print("FAIL:", failure)
        print(f"logs kept in {work}")
        sys.exit(1)
    print("PASS: every acknowledged interaction reached one final state on one live node at a time; "
          "no effect happened twice; the dead node's work was resumed within its lease")
    shutil.rmtree(work, ignore_errors=True)


main()
