"""Slow-reader broadcast: a keep-open listener sends its stdin to every client. Four clients read as fast as
they can, a fifth connects and never reads. The fast ones must each get every byte (SHA-256) in bounded
time, whatever the slow one does, and the listener's memory must stay bounded."""
import hashlib
import os
import socket
import subprocess
import threading
import time

from rel.clients import closed_by_peer
from rel.measure import peak_kib
from rel.procs import Proc, free_port, wait_listening
from rel.result import FULL_ONLY, Row

HOST = "127.0.0.1"
FAST = 4
GROWTH_LIMIT_MIB = 128



def reader(port: int, size: int, deadline: float, out: list) -> None:
    h, got = hashlib.sha256(), 0
    started = time.monotonic()
    try:
        with socket.create_connection((HOST, port), timeout=5) as s:
            out.append(("connected", 0, 0))
            while got < size and time.monotonic() < deadline:
                s.settimeout(max(0.1, deadline - time.monotonic()))
                block = s.recv(1 << 16)
                if not block:
                    break
                h.update(block)
                got += len(block)
    except OSError:
        pass
    out.append((h.hexdigest(), got, time.monotonic() - started))


def trial(ctx, tool: str, data: bytes, limit: float) -> tuple[str, bool]:
    port = None if tool == "sockit" else free_port()
    args = ([ctx.sockit, "cat", "-l", "-k", "-v", HOST, "0"] if tool == "sockit"
            else ["ncat", "-l", "-k", HOST, str(port)])
    listener = Proc(f"bcast-{tool}", args, ctx.work, stdin=subprocess.PIPE)
    slow = None
    try:
        if port is None:
            port = listener.port()
        else:
            wait_listening(port)
        base = peak_kib(listener.pid)
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.connect((HOST, port))
        deadline = time.monotonic() + limit
        results = [[] for _ in range(FAST)]
        threads = [threading.Thread(target=reader, args=(port, len(data), deadline, r), daemon=True) for r in results]
        for t in threads:
            t.start()
        while not all(r for r in results) and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.5)  # every client accepted before the first byte is broadcast

        def feed():
            try:
                for i in range(0, len(data), 1 << 16):
                    listener.popen.stdin.write(data[i:i + (1 << 16)])
                listener.popen.stdin.close()
            except (BrokenPipeError, ValueError, OSError):
                pass
        threading.Thread(target=feed, daemon=True).start()
        for t in threads:
            t.join(max(0.1, deadline - time.monotonic() + 1))
        digest = hashlib.sha256(data).hexdigest()
        done = [r[-1] for r in results if r and r[-1][0] == digest and r[-1][1] == len(data)]
        growth = (peak_kib(listener.pid) - base) / 1024
        give_up = time.monotonic() + 3  # a listener that drops laggards may allow a grace first
        while not (dropped := closed_by_peer(slow)) and time.monotonic() < give_up:
            time.sleep(0.2)
    finally:
        if slow:
            slow.close()
        listener.stop(timeout=2)
    mib = len(data) / (1 << 20)
    slowest = max((d[2] for d in done), default=0)
    figure = (f"{len(done)}/{FAST} complete" + (f", slowest {slowest:.1f} s ({mib / slowest:.0f} MiB/s)" if done else "")
              + f"; slow client {'dropped' if dropped else 'held'}; peak RSS +{growth:.0f} MiB")
    return figure, len(done) == FAST and growth < GROWTH_LIMIT_MIB


def run(ctx):
    size, limit = (32 << 20, 20.0) if ctx.quick else (256 << 20, 40.0)
    data = os.urandom(size)
    figs = {"sockit": trial(ctx, "sockit", data, limit)}
    if not ctx.quick:
        figs["ncat"] = trial(ctx, "ncat", data, limit)
    yield Row(key="broadcast", scenario=f"slow-reader broadcast, {size >> 20} MiB to {FAST} fast + 1 stalled client",
              figure=f"fast clients with every byte (SHA-256) within {limit:.0f} s; listener memory",
              sockit=figs["sockit"][0],
              peers={"ncat": figs["ncat"][0] if "ncat" in figs else FULL_ONLY, "nc": "— (-k serves one at a time)",
                     "socat": "— (no broadcast)"},
              goal=f"{FAST}/{FAST}, peak growth < {GROWTH_LIMIT_MIB} MiB", met=figs["sockit"][1])
