#!/usr/bin/env python3
"""The reference relay the other tools are paired with: stdin to the socket then shutdown(SHUT_WR), the
socket to stdout until the peer's EOF; both directions finish before it exits.
  pycat.py connect HOST PORT | pycat.py listen HOST PORT"""
import socket
import sys
import threading

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "listen":
    server = socket.create_server((host, port))
    sock, _ = server.accept()
    server.close()
else:
    sock = socket.create_connection((host, port), timeout=10)
    sock.settimeout(None)


def send() -> None:
    while block := sys.stdin.buffer.read1(65536):
        sock.sendall(block)
    sock.shutdown(socket.SHUT_WR)


sender = threading.Thread(target=send)
sender.start()
while block := sock.recv(65536):
    sys.stdout.buffer.write(block)
sys.stdout.buffer.flush()
sender.join()
sock.close()
