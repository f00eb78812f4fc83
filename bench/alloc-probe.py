#!/usr/bin/env python3
"""Server-side allocations per exchange: runs bench/Sockit.AllocProbe (the server, alone in its process)
and drives it from here, then prints bytes allocated in the server per grumpy exchange or per echo message.

  bench/alloc-probe.py PROBE_DLL grumpy none|sink [N]     N sequential exchanges (default 10000)
  bench/alloc-probe.py PROBE_DLL echo   none|sink [N]     N 64-byte round trips on one connection
  ... [N] ticks    also prints sampled allocations by type (the runtime's GCAllocationTick, ~1 per 100 KB)
"""
import socket, subprocess, sys, time

HELLO = b"Hello server, would you like to chat?\n"

def grumpy(port, n):
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(HELLO)
        while s.recv(4096):
            pass
        s.close()

def echo(port, n, sock):
    msg = b"x" * 64
    for _ in range(n):
        sock.sendall(msg)
        got = 0
        while got < 64:
            got += len(sock.recv(64 - got))

def main():
    dll, mode, log = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
    extra = sys.argv[5:6]  # "ticks": sampled allocations by type, printed on stderr (perturbs the byte count)
    p = subprocess.Popen(["dotnet", dll, mode, log] + extra, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(p.stdout.readline().split()[1])

    def mark():
        time.sleep(0.5)  # let the last handlers finish (grumpy lingers until the client's close)
        p.stdin.write("mark\n"); p.stdin.flush()
        parts = p.stdout.readline().split()
        return int(parts[1]), int(parts[3])

    sock = None
    if mode == "echo":
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    run = (lambda k: grumpy(port, k)) if mode == "grumpy" else (lambda k: echo(port, k, sock))
    run(2000)                     # warm-up: JIT, tiering, pools
    if extra:
        p.stdin.write("ticks\n"); p.stdin.flush()  # discard the warm-up's samples
    a0, l0 = mark()
    run(n)
    a1, l1 = mark()
    if extra:
        p.stdin.write("ticks\n"); p.stdin.flush()
    unit = "exchange" if mode == "grumpy" else "message"
    print(f"{mode} log={log} n={n}: {(a1 - a0) / n:.1f} B per {unit} ({(l1 - l0) / n:.2f} log lines per {unit})")
    if sock:
        sock.close()
    p.stdin.write("quit\n"); p.stdin.flush()
    p.wait(timeout=30)

main()
