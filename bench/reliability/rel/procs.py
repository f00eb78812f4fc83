"""Processes under test: started in their own process group, logged to files, always killed at the end."""
import atexit
import os
import re
import resource
import signal
import socket
import subprocess
import time

_LIVE: list["Proc"] = []


def free_port(host: str = "127.0.0.1", kind: int = socket.SOCK_STREAM) -> int:
    """A port the kernel just handed out for HOST (for peers that cannot be told port 0)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, kind) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class Proc:
    """One child process. stdout/stderr go to files under WORK unless given; NOFILE raises or lowers its fd limit;
    NETNS runs it inside a network namespace."""

    def __init__(self, name, args, work, stdin=subprocess.DEVNULL, stdout=None, nofile=None, netns=None, env=None):
        self.name = name
        self.out_path = os.path.join(work, f"{name}.out")
        self.err_path = os.path.join(work, f"{name}.err")
        if netns:
            args = ["ip", "netns", "exec", netns] + list(args)
        self._out = open(self.out_path, "wb") if stdout is None else None
        self._err = open(self.err_path, "wb")

        def limits():
            # A suite started in the background by a shell inherits SIGINT ignored; the process under test must
            # see SIGINT as a terminal would deliver it.
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            if nofile:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, max(nofile, resource.getrlimit(resource.RLIMIT_NOFILE)[1])))

        self.popen = subprocess.Popen(args, stdin=stdin, stdout=self._out if stdout is None else stdout,
                                      stderr=self._err, start_new_session=True, preexec_fn=limits,
                                      env=None if env is None else {**os.environ, **env})
        self.pid = self.popen.pid
        _LIVE.append(self)

    def text(self, which="both") -> str:
        parts = []
        for path, kind in ((self.out_path, "out"), (self.err_path, "err")):
            if which in (kind, "both") and os.path.exists(path):
                with open(path, "rb") as f:
                    parts.append(f.read().decode("utf-8", "replace"))
        return "".join(parts)

    def wait_for(self, pattern: str, timeout: float = 10.0, which="both") -> re.Match:
        """Polls the logs for PATTERN; fails if the process exits first or the time runs out."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern, re.M)
        while time.monotonic() < deadline:
            m = regex.search(self.text(which))
            if m:
                return m
            if self.popen.poll() is not None:
                m = regex.search(self.text(which))
                if m:
                    return m
                raise RuntimeError(f"{self.name} exited ({self.popen.returncode}) before /{pattern}/: {self.text()[-400:]}")
            time.sleep(0.02)
        raise RuntimeError(f"{self.name}: no /{pattern}/ within {timeout}s: {self.text()[-400:]}")

    def port(self, timeout: float = 10.0) -> int:
        """The port of sockit's 'LISTENING' or 'Listening on ADDR:PORT' line."""
        m = self.wait_for(r"(?:AT \S+:(\d+) LISTENING|Listening on \S*:(\d+))", timeout)
        return int(m.group(1) or m.group(2))

    def alive(self) -> bool:
        return self.popen.poll() is None

    def send_signal(self, sig) -> None:
        if self.alive():
            os.kill(self.pid, sig)

    def wait(self, timeout: float) -> int | None:
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, sig=signal.SIGTERM, timeout: float = 5.0) -> int:
        """Signals the process, then kills its whole group if it has not exited within TIMEOUT."""
        if self.alive():
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass
        rc = self.wait(timeout)
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if rc is None:
            rc = self.popen.wait(5)
        for f in (self._out, self._err):
            if f:
                f.close()
        if self in _LIVE:
            _LIVE.remove(self)
        return rc


def wait_listening(port: int, timeout: float = 10.0, udp: bool = False) -> None:
    """For peers that print nothing: waits for a listening TCP socket (or a bound UDP one) on PORT in
    /proc/net/{tcp,udp}{,6} (a probe connection or datagram would count as a client)."""
    deadline = time.monotonic() + timeout
    want = f":{port:04X}"
    proto = "udp" if udp else "tcp"
    while time.monotonic() < deadline:
        for table in (f"/proc/net/{proto}", f"/proc/net/{proto}6"):
            with open(table) as f:
                for line in f.readlines()[1:]:
                    cols = line.split()
                    if cols[1].endswith(want) and (udp or cols[3] == "0A"):
                        return
        time.sleep(0.02)
    raise RuntimeError(f"nothing {'bound' if udp else 'listens'} on port {port} within {timeout}s")


def line_sink(work: str) -> Proc:
    """Starts rel/linesink.py on 127.0.0.1 (an upstream that holds any number of clients, their lines on its
    stdout); its .port() is where it listens."""
    import sys
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linesink.py")
    return Proc("sink", [sys.executable, script, "127.0.0.1"], work, nofile=20000)


def stop_all() -> None:
    for p in list(_LIVE):
        try:
            p.stop(signal.SIGKILL, 1)
        except Exception:  # noqa: BLE001 - cleanup must go on for the others
            pass


atexit.register(stop_all)


def raise_nofile(want: int) -> None:
    """Raises this process's descriptor limit to WANT (at most the hard limit) for scenarios with many sockets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
