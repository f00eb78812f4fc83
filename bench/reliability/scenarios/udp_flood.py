"""UDP flood: four sockets send datagrams at the grumpy UDP server as fast as Python can, then read the
replies. Every datagram must be answered or counted as dropped, by the kernel (the drop counters of the
server's and the clients' sockets in /proc/net/udp) or by the server itself (its "DROPPED N DATAGRAMS" lines),
and the server's peak memory (VmHWM) must stay bounded."""
import re
import select
import socket
import time

from rel.measure import peak_kib, rss_kib, udp_drops
from rel.procs import Proc
from rel.result import Row

HOST = "127.0.0.1"
SENDERS = 4
PEAK_GROWTH_LIMIT_MIB = 64
SO_RCVBUFFORCE = 33  # Linux; root may exceed rmem_max, so the clients' buffers are not what drops



def reported_drops(log: str) -> int:
    """Datagrams the server says it dropped: its "DROPPED N DATAGRAMS" lines each count those since the last."""
    return sum(int(m) for m in re.findall(r"dropped (\d+) datagrams", log, re.I))


def run(ctx):
    total = 50_000 if ctx.quick else 500_000
    server = Proc("flood", [ctx.sockit, "serve", "0", "--bind", HOST, "--udp"], ctx.work)
    socks = []
    try:
        port = server.port()
        time.sleep(0.5)
        base = rss_kib(server.pid)
        for _ in range(SENDERS):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 4 << 20)
            s.bind((HOST, 0))
            s.setblocking(False)
            socks.append(s)
        answered = 0
        started = time.monotonic()
        payload = b"flood datagram, would you like to chat?\n"
        for i in range(total):
            s = socks[i % SENDERS]
            while True:
                try:
                    s.sendto(payload, (HOST, port))
                    break
                except BlockingIOError:
                    select.select([], [s], [], 0.01)
            if i % 256 == 0:  # read replies as we go, so the clients' own buffers are not what drops
                for r in select.select(socks, [], [], 0)[0]:
                    answered += drain(r)
        sent_for = time.monotonic() - started
        quiet = time.monotonic()
        while time.monotonic() - quiet < 2.0 and time.monotonic() - started < 90:
            ready = select.select(socks, [], [], 0.2)[0]
            for r in ready:
                got = drain(r)
                answered += got
                if got:
                    quiet = time.monotonic()
        time.sleep(0.5)
        kernel = udp_drops(port) + sum(udp_drops(s.getsockname()[1]) for s in socks)
        growth = (peak_kib(server.pid) - base) / 1024
        alive = server.alive()
    finally:
        for s in socks:
            s.close()
        server.stop()  # SIGTERM: the server tells the drops it has not told yet as it stops
    reported = reported_drops(server.text())
    accounted = answered + kernel + reported
    figure = (f"{answered:,} answered + {kernel:,} kernel drops + {reported:,} reported = {accounted:,} of {total:,}; "
              f"peak RSS +{growth:.0f} MiB; sent in {sent_for:.1f} s")
    yield Row(key="flood", scenario=f"UDP flood, {total:,} datagrams at the grumpy UDP server",
              figure="answered + counted drops of datagrams sent; peak memory growth", sockit=figure,
              peers={t: "— (no UDP server that answers)" for t in ("ncat", "nc", "socat")},
              goal=f"all {total:,} accounted for, peak growth < {PEAK_GROWTH_LIMIT_MIB} MiB",
              met=alive and accounted == total and growth < PEAK_GROWTH_LIMIT_MIB)


def drain(s: socket.socket) -> int:
    n = 0
    while True:
        try:
            s.recvfrom(65536)
            n += 1
        except BlockingIOError:
            return n
