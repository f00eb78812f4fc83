using System.Buffers;
using Sockit.Protocols.Grumpy;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Protocols.Echo;

/// <summary>
/// The echo protocol (RFC 862 over a stream): every byte received is sent back, in order, until the peer
/// half-closes; then our side half-closes too and the connection ends.
/// </summary>
/// <remarks>
/// An idle connection holds no buffer: each turn first waits with a zero-byte read until data is there, and
/// only then borrows the pooled buffer, which is kept for the rest of the connection. Nothing is allocated
/// per message, so a connection costs the same whether it echoes one byte or a gigabyte.
/// </remarks>
public static class EchoHandler
{
    /// <summary>The size of the buffer borrowed per connection: the most echoed per read.</summary>
    public const int BufferSize = 16 * 1024;

    /// <summary>
    /// The echo service as a handler for <see cref="Hosting.StreamHost"/>: per connection it logs
    /// <c>RECEIVED CONNECTION FROM ...</c>, echoes, then logs <c>ECHOED N BYTES TO ...</c>.
    /// </summary>
    /// <param name="log">Receives the two lines per connection (never one per message); <c>null</c> logs nothing.</param>
    public static ConnectionHandler Create(Action<string>? log = null) => async (connection, abort) =>
    {
        log?.Invoke(GrumpyText.Received(connection.Name));
        long echoed = await RunAsync(connection, abort).ConfigureAwait(false);
        log?.Invoke(Echoed(connection.Name, echoed));
    };

    /// <summary><c>ECHOED 1048576 BYTES TO 127.0.0.1:57257</c>, logged when a connection ends normally.</summary>
    public static string Echoed(string peer, long bytes) => $"ECHOED {bytes} BYTES TO {peer}";

    /// <summary>Echoes until the peer half-closes; returns the number of bytes echoed.</summary>
    /// <param name="connection">The connection to serve.</param>
    /// <param name="cancel">Aborts the exchange (server shutdown).</param>
    public static async ValueTask<long> RunAsync(DuplexEnd connection, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(connection);
        byte[]? buffer = null;
        long echoed = 0;
        try
        {
            while (true)
            {
                // Wait for readability without holding memory, so thousands of idle peers cost no buffers.
                if (buffer is null)
                {
                    await connection.ReadAsync(Memory<byte>.Empty, cancel).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                }
                int n = await connection.ReadAsync(buffer, cancel).ConfigureAwait(false);
                if (n == 0) break;
                await connection.WriteAsync(buffer.AsMemory(0, n), cancel).ConfigureAwait(false);
                echoed += n;
            }
            await connection.CompleteWritesAsync().ConfigureAwait(false);
            return echoed;
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
