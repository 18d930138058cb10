"""Scaling benchmark: interactions resolved per second end to end by one node on SQLite and by 1,
2 and 3 nodes sharing one PostgreSQL, where each interaction goes there; and how long the other
nodes take to resume a dead node's work.

Throughput: every node gets its own wrk (the connections split between them) posting booking
interactions with `Prefer: wait=60`, as bench_e2e.py does, all at once; the figure is the sum of
their requests/s, each request one interaction resolved (7 provider calls, every step
journaled). Each round starts from an empty database and a fresh sandbox. The CPU time every
component used during the run (nodes, PostgreSQL, sandbox, wrk) is read from /proc, and the
database's commits and WAL flushes from its statistics: per interaction, they say what a bigger
machine or more of them would change.

Resume: multinode.py (a node killed with kill -9 under load) a few times; the figures are the
medians of the slowest resumed interaction per run.

Usage: bench_scaling.py SWITCHBOARD_BINARY --postgres URL [--duration 15] [--rounds 3] [--connections 96]
                        [--tenants 20] [--latency-ms 0] [--failover-rounds 3] [--lease 5]
"""
import argparse, json, os, resource, shutil, statistics, subprocess, sys, tempfile, threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_e2e import RESOLVE_LUA, wrk
from harness import Sandbox, free_port, make_tenants, wait_for

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds_by_component(node_pids, sandbox_pid):
    """CPU seconds used so far by Switchboard nodes, PostgreSQL processes, the sandbox and wrk."""
    # wrk has exited by the time this is read: its share comes from the children's rusage.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    totals = {"switchboard nodes": 0.0, "postgresql": 0.0, "sandbox": 0.0, "wrk": children.ru_utime + children.ru_stime}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        seconds = (int(fields[11]) + int(fields[12])) / TICKS
        pid = int(entry)
        if pid in node_pids:
            totals["switchboard nodes"] += seconds
        elif pid == sandbox_pid:
            totals["sandbox"] += seconds
        elif name == "postgres":
            totals["postgresql"] += seconds
    return totals


