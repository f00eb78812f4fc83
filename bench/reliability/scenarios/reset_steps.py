"""Reset and close at every step of an exchange: a client closes (FIN) or resets (RST) right after connect,
after half a message, after the whole message, and after the reply. After every step a fresh client must
still get its answer, and the server's logs must hold no stack trace. Grumpy servers (sockit serve; ncat and
socat running a shell per connection) and forwarders (sockit relay, ncat --sh-exec ncat, socat fork)."""
import socket
import time

from rel.clients import HELLO, exchange, grumpy_script, reset, stack_trace
from rel.procs import Proc, free_port, wait_listening
from rel.result import FULL_ONLY, Row

HOST = "127.0.0.1"


def steps():
    """(name, action on a connected socket) for every step; each ends the connection by FIN or RST."""
    def after(sent: bytes, read: bool, end):
        def act(s: socket.socket):
            if sent:
                s.sendall(sent)
            if read:
                s.settimeout(5)
                got = b""
                while b"\n" not in got and (block := s.recv(65536)):
                    got += block
            end(s)
        return act
    for when, sent, read in (("connect", b"", False), ("half a message", HELLO[:10], False),
                             ("the message", HELLO, False), ("the reply", HELLO, True)):
        yield f"close after {when}", after(sent, read, socket.socket.close)
        yield f"reset after {when}", after(sent, read, reset)


def survived(port: int, server: Proc, repeat: int) -> tuple[int, int, list[str]]:
    ok, total, lost = 0, 0, []
    for name, act in steps():
        for _ in range(repeat):  # each step several times, so a leak or a stuck slot would show
            total += 1
            try:
                s = socket.create_connection((HOST, port), timeout=5)
                act(s)
            except OSError:
                pass
            time.sleep(0.05)
            if exchange(HOST, port, timeout=2) and server.alive():
                ok += 1
            else:
                lost.append(name)
    return ok, total, lost


def measure(ctx, label: str, args: list[str], port: int | None) -> tuple[str, bool, str]:
    server = Proc(label, args, ctx.work)
    try:
        if port is None:
            port = server.port()
        else:
            wait_listening(port)
        ok, total, lost = survived(port, server, ctx.repeat)
        clean = not stack_trace(server.text())
        return f"{ok}/{total}" + ("" if clean else " + stack trace"), ok == total and clean, ", ".join(sorted(set(lost)))
    finally:
        server.stop()


def run(ctx):
    s = ctx.sockit
    ctx.repeat = 1 if ctx.quick else 3
    grumpy = grumpy_script(ctx.work)
    figures, notes = {}, []
    p = free_port()
    servers = {
        "sockit": ([s, "serve", "0", "--bind", HOST], None),
        "ncat": (["ncat", "-lk", HOST, str(p), "--sh-exec", grumpy], p),
    }
    p2 = free_port()
    servers["socat"] = (["socat", f"TCP-LISTEN:{p2},bind={HOST},reuseaddr,fork", f"EXEC:{grumpy}"], p2)
    for tool, (args, port) in list(servers.items())[:1 if ctx.quick else 3]:
        figures[tool] = measure(ctx, f"grumpy-{tool}", args, port)
        if figures[tool][2]:
            notes.append(f"{tool} lost: {figures[tool][2]}")
    yield Row(key="grumpy", scenario="reset/close at every step, grumpy server",
              figure=f"fresh clients answered after each of 8 steps x{ctx.repeat}", sockit=figures["sockit"][0],
              peers={t: figures[t][0] if t in figures else FULL_ONLY for t in ("ncat", "socat")} | {"nc": "— (no per-connection reply)"},
              goal="all, no stack trace", met=figures["sockit"][1], note="; ".join(notes))

    upstream = Proc("upstream", [s, "serve", "0", "--bind", HOST, "--backlog", "128"], ctx.work)
    try:
        up = upstream.port()
        figures, notes = {}, []
        p, p2 = free_port(), free_port()
        relays = {
            "sockit": ([s, "relay", "-l", f"{HOST}:0", HOST, str(up)], None),
            "ncat": (["ncat", "-lk", HOST, str(p), "--sh-exec", f"ncat {HOST} {up}"], p),
            "socat": (["socat", f"TCP-LISTEN:{p2},bind={HOST},reuseaddr,fork", f"TCP:{HOST}:{up}"], p2),
        }
        for tool, (args, port) in list(relays.items())[:1 if ctx.quick else 3]:
            if tool == "sockit":
                args = args[:2] + ["-v"] + args[2:]  # -v prints the "Listening on" line the port is read from
            figures[tool] = measure(ctx, f"relay-{tool}", args, port)
            if figures[tool][2]:
                notes.append(f"{tool} lost: {figures[tool][2]}")
        alive = upstream.alive()
    finally:
        upstream.stop()
    yield Row(key="relay", scenario="reset/close at every step, forwarder",
              figure=f"fresh clients answered through it after each of 8 steps x{ctx.repeat}", sockit=figures["sockit"][0],
              peers={t: figures[t][0] if t in figures else FULL_ONLY for t in ("ncat", "socat")} | {"nc": "— (no forwarder)"},
              goal="all, no stack trace", met=figures["sockit"][1] and alive, note="; ".join(notes))
