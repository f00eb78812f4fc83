"""Slowloris: the grumpy server (--timeout 5s) is held by 1,000 silent clients and 200 that trickle one byte
a second and never end their line, while 100 real clients come for their answer. Every real client must be
answered promptly, and the attackers must not hold the server for ever: silent and trickling clients
alike are dropped within twice the timeout."""
import concurrent.futures
import time

from rel.clients import HELLO, closed_by_peer, exchange, open_many
from rel.measure import rss_kib
from rel.procs import Proc, raise_nofile
from rel.result import Row

HOST = "127.0.0.1"
TIMEOUT = 5.0
ATTACK = 2 * TIMEOUT + 2  # seconds the tricklers keep trickling


def run(ctx):
    idle_n, trickle_n, real_n = (160, 40, 50) if ctx.quick else (1000, 200, 100)
    raise_nofile(idle_n + trickle_n + real_n + 500)
    server = Proc("slowloris", [ctx.sockit, "serve", "0", "--bind", HOST, "--backlog", "2048",
                                "--timeout", f"{TIMEOUT:.0f}s"], ctx.work, nofile=8192)
    idle, tricklers = [], []
    try:
        port = server.port()
        base = rss_kib(server.pid)
        idle = open_many(HOST, port, idle_n)
        tricklers = open_many(HOST, port, trickle_n)
        started = time.monotonic()
        latencies = []

        def real(i: int) -> float | None:
            time.sleep(i * ATTACK / 2 / real_n)  # spread over the first half of the attack
            t0 = time.monotonic()
            return time.monotonic() - t0 if exchange(HOST, port, timeout=5) else None

        pool = concurrent.futures.ThreadPoolExecutor(16)
        futures = [pool.submit(real, i) for i in range(real_n)]
        dropped_trickle, next_byte = set(), 0
        while time.monotonic() - started < ATTACK:
            for s in tricklers:
                if s in dropped_trickle:
                    continue
                try:
                    s.send(HELLO[next_byte % 10:next_byte % 10 + 1])
                except OSError:
                    dropped_trickle.add(s)
            next_byte += 1
            time.sleep(1.0)
        latencies = [f.result() for f in futures]
        pool.shutdown()
        peak = (rss_kib(server.pid) - base) / 1024
        dropped_idle = sum(closed_by_peer(s) for s in idle)
        dropped_trickle = len(dropped_trickle | {s for s in tricklers if closed_by_peer(s)})
        alive = server.alive()
    finally:
        for s in idle + tricklers:
            s.close()
        server.stop()
    answered = [t for t in latencies if t is not None]
    worst = max(answered, default=0)
    yield Row(key="real", scenario=f"slowloris: {idle_n:,} silent + {trickle_n} trickling + {real_n} real clients",
              figure="real clients answered, slowest answer", sockit=f"{len(answered)}/{real_n}, slowest {worst:.2f} s"
              + ("" if alive else ", server DIED") + f", RSS +{peak:.0f} MiB",
              peers={t: "— (a process per connection)" for t in ("ncat", "socat")} | {"nc": "— (no server mode)"},
              goal=f"{real_n}/{real_n}, each within 2 s", met=alive and len(answered) == real_n and worst < 2.0)
    yield Row(key="attackers", scenario=f"slowloris: attackers dropped (--timeout {TIMEOUT:.0f}s)",
              figure=f"silent and trickling clients the server closed within {ATTACK:.0f} s",
              sockit=f"silent {dropped_idle}/{idle_n}, trickling {dropped_trickle}/{trickle_n}",
              peers={t: "— (a process per connection)" for t in ("ncat", "socat")} | {"nc": "— (no server mode)"},
              goal="all of both", met=dropped_idle == idle_n and dropped_trickle == trickle_n)
