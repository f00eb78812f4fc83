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
