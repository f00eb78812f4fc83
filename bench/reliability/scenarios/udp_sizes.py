"""UDP datagrams of sizes from 1 to 65,507 bytes (the IPv4 maximum; full run: every size to 2 KiB, then every 5th) into a UDP listener that writes
them to stdout: each must come out whole and exact, in lockstep (the next is sent once the last is out).
Second row: the grumpy UDP server answers a datagram of each size."""
import os
import random
import select
import socket
import subprocess
import time

from rel.procs import Proc, free_port, wait_listening
from rel.result import FULL_ONLY, Row

HOST = "127.0.0.1"
MAX = 65507
GIVE_UP_AFTER = 5  # failures per tool before it is no longer tried (each costs a timeout)


def sizes(quick: bool) -> list[int]:
    edges = [1, 2, 3, 100, 512, 1024, 1400, 1472, 1473, 1500, 4096, 8192, 8193, 16384, 16385, 32768, 65000, 65506, MAX]
    if not quick:  # every size to 2 KiB, then every 5th, and the edges: about 15,000 sizes
        return sorted(set(list(range(1, 2049)) + list(range(2049, MAX + 1, 5)) + edges))
    rng = random.Random(8)
    return sorted(set(edges + [rng.randint(1, MAX) for _ in range(40)]))


def payload(n: int) -> bytes:
    return (n.to_bytes(4, "big") * (n // 4 + 1))[:n]


def read_exact(fd: int, n: int, timeout: float) -> bytes:
    got = b""
    deadline = time.monotonic() + timeout
    while len(got) < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        block = os.read(fd, n - len(got))
        if not block:
            break
        got += block
    return got


def through_listener(ctx, tool: str, all_sizes: list[int]) -> tuple[int, int, int]:
    """Returns (sizes delivered whole, sizes tried, largest whole size below the first failure)."""
    port = free_port(HOST, socket.SOCK_DGRAM)
    args = {"sockit": [ctx.sockit, "cat", "-u", "-l", HOST, str(port)],
            "ncat": ["ncat", "-u", "-l", HOST, str(port)],
            "nc": ["nc", "-u", "-l", HOST, str(port)],
            "socat": ["socat", "-b", "65536", "-u", f"UDP-RECV:{port},bind={HOST}", "-"]}[tool]
    rx = Proc(f"udp-{tool}", args, ctx.work, stdout=subprocess.PIPE, stdin=subprocess.PIPE)
    fd = rx.popen.stdout.fileno()
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    whole = tried = failures = 0
    clean_up_to = 0
    try:
        wait_listening(port, udp=True)
        for n in all_sizes:
            tried += 1
            data = payload(n)
            tx.sendto(data, (HOST, port))
            got = read_exact(fd, n, 2.0)  # generous: only a failure waits it out
            if got == data:
                whole += 1
                if failures == 0:
                    clean_up_to = n
                continue
            failures += 1
            read_exact(fd, 1 << 20, 0.2)  # drain what a truncating or splitting tool still writes
            if failures >= GIVE_UP_AFTER:
                break
    finally:
        tx.close()
        rx.stop(timeout=1)
    return whole, tried, clean_up_to


def grumpy_answers(ctx, all_sizes: list[int]) -> tuple[int, int]:
    server = Proc("udp-grumpy", [ctx.sockit, "serve", "0", "--bind", HOST, "--udp"], ctx.work)
    answered = 0
    try:
        port = server.port()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(2)
            for n in all_sizes:
                s.sendto(b"a" * n, (HOST, port))
                try:
                    s.recvfrom(65536)
                    answered += 1
                except TimeoutError:
                    pass
        alive = server.alive()
    finally:
        server.stop()
    return answered if alive else -1, len(all_sizes)


def run(ctx):
    all_sizes = sizes(ctx.quick)
    tools = ("sockit",) if ctx.quick else ("sockit", "ncat", "nc", "socat")
    figures = {tool: through_listener(ctx, tool, all_sizes) for tool in tools}
    show = lambda f: f"{f[0]}/{len(all_sizes)} whole, clean up to {f[2]}"  # noqa: E731
    s = figures["sockit"]
    yield Row(key="listener", scenario="UDP sizes 1..65,507 into a listener",
              figure=f"datagrams written to stdout whole and exact ({len(all_sizes)} sizes, lockstep)",
              sockit=show(s), peers={t: show(figures[t]) if t in figures else FULL_ONLY for t in ("ncat", "nc", "socat")},
              goal=f"{len(all_sizes)}/{len(all_sizes)}", met=s[0] == len(all_sizes),
              note="socat given -b 65536; a tool is no longer tried after 5 failures")
    answered, total = grumpy_answers(ctx, all_sizes)
    yield Row(key="grumpy", scenario="UDP sizes 1..65,507 to the grumpy UDP server",
              figure="datagrams answered", sockit=f"{answered}/{total}" if answered >= 0 else "server died",
              peers={t: "— (no UDP server that answers)" for t in ("ncat", "nc", "socat")},
              goal=f"{total}/{total}", met=answered == total)
