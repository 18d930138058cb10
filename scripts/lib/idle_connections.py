"""Measures Switchboard's resident memory idle and with N idle keep-alive connections.

Usage: idle_connections.py SWITCHBOARD_BINARY N
Starts `switchboard serve` on a free port, reads VmRSS, opens N connections that each make one
GET /healthz and then stay open idle, reads VmRSS again, checks every connection still works,
and prints the figures.
"""
import os, resource, selectors, socket, subprocess, sys, time

def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def main():
    binary, count = sys.argv[1], int(sys.argv[2])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--log-level", "warning"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close(); break
            except OSError:
                time.sleep(0.05)
        time.sleep(0.5)
        idle = rss_mib(server.pid)
        request = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"
        conns = []
        for i in range(count):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(request)
            conns.append(s)
        sel = selectors.DefaultSelector()
        pending = {}
        for s in conns:
            s.setblocking(False); sel.register(s, selectors.EVENT_READ); pending[s] = b""
        ok = 0
        deadline = time.time() + 60
        while pending and time.time() < deadline:
            for key, _ in sel.select(timeout=1):
                s = key.fileobj
                data = s.recv(4096)
                pending[s] += data
                if pending[s].endswith(b"\r\n\r\nok"):
                    ok += 1; sel.unregister(s); del pending[s]
        time.sleep(1)
        loaded = rss_mib(server.pid)
        # Every connection is still open and usable.
        alive = 0
        for s in conns[:: max(1, count // 200)]:
            s.setblocking(True); s.settimeout(5)
            s.sendall(request)
            if s.recv(4096).endswith(b"ok"): alive += 1
        print(f"| state | RSS (MiB) |\n|---|---|\n| idle | {idle:.1f} |\n| {count:,} idle keep-alive connections ({ok:,} answered) | {loaded:.1f} |")
        print(f"sampled {alive} connections after the idle period: all answered" if alive == len(conns[:: max(1, count // 200)])
              else f"only {alive} sampled connections answered")
        for s in conns: s.close()
    finally:
        server.terminate(); server.wait(timeout=15)

main()
