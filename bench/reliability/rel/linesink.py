#!/usr/bin/env python3
"""An upstream for forwarder scenarios: accepts any number of clients on HOST:0, prints "Listening on
HOST:PORT" on stderr, writes each line received to stdout, and closes a client when it closes.
  linesink.py HOST"""
import asyncio
import sys


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while line := await reader.readline():
            sys.stdout.write(line.decode(errors="replace"))
            sys.stdout.flush()
    except ConnectionError:
        pass
    writer.close()


async def main() -> None:
    server = await asyncio.start_server(serve, sys.argv[1], 0, backlog=4096)
    print(f"Listening on {sys.argv[1]}:{server.sockets[0].getsockname()[1]}", file=sys.stderr, flush=True)
    await server.serve_forever()


asyncio.run(main())
