"""How each tool is asked to relay stdin/stdout over TCP, as a client and as a listener, with the flags
each one documents for finishing both directions (nc -N, socat -t 30)."""
import os
import sys

PYCAT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pycat.py")


def client(tool: str, sockit: str, host: str, port: int) -> list[str]:
    return {
        "sockit": [sockit, "cat", host, str(port)],
        "ncat": ["ncat", host, str(port)],
        "nc": ["nc", "-N", host, str(port)],
        "socat": ["socat", "-t", "30", "-", f"TCP:{host}:{port}"],
        "python": [sys.executable, PYCAT, "connect", host, str(port)],
    }[tool]


def listener(tool: str, sockit: str, host: str, port: int) -> list[str]:
    return {
        "sockit": [sockit, "cat", "-l", host, str(port)],
        "ncat": ["ncat", "-l", host, str(port)],
        "nc": ["nc", "-l", "-N", host, str(port)],
        "socat": ["socat", "-t", "30", "-", f"TCP-LISTEN:{port},bind={host},reuseaddr"],
        "python": [sys.executable, PYCAT, "listen", host, str(port)],
    }[tool]
