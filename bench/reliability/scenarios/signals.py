"""SIGINT and SIGTERM mid-exchange. A grumpy server with clients half-way through their message is signalled:
it must stop accepting, answer every in-flight client that finishes its message within the grace period, and
exit 0. A relay (`cat`) signalled mid-transfer must exit promptly, without a stack trace."""
import signal
import socket
import subprocess
import time

from rel.clients import HELLO, grumpy_script, stack_trace
from rel.procs import Proc, free_port, wait_listening
from rel.result import FULL_ONLY, Row

HOST = "127.0.0.1"
IN_FLIGHT = 5


def in_flight_answered(server: Proc, port: int, sig) -> tuple[int, bool, float, int | None]:
    """Returns (in-flight clients answered, new connections refused, seconds to exit, exit status)."""
    clients = [socket.create_connection((HOST, port), timeout=5) for _ in range(IN_FLIGHT)]
    for c in clients:
        c.sendall(HELLO[:10])
    time.sleep(0.5)
    started = time.monotonic()
    server.send_signal(sig)
    time.sleep(0.3)
    try:
        socket.create_connection((HOST, port), timeout=1).close()
        refused = False
    except OSError:
        refused = True
    answered = 0
    for c in clients:
        try:
            c.sendall(HELLO[10:])
            c.settimeout(3)
            if b"\n" in c.recv(4096):
                answered += 1
        except OSError:
            pass
        c.close()
    rc = server.wait(10)
    return answered, refused, time.monotonic() - started, rc


def grumpy_row(ctx, sig, name: str):
    grumpy = grumpy_script(ctx.work)
    figures = {}
    p, p2 = free_port(), free_port()
    servers = (("sockit", [ctx.sockit, "serve", "0", "--bind", HOST], None),
               ("ncat", ["ncat", "-lk", HOST, str(p), "--sh-exec", grumpy], p),
               ("socat", ["socat", f"TCP-LISTEN:{p2},bind={HOST},reuseaddr,fork", f"EXEC:{grumpy}"], p2))
    for tool, args, port in servers[:1] if ctx.quick else servers:
        server = Proc(f"{tool}-{name}", args, ctx.work)
        try:
            if port is None:
                port = server.port()
            else:
                wait_listening(port)
            figures[tool] = in_flight_answered(server, port, sig) + (server.text(),)
        finally:
            server.stop()
    answered, refused, secs, rc, log = figures["sockit"]
    met = answered == IN_FLIGHT and refused and rc == 0 and "SERVER STOPPED" in log and not stack_trace(log)
    show = lambda f: f"{f[0]}/{IN_FLIGHT} answered, exit {f[3]} after {f[2]:.1f} s"  # noqa: E731
    return Row(key=name.lower(), scenario=f"{name} mid-exchange, grumpy server",
               figure=f"in-flight clients answered ({IN_FLIGHT} half-way through), exit status, time to exit",
               sockit=show(figures["sockit"]) + ("" if refused else ", still accepting"),
               peers={t: show(figures[t]) if t in figures else FULL_ONLY for t in ("ncat", "socat")} | {"nc": "— (no server mode)"},
               goal=f"{IN_FLIGHT}/{IN_FLIGHT}, new clients refused, exit 0 within the 5 s grace", met=met and secs < 6)


def relay_row(ctx):
    """cat sending an endless stream to a sink; SIGINT then (second run) SIGTERM. Figure: exit status, time."""
    figures = {}
    for tool in ("sockit",) if ctx.quick else ("sockit", "ncat", "nc", "socat"):
        results = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            sink = socket.create_server((HOST, 0))
            port = sink.getsockname()[1]
            source = subprocess.Popen(["cat", "/dev/zero"], stdout=subprocess.PIPE)
            args = {"sockit": [ctx.sockit, "cat", HOST, str(port)], "ncat": ["ncat", HOST, str(port)],
                    "nc": ["nc", HOST, str(port)], "socat": ["socat", "-", f"TCP:{HOST}:{port}"]}[tool]
            relay = Proc(f"relay-{tool}-{sig}", args, ctx.work, stdin=source.stdout)
            source.stdout.close()
            try:
                conn, _ = sink.accept()
                conn.settimeout(5)
                got = 0
                while got < 1 << 20:
                    got += len(conn.recv(65536))
                started = time.monotonic()
                relay.send_signal(sig)
                stop_at = started + 5
                while time.monotonic() < stop_at:  # drain until the relay closes, so it never blocks on a full buffer
                    try:
                        if not conn.recv(1 << 16):
                            break
                    except OSError:
                        break
                rc = relay.wait(5)
                results.append((rc, time.monotonic() - started, stack_trace(relay.text())))
                conn.close()
            finally:
                relay.stop(timeout=1)
                source.kill()
                source.wait()
                sink.close()
        figures[tool] = results
    show = lambda r: ", ".join(f"{n}: exit {rc} in {t:.1f} s" + (" + stack trace" if tr else "")  # noqa: E731
                               for n, (rc, t, tr) in zip(("INT", "TERM"), r))
    ok = all(rc is not None and t < 2 and not tr for rc, t, tr in figures["sockit"])
    return Row(key="relay", scenario="SIGINT/SIGTERM mid-transfer, cat client",
               figure="exit status and time to exit while sending", sockit=show(figures["sockit"]),
               peers={t: show(figures[t]) if t in figures else FULL_ONLY for t in ("ncat", "nc", "socat")},
               goal="exits within 2 s, no stack trace", met=ok)


def run(ctx):
    yield grumpy_row(ctx, signal.SIGTERM, "SIGTERM")
    yield grumpy_row(ctx, signal.SIGINT, "SIGINT")
    yield relay_row(ctx)