def machine_busy_seconds():
    """CPU seconds the whole machine has spent busy (all cores, every process), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICKS


def psql(url, sql):
    return subprocess.run(["psql", "-qtA", url, "-c", sql], capture_output=True, text=True, check=True).stdout.strip()


def database_counters(url):
    commits = int(psql(url, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"))
    syncs = int(float(psql(url, "SELECT wal_sync FROM pg_stat_wal")))
    return commits, syncs


def run_round(args, work, tenants, kind, nodes, round_number, log):
    sandbox = Sandbox(args.binary, log, "--latency-ms", str(args.latency_ms))
    if kind == "postgres":
        name = f"scaling_{nodes}_{round_number}_{os.getpid()}"
        psql(args.postgres, f"CREATE DATABASE {name}")
        db = args.postgres.rsplit("/", 1)[0] + "/" + name
    else:
        db = os.path.join(work, f"journal-{round_number}.sqlite")
    ports = [free_port() for _ in range(nodes)]
    processes = []
    for i, port in enumerate(ports):
        command = [args.binary, "serve", "--port", str(port), "--tenants", tenants, "--db", db, "--sandbox-url", sandbox.url,
                   "--public-url", f"http://127.0.0.1:{ports[0]}", "--log-level", "error"]
        if kind == "postgres":
            command += ["--node-id", f"node-{i}"]
        processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log))
        if not wait_for(f"http://127.0.0.1:{port}/readyz"):
            raise SystemExit(f"node {i} did not start")
    counters = database_counters(db) if kind == "postgres" else None
    cpu_before = cpu_seconds_by_component({p.pid for p in processes}, sandbox.process.pid)
    busy_before = machine_busy_seconds()
    results = [None] * nodes

    def drive(i):
        env = {"TENANTS": str(args.tenants), "OFFSET": str(round_number * 10_000_000 + i * 1_000_000)}
        results[i] = wrk(f"http://127.0.0.1:{ports[i]}", RESOLVE_LUA, env, max(2, args.connections // nodes), args.duration)

    threads = [threading.Thread(target=drive, args=(i,)) for i in range(nodes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu_after = cpu_seconds_by_component({p.pid for p in processes}, sandbox.process.pid)
    busy = machine_busy_seconds() - busy_before
    rate = sum(r[0] for r in results)
    interactions = rate * args.duration
    figures = {"rate": rate, "p50": statistics.median(r[1] for r in results), "p99": max(r[2] for r in results),
               "errors": sum(r[3] for r in results),
               "cpu_ms": {k: (cpu_after[k] - cpu_before[k]) * 1000 / max(1, interactions) for k in cpu_after},
               # What everything else on the machine (other work than this benchmark) used of it.
               "others": max(0.0, busy - sum(cpu_after[k] - cpu_before[k] for k in cpu_after)) / (args.duration * os.cpu_count())}
    if counters:
        commits, syncs = database_counters(db)
        figures["commits"] = (commits - counters[0]) / max(1, interactions)
        figures["wal_syncs"] = (syncs - counters[1]) / max(1, interactions)
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)
    sandbox.stop()
    return figures


def failover(args):
    """Medians over runs of the slowest resume and the slowest finish of a dead node's work."""
    resumed, finished, orphans = [], [], []
    for round_number in range(args.failover_rounds):
        name = f"failover_{round_number}_{os.getpid()}"
        psql(args.postgres, f"CREATE DATABASE {name}")
        db = args.postgres.rsplit("/", 1)[0] + "/" + name
        out = subprocess.run([sys.executable, os.path.join(HERE, "multinode.py"), args.binary, "--db", db, "--lease", f"{args.lease:g}",
                              "--seconds", "20", "--rate", "30", "--latency-ms", "100", "--json"], capture_output=True, text=True)
        line = next((l for l in out.stdout.splitlines() if l.startswith("{")), None)
        if out.returncode != 0 or not line:
            print(out.stdout[-2000:], out.stderr[-2000:])
            raise SystemExit("the multi-node run failed")
        figures = json.loads(line)
        orphans.append(figures["orphans"])
        if figures["resumed"]:
            resumed.append(max(figures["resumed"]))
            finished.append(max(figures["finished"]))
        print(f"  failover round {round_number + 1}: {figures['orphans']} interactions left by the dead node, "
              f"last resumed {max(figures['resumed'] or [0]):.2f} s and finished {max(figures['finished'] or [0]):.2f} s after the kill",
              flush=True)
    return resumed, finished, orphans


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=96)
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--failover-rounds", type=int, default=3)
    parser.add_argument("--lease", type=float, default=5)
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    work = tempfile.mkdtemp(prefix="switchboard-scaling-")
    tenants = os.path.join(work, "tenants")
    make_tenants(tenants, args.tenants)
    log = open(os.path.join(work, "log.txt"), "wb")
    cases = [("sqlite", 1), ("postgres", 1), ("postgres", 2), ("postgres", 3)]
    results = {}
    for round_number in range(args.rounds):
        for kind, nodes in cases:  # interleaved, so that a busy moment of the machine hits every case alike
            figures = run_round(args, work, tenants, kind, nodes, round_number, log)
            results.setdefault((kind, nodes), []).append(figures)
            print(f"  {kind}, {nodes} node(s), round {round_number + 1}: {figures['rate']:,.0f}/s p50 {figures['p50']:.1f} ms "
                  f"errors {figures['errors']}", flush=True)
    resumed, finished, orphans = failover(args) if args.failover_rounds else ([], [], [])

    print(f"\nmachine: {os.cpu_count()} cores, load average {load_before:.2f} at the start and {os.getloadavg()[0]:.2f} at the end; "
          f"{args.connections} connections, {args.duration} s per run, {args.rounds} rounds, {args.latency_ms} ms provider latency, "
          f"{args.tenants} tenants\n")
    print("| store, nodes | interactions/s, median (min..max) | p50 ms | p99 ms | errors | CPU ms per interaction: nodes / PostgreSQL / sandbox / wrk "
          "| commits, WAL flushes per interaction | machine busy outside the benchmark |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, nodes in cases:
        runs = results[(kind, nodes)]
        rates = [r["rate"] for r in runs]
        cpu = {k: statistics.median(r["cpu_ms"][k] for r in runs) for k in runs[0]["cpu_ms"]}
        database = (f"{statistics.median(r['commits'] for r in runs):.1f}, {statistics.median(r['wal_syncs'] for r in runs):.2f}"
                    if kind == "postgres" else "-")
        label = "SQLite" if kind == "sqlite" else "PostgreSQL"
        print(f"| {label}, {nodes} | {statistics.median(rates):,.0f} ({min(rates):,.0f}..{max(rates):,.0f}) | "
              f"{statistics.median(r['p50'] for r in runs):.1f} | {statistics.median(r['p99'] for r in runs):.1f} | "
              f"{sum(r['errors'] for r in runs)} | {cpu['switchboard nodes']:.2f} / {cpu['postgresql']:.2f} / {cpu['sandbox']:.2f} / "
              f"{cpu['wrk']:.2f} | {database} | {statistics.median(r['others'] for r in runs):.0%} |")
    if resumed:
        print(f"\n| resuming a dead node's work (3 nodes, lease {args.lease:g} s, {len(resumed)} runs) | median (min..max) |")
        print("|---|---|")
        print(f"| interactions left unfinished by the killed node | {statistics.median(orphans):.0f} ({min(orphans)}..{max(orphans)}) |")
        print(f"| last of them resumed by another node, s after the kill | {statistics.median(resumed):.2f} "
              f"({min(resumed):.2f}..{max(resumed):.2f}) |")
        print(f"| last of them finished, s after the kill | {statistics.median(finished):.2f} ({min(finished):.2f}..{max(finished):.2f}) |")
    shutil.rmtree(work, ignore_errors=True)


main()
