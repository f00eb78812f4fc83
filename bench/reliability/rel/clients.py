"""Small socket clients the scenarios drive servers with."""
import os
import socket
import struct
import time

HELLO = b"Hello server, would you like to chat?\n"


def exchange(host: str, port: int, message: bytes = HELLO, timeout: float = 5.0) -> bytes:
    """One grumpy exchange: send MESSAGE, read the reply line (to its newline or EOF); b'' if none came in time."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(message)
            reply = b""
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                block = s.recv(65536)
                reply += block
                if not block or b"\n" in reply:
                    break
            return reply
    except OSError:
        return b""


def reset(s: socket.socket) -> None:
    """Close with SO_LINGER 0: the peer gets an RST instead of a FIN."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def stack_trace(text: str) -> bool:
    """Whether a log holds a .NET stack trace (which the issue forbids on bad input)."""
    return "\n   at " in text or "Unhandled exception" in text


def grumpy_script(work: str) -> str:
    """The grumpy exchange as a script, for peers that run a program per connection (ncat -e, socat EXEC)."""
    path = os.path.join(work, "grumpy.sh")
    with open(path, "w") as f:
        f.write("#!/bin/sh\nread -r line\necho \"I'm a grumpy server, don't connect, I don't want no friends!\"\n")
    os.chmod(path, 0o755)
    return path


def open_many(host: str, port: int, count: int, wait: float = 3.0, source: str | None = None) -> list[socket.socket]:
    """COUNT non-blocking connects at once; returns the sockets after up to WAIT seconds, connected or not
    (one still in SYN_SENT is a client the listener's backlog did not take)."""
    import select
    socks = []
    for _ in range(count):
        s = socket.socket()
        s.setblocking(False)
        if source:
            s.bind((source, 0))
        s.connect_ex((host, port))
        socks.append(s)
    poller = select.poll()  # not select(): descriptors above 1023 are the point of some scenarios
    pending = {s.fileno(): s for s in socks}
    for fd in pending:
        poller.register(fd, select.POLLOUT)
    deadline = time.monotonic() + wait
    while pending and time.monotonic() < deadline:
        for fd, _ in poller.poll(200):
            poller.unregister(fd)
            pending.pop(fd, None)
    return socks


def connected(s: socket.socket) -> bool:
    """Whether a non-blocking connect has completed."""
    try:
        s.getpeername()
        return True
    except OSError:
        return False


def line_arrives(host: str, port: int, line: str, output, timeout: float = 3.0) -> bool:
    """Connects, sends LINE, and waits until OUTPUT() (a listener's or an upstream's stdout) shows it."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(line.encode() + b"\n")
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if line in output():
                    return True
                time.sleep(0.05)
    except OSError:
        pass
    return False


def closed_by_peer(s: socket.socket) -> bool:
    """Whether the peer has closed or reset S (anything it sent first, such as a reply, is read and ignored)."""
    s.setblocking(False)
    try:
        while True:
            if s.recv(65536) == b"":
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True
