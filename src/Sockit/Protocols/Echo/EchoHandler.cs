using System.Buffers;
using Sockit.Protocols.Grumpy;
using Sockit.Relay;
using Sockit.Transports;
using Sockit.Transports.Linux;

namespace Sockit.Protocols.Echo;

/// <summary>How an echo exchange ended.</summary>
/// <param name="Bytes">Bytes echoed.</param>
/// <param name="TimedOut">True when the idle timeout ended it: no read or write moved a byte for that long.</param>
public readonly record struct EchoResult(long Bytes, bool TimedOut);

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
    /// <c>RECEIVED CONNECTION FROM ...</c>, echoes, then logs <c>ECHOED N BYTES TO ...</c> (after an idle line when
    /// <paramref name="idleTimeout"/> ended it).
    /// </summary>
    /// <param name="log">Receives the lines of each connection (never one per message); <c>null</c> logs nothing.</param>
    /// <param name="idleTimeout">Longest wait for any one read or write before a client is dropped; <c>null</c> waits for ever.</param>
    /// <remarks>On Linux a plain-TCP <see cref="Hosting.StreamHost"/> serves this handler on its event loop instead (same bytes, same lines).</remarks>
    public static ConnectionHandler Create(Action<string>? log = null, TimeSpan? idleTimeout = null) => new EchoService(log, idleTimeout).ServeAsync;

    /// <summary><c>ECHOED 1048576 BYTES TO 127.0.0.1:57257</c>, logged when a connection ends.</summary>
    public static string Echoed(string peer, long bytes) => $"ECHOED {bytes} BYTES TO {peer}";

    /// <summary>Echoes until the peer half-closes; returns the number of bytes echoed.</summary>
    /// <param name="connection">The connection to serve.</param>
    /// <param name="cancel">Aborts the exchange (server shutdown).</param>
    public static async ValueTask<long> RunAsync(DuplexEnd connection, CancellationToken cancel)
        => (await RunAsync(connection, idleTimeout: null, cancel).ConfigureAwait(false)).Bytes;

    /// <summary>
    /// Echoes until the peer half-closes or, when <paramref name="idleTimeout"/> is set, until one read or write
    /// waits that long (a silent peer, or one that stops reading its echo); then returns without half-closing.
    /// </summary>
    /// <param name="connection">The connection to serve.</param>
    /// <param name="idleTimeout">Longest wait for any one read or write; <c>null</c> waits for ever.</param>
    /// <param name="cancel">Aborts the exchange (server shutdown).</param>
    public static async ValueTask<EchoResult> RunAsync(DuplexEnd connection, TimeSpan? idleTimeout, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // One token source per connection, re-armed before each wait; without a limit the caller's token serves.
        using CancellationTokenSource? limit = idleTimeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancel);
        CancellationToken wait = limit?.Token ?? cancel;
        byte[]? buffer = null;
        long echoed = 0;
        try
        {
            while (true)
            {
                // Wait for readability without holding memory, so thousands of idle peers cost no buffers.
                if (buffer is null)
                {
                    Arm(limit, idleTimeout);
                    await connection.ReadAsync(Memory<byte>.Empty, wait).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                }
                Arm(limit, idleTimeout);
                int n = await connection.ReadAsync(buffer, wait).ConfigureAwait(false);
                if (n == 0) break;
                Arm(limit, idleTimeout);
                await connection.WriteAsync(buffer.AsMemory(0, n), wait).ConfigureAwait(false);
                echoed += n;
            }
            await connection.CompleteWritesAsync().ConfigureAwait(false);
            return new EchoResult(echoed, TimedOut: false);
        }
        catch (OperationCanceledException) when (limit is not null && !cancel.IsCancellationRequested)
        {
            return new EchoResult(echoed, TimedOut: true);
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Arm(CancellationTokenSource? limit, TimeSpan? idleTimeout)
    {
        if (limit is not null) limit.CancelAfter(idleTimeout!.Value);
    }
}

/// <summary>The echo handler's target: the portable handler, and what the Linux event loop runs in its place.</summary>
internal sealed class EchoService(Action<string>? log, TimeSpan? idleTimeout) : ILoopServed
{
    public async ValueTask ServeAsync(DuplexEnd connection, CancellationToken abort)
    {
        log?.Invoke(GrumpyText.Received(connection.Name));
        EchoResult result = await EchoHandler.RunAsync(connection, idleTimeout, abort).ConfigureAwait(false);
        if (result.TimedOut && idleTimeout is { } idle) log?.Invoke(GrumpyText.Idle(connection.Name, idle, answered: false));
        log?.Invoke(EchoHandler.Echoed(connection.Name, result.Bytes));
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public LoopProtocol CreateLoopProtocol() => new EchoLoopProtocol(log, idleTimeout);
}
