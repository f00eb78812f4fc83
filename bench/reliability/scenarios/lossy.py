"""1 GiB (64 MiB quick) byte-exact through 10% packet loss: two network namespaces joined by a veth pair,
nftables dropping one packet in ten at random on each side (so data and ACKs alike). Both directions: the
client sends to the listener, and the listener sends to the client. sockit and ncat run at the same time,
each through its own namespace pair, so they see the same machine load."""
import os
import subprocess
import threading
import time

from rel import netns
from rel.measure import random_file, sha256_file
from rel.procs import Proc
from rel.result import Row

VARIANTS = ("client-sends", "listener-sends")  # each in its own child process, each within the time bound
PORT = 9000  # inside namespaces this run just made, where nothing else can listen
LIMIT = 90.0  # per transfer; with making 1 GiB of random data it keeps the child inside 2 minutes


def commands(tool: str, sockit: str, listener_sends: bool) -> tuple[list[str], list[str]]:
    """(listener, client) argument lists; the receiving side of ncat is told --recv-only, the sender
    --send-only, as ncat documents for one-way transfers."""
    b = netns.B_ADDR
    if tool == "sockit":
        return [sockit, "cat", "-l", "-v", b, str(PORT)], [sockit, "cat", b, str(PORT)]
    listen = ["ncat", "-l", "-v", "--send-only" if listener_sends else "--recv-only", b, str(PORT)]
    return listen, ["ncat", "--recv-only" if listener_sends else "--send-only", b, str(PORT)]


def transfer(ctx, tool: str, data: str, listener_sends: bool, out: dict) -> None:
    pair = netns.LossyPair(tool[0], 10)
    listener = client = None
    try:
        lis_args, cli_args = commands(tool, ctx.sockit, listener_sends)
        received = os.path.join(ctx.work, f"{tool}.received")
        with open(data, "rb") as src, open(received, "wb") as dst:
            listener = Proc(f"{tool}-listener", lis_args, ctx.work, netns=pair.b,
                            stdin=src if listener_sends else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL if listener_sends else dst)
            listener.wait_for(r"Listening on", 15)
            started = time.monotonic()
            client = Proc(f"{tool}-client", cli_args, ctx.work, netns=pair.a,
                          stdin=subprocess.DEVNULL if listener_sends else src,
                          stdout=dst if listener_sends else subprocess.DEVNULL)
            receiver = client if listener_sends else listener
            rc = receiver.wait(LIMIT)
            elapsed = time.monotonic() - started
        seen, dropped = pair.counters()
        out[tool] = dict(done=rc is not None, secs=elapsed, exact=rc is not None and sha256_file(received) == out["digest"],
                         loss=dropped / max(seen, 1), packets=seen)
    except Exception as e:  # noqa: BLE001 - reported in the row, the other tool's run goes on
        out[tool] = dict(done=False, secs=0.0, exact=False, loss=0.0, packets=0, error=str(e)[:200])
    finally:
        for p in (client, listener):
            if p:
                p.stop(timeout=2)
        pair.close()


def show(r: dict, size: int) -> str:
    if not r["done"]:
        return "not finished in time" if "error" not in r else "error: " + r["error"]
    return (f"{'exact' if r['exact'] else 'CORRUPT'}, {size / (1 << 20) / r['secs']:.1f} MiB/s "
            f"({r['loss']:.1%} of {r['packets']:,} packets dropped)")


def run(ctx):
    size = (64 << 20) if ctx.quick else (1 << 30)
    data = os.path.join(ctx.work, "data")
    results = {"digest": random_file(data, size)}
    directions = [v for v in VARIANTS if ctx.variant in ("", v)]
    for direction in directions:
        listener_sends = direction == "listener-sends"
        threads = [threading.Thread(target=transfer, args=(ctx, t, data, listener_sends, results)) for t in ("sockit", "ncat")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        s = results["sockit"]
        what = "listener to client" if listener_sends else "client to listener"
        yield Row(key=direction, scenario=f"{size >> 20:,} MiB through 10% packet loss, {what}",
                  figure="SHA-256 equal; MiB/s (veth between two namespaces, nftables random drop both ways)",
                  sockit=show(s, size), peers={"ncat": show(results["ncat"], size), "nc": "—", "socat": "—"},
                  goal=f"exact, within {LIMIT:.0f} s", met=s["done"] and s["exact"])
