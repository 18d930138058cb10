"""Leak check: the server under valgrind's memcheck through bookings (SQLite statements, curl
handles), refused and accepted webhooks, tenant reloads (libyaml parsers) and a graceful stop.

Memcheck cannot follow every Swift pointer (weak-reference side tables, pointers kept in an
enum's spare bits), so some blocks still reachable through them are reported "definitely lost".
Those are the objects alive at exit: their number does not depend on how much work was done, but
whether a given one is still alive at exit depends on timing (a weak reference formed at start-up
shows in one run and not the next). So the check runs the server twice, the second time with four
times the work, and compares the lost blocks allocation stack by stack. It fails when
  - one allocation stack loses 3N more blocks in the second run, where N is how often the rarest
    piece of work (a reload, a round of error paths) ran in the first: the second run repeats it 3N
    more times, so a leak in it grows by at least that much, while the objects alive at exit stay;
  - any lost block or memcheck error has a frame in a C library (libsqlite3, libcurl, libyaml,
    OpenSSL): the wrappers around them must free everything they take.

Usage: leaks.py BINARY [--interactions 20] [--reloads 2]
"""
import argparse, os, re, shutil, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Load, Sandbox, Server, make_tenants, request, settle, wait_for

C_LIBRARIES = re.compile(r"sqlite3|libsqlite|curl|libcurl|yaml_|libyaml|CRYPTO_|OPENSSL|SSL_|libssl|libcrypto")
TENANTS = 2


def run(binary, work, interactions, reloads):
    """One run under memcheck; returns its figures."""
    tenants = os.path.join(work, "tenants")
    make_tenants(tenants, TENANTS)
    sandbox = Sandbox(binary, open(os.path.join(work, "sandbox.log"), "wb"))
    # Valgrind reads the symbol table; the DWARF 5 line tables of Swift builds only slow it down.
    stripped = os.path.join(work, "switchboard")
    subprocess.run(["strip", "--strip-debug", "-o", stripped, binary], check=True)
    report = os.path.join(work, "valgrind.txt")
    server = Server(stripped, tenants, os.path.join(work, "journal.sqlite"), sandbox, open(os.path.join(work, "server.log"), "wb"),
                    threads=1)
    server.args = ["valgrind", "--tool=memcheck", "--leak-check=full", "--show-leak-kinds=definite,indirect",
                   "--num-callers=40", f"--log-file={report}"] + server.args
    server.process = subprocess.Popen(server.args, stdout=subprocess.DEVNULL, stderr=server.log)
    if not wait_for(server.url + "/readyz", 300):
        raise SystemExit(f"the server did not start under valgrind; see {report}")
    load = Load(server, TENANTS, 2, interactions / 2, os.path.basename(work), give_up=300).start()
    for _ in range(reloads):
        time.sleep(interactions / 2 / (reloads + 1))
        server.process.send_signal(signal.SIGHUP)
    for n in range(max(1, interactions // 10)):
        # Error paths: a webhook with a bad signature, an invalid request, an unknown tenant.
        request("POST", f"{server.url}/v1/tenants/load-01/webhooks/stripe", {"id": f"evt_{n}"}, {"Stripe-Signature": "t=1,v1=00"})
        request("POST", f"{server.url}/v1/tenants/load-01/interactions", {"from": {"phone": "x"}}, {"Authorization": "Bearer load-key"})
        request("GET", f"{server.url}/v1/tenants/nobody/interactions", headers={"Authorization": "Bearer load-key"})
    load.join()
    traces, pending = settle(server, load.acknowledged, 600)
    code, seconds = server.terminate()
    sandbox.stop()

    text = open(report).read()
    blocks = re.split(r"\n==\d+== \n", text)
    lost = [b for b in blocks if re.search(r"are (definitely|indirectly) lost in loss record", b)]
    errors = [b for b in blocks if re.search(r"== (Conditional jump|Invalid (read|write|free)|Use of uninitialised|Syscall param|"
                                             r"Source and destination|Mismatched free)", b)]
    lost_bytes, stacks = 0, {}
    for block in lost:
        size = re.search(r"([\d,]+) (?:\([\d,]+ direct, [\d,]+ indirect\) )?bytes in ([\d,]+) blocks", block)
        if not size:
            continue
        lost_bytes += int(size.group(1).replace(",", ""))
        # The stack without addresses or the binary's path, so that the same allocation site matches across the two runs.
        stack = tuple(re.sub(r" \([^()]*\)$", "", frame)
                      for frame in re.findall(r"(?:at|by) 0x[0-9A-F]+: (.*)", block))
        stacks[stack] = stacks.get(stack, 0) + int(size.group(2).replace(",", ""))
    return {"stacks": stacks, "acknowledged": len(load.acknowledged), "finished": len(traces), "pending": len(pending), "exit": code,
            "lost_bytes": lost_bytes, "lost_blocks": len(lost), "errors": len(errors), "report": report,
            "c_lost": [b for b in lost if C_LIBRARIES.search(b)], "c_errors": [b for b in errors if C_LIBRARIES.search(b)]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--interactions", type=int, default=20)
    parser.add_argument("--reloads", type=int, default=2)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="switchboard-leaks-")
    small_dir, large_dir = os.path.join(work, "small"), os.path.join(work, "large")
    os.makedirs(small_dir), os.makedirs(large_dir)
    small = run(args.binary, small_dir, args.interactions, args.reloads)
    large = run(args.binary, large_dir, args.interactions * 4, args.reloads * 4)
    print("| figure | run | run with 4x the work |\n|---|---|---|")
    print(f"| interactions acknowledged, finished | {small['acknowledged']}, {small['finished']} | {large['acknowledged']}, {large['finished']} |")
    print(f"| tenant reloads (SIGHUP) | {args.reloads} | {args.reloads * 4} |")
    print(f"| graceful exit code | {small['exit']} | {large['exit']} |")
    print(f"| reported lost (definite + indirect) | {small['lost_bytes']} bytes, {small['lost_blocks']} records | "
          f"{large['lost_bytes']} bytes, {large['lost_blocks']} records |")
    print(f"| lost with a C library frame | {len(small['c_lost'])} | {len(large['c_lost'])} |")
    print(f"| memcheck errors (with a C library frame) | {small['errors']} ({len(small['c_errors'])}) | "
          f"{large['errors']} ({len(large['c_errors'])}) |")
    failures = []
    # How often the rarest piece of work ran in the first run; the second repeats it 3x as often more.
    repeats = min(n for n in (args.reloads, max(1, args.interactions // 10)) if n > 0)
    for stack, blocks in large["stacks"].items():
        before = small["stacks"].get(stack, 0)
        if blocks - before >= 3 * repeats:
            failures.append(f"lost memory grows with the work: {before} -> {blocks} blocks lost from\n    "
                            + "\n    ".join(stack[:12]) + f"\nsee {large['report']}")
    for figures in (small, large):
        if figures["c_lost"]:
            failures.append(f"memory from a C library lost; first:\n{figures['c_lost'][0]}")
        if figures["c_errors"]:
            failures.append(f"memcheck error in a C library call; first:\n{figures['c_errors'][0]}")
        if figures["pending"] or not figures["acknowledged"]:
            failures.append(f"{figures['pending']} interactions did not finish under valgrind")
        if figures["exit"] != 0:
            failures.append(f"the server exited with {figures['exit']}")
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        print(f"kept {work}")
        sys.exit(1)
    print("PASS: nothing lost from the C libraries, and nothing lost grows with the work")
    shutil.rmtree(work, ignore_errors=True)


main()
