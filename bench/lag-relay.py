"""A TCP relay on loopback that holds every piece of data DELAY_MS before passing it on, in both directions.

    python3 bench/lag-relay.py LISTEN_PORT TARGET_PORT DELAY_MS

Between a registry and S3Proxy it makes each S3 call wait a round trip of 2 x DELAY_MS, as calls to a remote S3 do,
where S3Proxy on loopback answers in about a millisecond (bench/compare.sh --s3-lag). Pieces keep their order on
each connection; the relay adds latency, not a bandwidth limit.
"""
import asyncio
import sys


async def relay(reader, writer, delay):
    """Passes each piece on DELAY after it arrived, as a link with that latency does: pieces that follow one another
    closely also arrive close together, rather than each waiting for the one before it and then its own delay."""
    loop = asyncio.get_running_loop()
    # bounded, so that a fast sender waits for the link rather than filling memory (64 MiB at most in flight)
    pieces = asyncio.Queue(maxsize=1024)

    async def deliver():
        try:
            while (piece := await pieces.get()) is not None:
                due, data = piece
                if (wait := due - loop.time()) > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            while await pieces.get() is not None:  # the far end is gone: what still comes is dropped
                pass

    delivering = asyncio.create_task(deliver())
    try:
        while data := await reader.read(65536):
            await pieces.put((loop.time() + delay, data))
    except ConnectionError:
        pass
    finally:
        await pieces.put(None)
        await delivering
        writer.close()


async def serve(listen_port, target_port, delay):
    async def connect(client_reader, client_writer):
        try:
            target_reader, target_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(relay(client_reader, target_writer, delay), relay(target_reader, client_writer, delay))

    server = await asyncio.start_server(connect, "127.0.0.1", listen_port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    asyncio.run(serve(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000))
