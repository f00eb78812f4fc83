"""Half-close matrix: the client sends its request and EOF at once; the listener sends its reply only after
that EOF (0.5 s later). Both must end with every byte: listener's stdout == request, client's == reply.
Each subject (sockit, ncat, nc, socat) meets every partner (nc, ncat, socat, python) in both roles, except
where the partner fails even against the Python reference."""
import os
import subprocess
import threading

from rel import measure, tools
from rel.procs import Proc, free_port, wait_listening
from rel.result import FULL_ONLY, Row

SUBJECTS = ("sockit", "ncat", "nc", "socat")
PARTNERS = ("nc", "ncat", "socat", "python")
HOST = "127.0.0.1"


def cell(ctx, client: str, server: str, n: int) -> bool:
    req, rep = os.path.join(ctx.work, "req"), os.path.join(ctx.work, "rep")
    port = free_port(HOST)
    lis = Proc(f"l{n}-{server}", tools.listener(server, ctx.sockit, HOST, port), ctx.work, stdin=subprocess.PIPE)
    feeder = None
    try:
        wait_listening(port)
        with open(req, "rb") as stdin:
            cli = Proc(f"c{n}-{client}", tools.client(client, ctx.sockit, HOST, port), ctx.work, stdin=stdin)
        feeder = threading.Timer(0.5, reply, (lis, rep))  # the reply starts after the client's EOF
        feeder.start()
        try:
            cli.wait(8)
            lis.wait(8)
        finally:
            cli.stop(timeout=0.5)
        ok = measure.sha256_file(cli.out_path) == measure.sha256_file(rep)
    finally:
        lis.stop(timeout=0.5)  # first: a feeder blocked on a listener that stopped reading is freed by its exit
        if feeder:
            feeder.join()
    return ok and measure.sha256_file(lis.out_path) == measure.sha256_file(req)


def reply(listener: Proc, path: str) -> None:
    """Writes the reply into the listener's stdin, then its EOF; a listener that already quit gets none."""
    try:
        with open(path, "rb") as f:
            listener.popen.stdin.write(f.read())
        listener.popen.stdin.close()
    except (BrokenPipeError, ValueError, OSError):
        pass


def run(ctx):
    size = 64 * 1024 if ctx.quick else 1024 * 1024
    measure.random_file(os.path.join(ctx.work, "req"), size)
    measure.random_file(os.path.join(ctx.work, "rep"), size)
    n = 0
    # First each partner in each role against the Python reference: a cell the partner cannot pass even
    # then (nc -l and ncat -l quit at the client's EOF) says nothing about the subject and is left out.
    capable = {}
    for partner in PARTNERS:
        for client, server, role in ((partner, "python", "client"), ("python", partner, "listener")):
            n += 1
            capable[partner, role] = partner == "python" or cell(ctx, client, server, n)
    incapable = [f"{p} as {r}" for (p, r), ok in capable.items() if not ok]
    scores, failures = {}, {}
    for subject in SUBJECTS[:1] if ctx.quick else SUBJECTS:
        passed = tried = 0
        for partner in PARTNERS:
            for client, server, role in ((subject, partner, "listener"), (partner, subject, "client")):
                if not capable[partner, role]:
                    continue
                n += 1
                tried += 1
                if cell(ctx, client, server, n):
                    passed += 1
                else:
                    failures.setdefault(subject, []).append(f"{client}->{server}")
        scores[subject] = (passed, tried)
    notes = ["left out (fails against Python too): " + ", ".join(incapable)] if incapable else []
    if failures:
        notes.append("failed: " + "; ".join(f"{s}: {', '.join(c)}" for s, c in failures.items()))
    show = lambda r: f"{r[0]}/{r[1]}"  # noqa: E731
    yield Row(key="matrix", scenario="half-close matrix",
              figure=f"cells with every byte both ways ({size // 1024} KiB each way, reply after the client's EOF)",
              sockit=show(scores["sockit"]), peers={p: show(scores[p]) if p in scores else FULL_ONLY
                                                    for p in ("ncat", "nc", "socat")},
              goal="every cell", met=scores["sockit"][0] == scores["sockit"][1] > 0, note="; ".join(notes))
