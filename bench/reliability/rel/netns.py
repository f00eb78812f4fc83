"""Two network namespaces joined by one veth pair, with nftables dropping a share of packets.

The addresses (10.231.0.1/30 and 10.231.0.2/30) exist only on that veth pair, between the two namespaces
this object creates; nothing is routed anywhere else. Names carry the suite's PID so parallel runs and
leftovers never collide, and the namespaces are deleted on exit whatever happened."""
import atexit
import os
import subprocess

A_ADDR, B_ADDR = "10.231.0.1", "10.231.0.2"
_CREATED: list[str] = []


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)


def _nft(ns: str, script: str) -> None:
    subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", "-"], input=script.encode(), check=True,
                   capture_output=True, timeout=10)


class LossyPair:
    """Namespaces A and B; every packet entering either side is dropped with probability 1/EVERY.

    veth hands over GSO packets (up to 64 KiB) unless told otherwise; the drop applies to each packet as
    netfilter sees it, and seen() / dropped() give the real share. The route's rto_min is lowered to 5 ms
    (both tools alike) so that a 1 GiB run through this much loss fits the suite's 2-minute bound: with
    Linux's 200 ms default, retransmission timeouts alone make it take several minutes."""

    def __init__(self, tag: str, every: int):
        base = f"sockrel{os.getpid()}{tag}"
        self.a, self.b = base + "a", base + "b"
        for ns in (self.a, self.b):
            _ip("netns", "add", ns)
            _CREATED.append(ns)
        _ip("link", "add", "veth0", "netns", self.a, "type", "veth", "peer", "name", "veth1", "netns", self.b)
        for ns, dev, addr in ((self.a, "veth0", A_ADDR), (self.b, "veth1", B_ADDR)):
            _ip("-n", ns, "addr", "add", f"{addr}/30", "dev", dev)
            _ip("-n", ns, "link", "set", dev, "up")
            _ip("-n", ns, "link", "set", "lo", "up")
            _ip("-n", ns, "route", "change", "10.231.0.0/30", "dev", dev, "rto_min", "5ms")
            # Random loss on the way in, on both sides: data and ACKs are lost alike, in both directions.
            # The first rule only counts what arrives, so the real loss share can be reported.
            _nft(ns, f"table inet loss {{\n chain in {{\n  type filter hook input priority 0;\n"
                     f"  iifname \"{dev}\" counter\n"
                     f"  iifname \"{dev}\" numgen random mod {every} == 0 counter drop\n }}\n}}\n")

    def counters(self) -> tuple[int, int]:
        """(packets that arrived on either veth end, packets the drop rules discarded) so far."""
        seen = dropped = 0
        for ns in (self.a, self.b):
            out = subprocess.run(["ip", "netns", "exec", ns, "nft", "list", "table", "inet", "loss"],
                                 capture_output=True, text=True, timeout=10).stdout
            for line in out.splitlines():
                words = line.split()
                if "packets" in words:
                    n = int(words[words.index("packets") + 1])
                    if "drop" in words:
                        dropped += n
                    else:
                        seen += n
        return seen, dropped

    def close(self) -> None:
        for ns in (self.a, self.b):
            delete(ns)


def delete(ns: str) -> None:
    subprocess.run(["ip", "netns", "delete", ns], capture_output=True, timeout=10)
    if ns in _CREATED:
        _CREATED.remove(ns)


def delete_leftovers(pid: int) -> None:
    """Deletes every namespace a (killed) child process PID created."""
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=10).stdout
    for line in out.splitlines():
        name = line.split()[0] if line.split() else ""
        if name.startswith(f"sockrel{pid}"):
            delete(name)


atexit.register(lambda: [delete(ns) for ns in list(_CREATED)])
