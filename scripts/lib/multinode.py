"""Multi-node test: several Switchboard nodes on one PostgreSQL database under load, one of them
killed with kill -9 mid-way and not restarted. Checks that every acknowledged interaction
reaches one final state, none twice; that no interaction ran on two live nodes; that no
provider effect happened twice; that the dead node's unfinished work was finished by the others
within the lease plus a margin; and that no log shows the database password.

Usage: multinode.py SWITCHBOARD_BINARY --db URL [--nodes 3] [--seconds 20] [--rate 30] [--lease 3]
                    [--tenants 4] [--latency-ms 100] [--margin 5] [--json]
Prints the figures and PASS or FAIL; exits non-zero on FAIL. --json adds one line of figures.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time
from datetime import datetime
from urllib.parse import unquote, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from processes import FINAL, Load, Server, duplicate_effects, duplicate_keys, free_port, outcome_rows, start_sandbox, trace, wait_final


VICTIM = "node-1"  # nodes[1], the one killed


def unix(iso):
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def handover_problems(found, victim, killed_at):
    """How the steps of one trace moved between nodes, if that was not allowed: a step may only
    move from the killed node to another one, after the kill."""
    problems = []
    steps = sorted(found.get("steps") or [], key=lambda s: s["sequence"])
    for before, after in zip(steps, steps[1:]):
        if before.get("node") == after.get("node"):
            continue
        if before.get("node") != victim:
            problems.append(f"{found['id']}: step {after['sequence']} ran on {after.get('node')} after {before.get('node')}")
        elif unix(after["started_at"]) < killed_at - 0.5:
            problems.append(f"{found['id']}: step {after['sequence']} taken over from {victim} before it was killed")
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
    subprocess.run([sys.executable, os.path.join(HERE, "loadtenants.py"), tenants, str(args.tenants)], check=True)
    logs = [open(os.path.join(work, f"node-{i}.log"), "wb") for i in range(args.nodes)]
    sandbox, sandbox_url = start_sandbox(args.binary, open(os.path.join(work, "sandbox.log"), "wb"), args.latency_ms)
    # One public URL for all, as behind a load balancer: the links and return URLs a step sends
    # to a provider must be the same whichever node runs (or re-runs) it.
    ports = [free_port() for _ in range(args.nodes)]
    nodes = [Server(args.binary, ports[i], tenants, args.db, sandbox_url, logs[i], public_url=f"http://127.0.0.1:{ports[0]}",
                    extra=["--node-id", f"node-{i}", "--lease-seconds", f"{args.lease:g}"]) for i in range(args.nodes)]
    for node in nodes:
        node.start()
    victim, survivor = nodes[1], nodes[0]
    dead = set()

    def target(n, attempt):
        # A load balancer that spreads requests and, when a node does not answer, tries the next.
        live = [node for node in nodes if node.url not in dead] if attempt else nodes
        return live[(n + attempt) % len(live)].url

    load = Load(args.tenants, args.rate, args.seconds, "multinode", target)
    load.start()
    time.sleep(args.seconds * 0.4)
    victim.kill()
    killed_at = time.time()
    dead.add(victim.url)
    # The dead node's acknowledged work that it had not finished: it is leased to a dead node now.
    with load.lock:
        theirs = [(k, v) for k, v in load.acknowledged.items() if load.acknowledged_by.get(k) == victim.url]
    orphans = {}
    for (tenant, key), ident in theirs:
        found = trace(survivor.url, tenant, ident)
        if found and found["status"] not in FINAL:
            orphans[(tenant, key)] = ident
    load.join()

    statuses, pending = wait_final(survivor.url, load.acknowledged, 120)
    failures = list(load.failures)
    if pending:
        failures.append(f"{len(pending)} acknowledged interactions did not reach a final state")
    duplicates = duplicate_keys(survivor.url, args.tenants)
    if duplicates:
        failures.append(f"{len(duplicates)} idempotency keys have more than one interaction")
    effect_failures, state = duplicate_effects(sandbox_url)
    failures += effect_failures
    # Every one completes, unless the kill left one of its effects in doubt (flagged, not repeated).
    unexplained = [found["id"] for found in statuses.values() if found["status"] != "completed" and not found.get("flags")]
    if unexplained:
        failures.append(f"{len(unexplained)} interactions did not complete and no effect of theirs was in doubt: {unexplained[:3]}")
    handovers = [problem for found in statuses.values() for problem in handover_problems(found, VICTIM, killed_at)]
    failures += handovers[:5]

    # How fast the dead node's work came back: its first step on another node, and its end.
    resumed, finished = [], []
    for ident in orphans.values():
        found = statuses.get(ident)
        if not found:
            continue
        taken = [unix(s["started_at"]) for s in found.get("steps") or [] if s.get("node") not in (None, VICTIM)]
        ended = unix(found["updated_at"]) - killed_at
        # Resumed with its next step; or, when the kill came after its last step, with its end.
        resumed.append(min([t - killed_at for t in taken] + [ended]))
        finished.append(ended)
    if orphans and not finished:
        failures.append("none of the dead node's unfinished interactions finished")
    if finished and max(finished) > args.lease + args.margin:
        failures.append(f"the dead node's work finished {max(finished):.1f} s after the kill, "
                        f"more than the lease ({args.lease:g} s) + {args.margin:g} s")

    exit_codes = [node.stop() for node in nodes if node is not victim]
    sandbox.terminate()
    sandbox.wait(timeout=15)
    if any(code != 0 for code in exit_codes):
        failures.append(f"graceful exit codes {exit_codes}")
    for i in range(args.nodes):
        logs[i].close()
        if password and password.encode() in open(os.path.join(work, f"node-{i}.log"), "rb").read():
            failures.append(f"node-{i}'s log shows the database password")

    def spread(values):
        return f"{statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})" if values else "-"

    print("| figure | value |\n|---|---|")
    print(f"| nodes, lease | {args.nodes} on one PostgreSQL, {args.lease:g} s |")
    print(f"| load | {args.rate:g} interactions/s for {args.seconds:g} s over {args.tenants} tenants, "
          f"{args.latency_ms} ms provider latency |")
    print(f"| requests sent (with client retries) | {load.attempts['sent']} ({load.attempts['errors']} failed and were retried) |")
    print(f"| acknowledged | {len(load.acknowledged)} |")
    for name, value in outcome_rows(statuses):
        print(f"| {name} | {value} |")
    print(f"| Stripe objects, bookings, SMS | {sum(state['stripe']['counts'].values())}, {state['calcom']['bookings']}, "
          f"{state['twilio']['messages']} |")
    print(f"| duplicate effects | {len(effect_failures)} |")
    print(f"| steps run by two live nodes | {len(handovers)} |")
    print(f"| killed node's unfinished interactions | {len(orphans)} |")
    print(f"| resumed by another node, s after the kill: median (min, max) | {spread(resumed)} |")
    print(f"| finished, s after the kill: median (min, max) | {spread(finished)} |")
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
