"""--max-conns exact under twice the load: 2N clients connect at once to a keep-open listener (and to a
forwarder) capped at N; each says "client I". Exactly N must be served (their line arrives), the rest told
(closed). Then everyone leaves, and N new clients must all be served: the cap recovers."""
import re
import socket
import subprocess
import time

from rel.clients import closed_by_peer, connected, open_many
from rel.procs import Proc, free_port, line_sink, wait_listening
from rel.result import FULL_ONLY, Row

HOST = "127.0.0.1"


def wave(port: int, count: int, first: int, lines) -> tuple[int, int, list[socket.socket]]:
    """COUNT clients numbered from FIRST connect at once and speak; returns (served, closed by the listener,
    sockets). A client whose connect has not completed within 3 s (a listener that stops accepting and
    lets the backlog overflow) is neither."""
    socks = open_many(HOST, port, count, wait=3)
    talking = [s for s in socks if connected(s)]
    for i, s in enumerate(socks, start=first):
        if s in talking:
            try:
                s.send(f"client {i}\n".encode())
            except OSError:
                pass
    time.sleep(2.0)
    served = len({int(m) for m in re.findall(r"client (\d+)", lines()) if first <= int(m) < first + count})
    return served, sum(closed_by_peer(s) for s in talking), socks


def measure(ctx, tool: str, n: int, args: list[str], port: int | None, lines_from=None):
    listener = Proc(f"cap-{tool}", args, ctx.work, stdin=subprocess.PIPE)  # stdin held open: no EOF to pass on
    try:
        if port is None:
            port = listener.port()
        else:
            wait_listening(port)
        lines = (lines_from or listener).text
        served, told, socks = wave(port, 2 * n, 0, lambda: lines("out"))
        for s in socks:
            s.close()
        time.sleep(1.5)
        again, _, socks = wave(port, n, 10_000, lambda: lines("out"))
        for s in socks:
            s.close()
        return served, told, again, listener.alive()
    finally:
        listener.stop(timeout=2)


def run(ctx):
    n = 50 if ctx.quick else 500
    show = lambda f: f"{f[0]} served, {f[1]} closed; after: {f[2]}/{n}"  # noqa: E731
    goal = f"{n} served, {n} closed; after: {n}/{n}"
    k = {"sockit": measure(ctx, "sockit", n, [ctx.sockit, "cat", "-l", "-k", "-v", "-m", str(n), HOST, "0"], None)}
    p = free_port()
    if not ctx.quick:
        k["ncat"] = measure(ctx, "ncat", n, ["ncat", "-l", "-k", "-m", str(n), HOST, str(p)], p)
    s = k["sockit"]
    yield Row(key="keep-open", scenario=f"--max-conns {n} under {2 * n} clients, keep-open listener",
              figure="clients served at once, closed, then served after all left",
              sockit=show(s), peers={"ncat": show(k["ncat"]) if "ncat" in k else FULL_ONLY, "nc": "— (-k serves one at a time)", "socat": "—"},
              goal=goal, met=s[0] == n and s[1] == n and s[2] == n and s[3])

    sink = line_sink(ctx.work)
    try:
        up = sink.port()
        f = {"sockit": measure(ctx, "relay-sockit", n, [ctx.sockit, "relay", "-v", "-m", str(n), "-l", f"{HOST}:0",
                                                       HOST, str(up)], None, sink)}
        p, p2 = free_port(), free_port()
        for tool, args, port in () if ctx.quick else (
                ("ncat", ["ncat", "-lk", "-m", str(n), HOST, str(p), "--sh-exec", f"ncat {HOST} {up}"], p),
                ("socat", ["socat", f"TCP-LISTEN:{p2},bind={HOST},reuseaddr,fork,max-children={n}",
                           f"TCP:{HOST}:{up}"], p2)):
            f[tool] = measure(ctx, f"relay-{tool}", n, args, port, sink)
    finally:
        sink.stop()
    s = f["sockit"]
    yield Row(key="relay", scenario=f"--max-conns {n} under {2 * n} clients, forwarder",
              figure="clients relayed at once, closed, then relayed after all left",
              sockit=show(s), peers={t: show(f[t]) if t in f else FULL_ONLY for t in ("ncat", "socat")} | {"nc": "—"},
              goal=goal, met=s[0] == n and s[1] == n and s[2] == n and s[3])
