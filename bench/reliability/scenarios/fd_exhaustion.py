"""Descriptor exhaustion and recovery: each server runs with `ulimit -n 64` while 200 clients connect and
stay silent, so it runs out of descriptors. It must not die, must not spin (CPU while saturated), and once
those clients leave, every fresh client must be served again."""
import subprocess
import time

from rel.clients import exchange, grumpy_script, line_arrives, open_many, stack_trace
from rel.measure import cpu_seconds
from rel.procs import Proc, free_port, line_sink, wait_listening
from rel.result import FULL_ONLY, Row

HOST = "127.0.0.1"
NOFILE = 64
FLOOD = 200
PROBES = 10
HOLD = 3.0
RECOVERY = 1.0  # seconds for each fresh client: a SYN the kernel dropped is resent only after 1 s


def trial(ctx, label: str, args: list[str], port: int | None, make_probe) -> tuple[str, bool]:
    """MAKE_PROBE(server) gives probe(port, i): whether fresh client I was served."""
    server = Proc(label, args, ctx.work, nofile=NOFILE, stdin=subprocess.PIPE)
    probe = make_probe(server)
    try:
        if port is None:
            port = server.port()
        else:
            wait_listening(port)
        flood = open_many(HOST, port, FLOOD, wait=1.0)
        cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
        time.sleep(HOLD)
        busy = (cpu_seconds(server.pid) - cpu0) / (time.monotonic() - t0)
        for s in flood:
            s.close()
        served, slowest = 0, 0.0
        for i in range(PROBES if server.alive() else 0):  # at once: recovery is what is timed
            started = time.monotonic()
            if probe(port, i):
                served += 1
                slowest = max(slowest, time.monotonic() - started)
        alive, trace = server.alive(), stack_trace(server.text())
    finally:
        server.stop(timeout=2)
    figure = (f"{'alive' if alive else 'DIED'}, CPU {busy:.0%} saturated, {served}/{PROBES} served after, "
              f"slowest {slowest:.2f} s")
    met = alive and not trace and busy < 0.5 and served == PROBES and slowest < RECOVERY
    return figure + (" + stack trace" if trace else ""), met


def run(ctx):
    s = ctx.sockit
    grumpy = grumpy_script(ctx.work)
    rows = []

    def grumpy_probe(_server):
        return lambda port, i: bool(exchange(HOST, port, timeout=3))

    p, p2 = free_port(), free_port()
    figs = {"sockit": trial(ctx, "grumpy-sockit", [s, "serve", "0", "--bind", HOST, "--timeout", "60s"], None, grumpy_probe)}
    if not ctx.quick:
        figs["ncat"] = trial(ctx, "grumpy-ncat", ["ncat", "-lk", "-m", "1000", HOST, str(p), "--sh-exec", grumpy], p,
                             grumpy_probe)
        figs["socat"] = trial(ctx, "grumpy-socat", ["socat", f"TCP-LISTEN:{p2},bind={HOST},reuseaddr,fork",
                                                    f"EXEC:{grumpy}"], p2, grumpy_probe)
    rows.append(("grumpy", "grumpy server", figs, {"nc": "— (no server mode)"}))

    def output_probe(proc):  # the probe's line must reach PROC's stdout
        return lambda port, i: line_arrives(HOST, port, f"probe {i} {time.monotonic()}", lambda: proc.text("out"))

    p = free_port()
    figs = {"sockit": trial(ctx, "keep-sockit", [s, "cat", "-l", "-k", "-v", "-m", "1000", HOST, "0"], None,
                            output_probe)}
    if not ctx.quick:
        figs["ncat"] = trial(ctx, "keep-ncat", ["ncat", "-l", "-k", "-m", "1000", HOST, str(p)], p, output_probe)
    rows.append(("keep-open", "keep-open listener (-m 1000)", figs,
                 {"nc": "— (-k serves one at a time)", "socat": "— (no keep-open listener)"}))

    sink = line_sink(ctx.work)
    try:
        up = sink.port()
        probe = lambda _server: output_probe(sink)  # noqa: E731 - the line must reach the upstream
        p, p2 = free_port(), free_port()
        figs = {"sockit": trial(ctx, "relay-sockit", [s, "relay", "-v", "-m", "1000", "-l", f"{HOST}:0", HOST, str(up)],
                                None, probe)}
        if not ctx.quick:
            figs["socat"] = trial(ctx, "relay-socat", ["socat", f"TCP-LISTEN:{p2},bind={HOST},reuseaddr,fork",
                                                       f"TCP:{HOST}:{up}"], p2, probe)
    finally:
        sink.stop()
    rows.append(("relay", "forwarder (-m 1000)", figs, {"nc": "— (no forwarder)", "ncat": "—"}))

    for key, what, figs, unmeasured in rows:
        peers = {t: figs[t][0] if t in figs else unmeasured.get(t, FULL_ONLY) for t in ("ncat", "nc", "socat")}
        yield Row(key=key, scenario=f"descriptor exhaustion and recovery, {what}",
                  figure=f"ulimit -n {NOFILE}, {FLOOD} silent clients for {HOLD:.0f} s, then {PROBES} fresh clients",
                  sockit=figs["sockit"][0], peers=peers,
                  goal=f"alive, CPU < 50%, {PROBES}/{PROBES} served after, each within {RECOVERY:.0f} s", met=figs["sockit"][1])
