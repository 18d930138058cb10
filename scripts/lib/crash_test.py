"""Crash test: kill -9 the server under load, restart it, and check that every acknowledged
interaction ends exactly once and that no provider effect happened twice.

Usage: crash_test.py SWITCHBOARD_BINARY [--seconds 40] [--rate 40] [--kills 5] [--tenants 4]
Prints the figures and PASS or FAIL; exits non-zero on FAIL.
"""
import argparse, os, random, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from processes import Load, Server, duplicate_effects, duplicate_keys, free_port, outcome_rows, start_sandbox, wait_final


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
    sandbox, sandbox_url = start_sandbox(args.binary, log)
    server = Server(args.binary, free_port(), tenants, os.path.join(work, "journal.sqlite"), sandbox_url, log)
    server.start()

    load = Load(args.tenants, args.rate, args.seconds, "crash", lambda n, attempt: server.url)
    load.start()
    kills = 0
    for k in range(args.kills):
        time.sleep(random.uniform(0.5, 1.5) * args.seconds / (args.kills + 1))
        server.kill()
        kills += 1
        server.start()
    load.join()
    acknowledged, attempts = load.acknowledged, load.attempts

    # Every acknowledged interaction must reach a final state, once.
    statuses, pending = wait_final(server.url, acknowledged, 180)
    failures = list(load.failures)
    if pending:
        failures.append(f"{len(pending)} acknowledged interactions did not reach a final state")
    duplicates = duplicate_keys(server.url, args.tenants)
    if duplicates:
        failures.append(f"{len(duplicates)} idempotency keys have more than one interaction")
    # No effect twice at the providers.
    effect_failures, state = duplicate_effects(sandbox_url)
    failures += effect_failures
    exit_code = server.stop()
    sandbox.terminate()
    sandbox.wait(timeout=15)

    print(f"| figure | value |\n|---|---|")
    print(f"| load | {args.rate:g} interactions/s for {args.seconds:g} s over {args.tenants} tenants |")
    print(f"| kill -9 survived | {kills} |")
    print(f"| requests sent (with client retries) | {attempts['sent']} ({attempts['errors']} failed and were retried) |")
    print(f"| acknowledged | {len(acknowledged)} |")
    for name, value in outcome_rows(statuses):
        print(f"| {name} | {value} |")
    print(f"| Stripe objects, bookings, SMS | {sum(state['stripe']['counts'].values())}, {state['calcom']['bookings']}, {state['twilio']['messages']} |")
    print(f"| duplicate effects | {len(effect_failures)} |")
    print(f"| graceful exit code after the run | {exit_code} |")
    if failures or exit_code != 0:
        for failure in failures:
            print("FAIL:", failure)
        print(f"logs and journal kept in {work}")
        sys.exit(1)
    print("PASS: every acknowledged interaction reached one final state; no effect happened twice")
    shutil.rmtree(work, ignore_errors=True)


main()
