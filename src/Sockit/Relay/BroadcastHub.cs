using System.Buffers;

namespace Sockit.Relay;

/// <summary>
/// Keep-open mode (ncat <c>--keep-open</c>): many connections at once around one local end. What each
/// connection sends is written to the local end one whole chunk at a time (never interleaved mid-chunk);
/// what the local end reads is sent to every connection. At the local input's EOF every connection is
/// half-closed, and connections arriving later are half-closed at once.
/// </summary>
/// <remarks>
/// Each connection has its own reader, so its EOF, reset or close ends its session (and frees its slot and
/// descriptor) when it happens, as ncat does, not at the next broadcast write. Each has its own queue of
/// shared, reference-counted chunks: the broadcast goes at the pace of the fastest connection, and one that
/// falls more than <c>sendQueueLimit</c> bytes behind and does not catch up to half of that within
/// <c>dropGrace</c> is dropped (<see cref="RelayEndReason.FellBehind"/>), so one reader that stops reading
/// stalls the others for that grace at most, once.
/// Run <see cref="BroadcastAsync"/> once, and <see cref="ServeAsync"/> for each connection (from a
/// <see cref="Transports.StreamServer"/> or <see cref="Hosting.StreamHost"/> handler).
/// </remarks>
/// <param name="local">The one local end (stdin/stdout in <c>sockit cat -lk</c>).</param>
/// <param name="options">Buffer size and EOF callback (<see cref="RelayOptions.OnEof"/>: "A" for the local input).</param>
/// <param name="shutdownOnInputEof">Half-close every connection at the local input's EOF (false: leave their sending side open, as <c>--no-shutdown</c> asks).</param>
/// <param name="sendQueueLimit">Most bytes that may wait for one connection before it risks being dropped (<see cref="DefaultSendQueueLimit"/>).</param>
/// <param name="dropGrace">How long a connection past the limit has to come back under half of it (<see cref="DefaultDropGrace"/> when null).</param>
public sealed class BroadcastHub(DuplexEnd local, RelayOptions options, bool shutdownOnInputEof, long sendQueueLimit, TimeSpan? dropGrace = null)
{
    /// <summary>Default bound on what may wait for one connection: 1 MiB.</summary>
    public const long DefaultSendQueueLimit = 1024 * 1024;

    /// <summary>How long a member past the limit has to come back under half of it before it is dropped.</summary>
    public static readonly TimeSpan DefaultDropGrace = TimeSpan.FromSeconds(1);

    private readonly FanOut _fanOut = new(sendQueueLimit, dropGrace ?? DefaultDropGrace);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _outputGate = new(1, 1);
    private bool _inputEnded;

    /// <summary>Connections being served now.</summary>
    public int Count => _fanOut.Count;

    /// <summary>
    /// Serves one connection until its own data ends (EOF, reset), it is dropped for falling behind, or
    /// <paramref name="cancel"/>. Returns bytes received from it and sent to it.
    /// </summary>
    public async Task<RelayResult> ServeAsync(DuplexEnd connection, CancellationToken cancel)
    {
        using var member = new BroadcastMember(connection, _fanOut.Space, cancel);
        Task sending = options.CopyAToB ? member.SendLoopAsync(shutdownOnInputEof) : Task.CompletedTask;
        Join(member);
        (long received, RelayEndReason reason, Exception? error) = (0, RelayEndReason.Cancelled, null);
        try
        {
            (received, reason, error) = await ReceiveAsync(connection, member.Stopping).ConfigureAwait(false);
        }
        finally
        {
            Leave(member);
            await sending.ConfigureAwait(false);
        }
        if (member.Dropped) return new RelayResult(member.Sent, received, RelayEndReason.FellBehind);
        if (member.SendError is { } failed && reason is RelayEndReason.Cancelled or RelayEndReason.BothEof)
            return new RelayResult(member.Sent, received, RelayErrors.Classify(failed, reading: false), failed);
        return new RelayResult(member.Sent, received, reason, error);
    }

    private void Join(BroadcastMember member)
    {
        lock (_gate)
        {
            if (_inputEnded || !options.CopyAToB) member.EndInput();
            _fanOut.Join(member);
        }
    }

    private void Leave(BroadcastMember member)
    {
        _fanOut.Leave(member);
        member.Close();
    }

    // An idle member holds no buffer (10,000 idle clients would otherwise pin 64 KiB each): a zero-byte read
    // waits until data is there, and the buffer is rented only for the read that follows (as EchoHandler does).
    private async Task<(long, RelayEndReason, Exception?)> ReceiveAsync(DuplexEnd connection, CancellationToken cancel)
    {
        long received = 0;
        try
        {
            while (true)
            {
                await connection.ReadAsync(Memory<byte>.Empty, cancel).ConfigureAwait(false);
                byte[] buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
                try
                {
                    int n = await connection.ReadAsync(buffer.AsMemory(0, options.BufferSize), cancel).ConfigureAwait(false);
                    if (n == 0) return (received, RelayEndReason.BothEof, null);
                    received += n;
                    if (!options.CopyBToA) continue;
                    await _outputGate.WaitAsync(cancel).ConfigureAwait(false);
                    try
                    {
                        await local.WriteAsync(buffer.AsMemory(0, n), cancel).ConfigureAwait(false);
                    }
                    finally
                    {
                        _outputGate.Release();
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return (received, RelayEndReason.Cancelled, null);
        }
        catch (Exception e) when (RelayErrors.IsStreamFailure(e))
        {
            return (received, RelayErrors.Classify(e, reading: true), e);
        }
    }

    /// <summary>Reads the local input and queues each chunk for every member, until the input's EOF.</summary>
    public async Task<RelayEndReason> BroadcastAsync(CancellationToken cancel)
    {
        if (!options.CopyAToB) return RelayEndReason.BothEof;
        var pool = new BroadcastChunk.ChunkPool(options.BufferSize);
        using CancellationTokenRegistration wakeOnCancel = cancel.UnsafeRegister(static s => ((WakeSignal)s!).Set(), _fanOut.Space);
        using FanOut fanOut = _fanOut;
        while (true)
        {
            BroadcastChunk chunk = pool.Rent();
            int n;
            try
            {
                n = await local.ReadAsync(chunk.Buffer, cancel).ConfigureAwait(false);
                if (n > 0)
                {
                    chunk.Filled(n);
                    await fanOut.DeliverAsync(chunk, except: null, cancel).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                // An abandoned read may still fill this chunk's buffer: it is not returned to the pool.
                return RelayEndReason.Cancelled;
            }
            catch (Exception e) when (RelayErrors.IsStreamFailure(e))
            {
                return RelayEndReason.ReadError;
            }
            if (n == 0)
            {
                pool.Return(chunk);
                break;
            }
            chunk.Release();
        }
        options.OnEof?.Invoke("A");
        lock (_gate)
        {
            _inputEnded = true;
            foreach (BroadcastMember member in _fanOut.Members) member.EndInput();
        }
        return RelayEndReason.BothEof;
    }
}
