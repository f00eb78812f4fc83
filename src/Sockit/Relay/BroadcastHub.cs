using System.Buffers;
using System.Collections.Concurrent;

namespace Sockit.Relay;

/// <summary>
/// Keep-open mode (ncat <c>--keep-open</c>): many connections at once around one local end. What each
/// connection sends is written to the local end one whole chunk at a time (never interleaved mid-chunk);
/// what the local end reads is sent to every connection. At the local input's EOF every connection is
/// half-closed, and connections arriving later are half-closed at once.
/// </summary>
internal sealed class BroadcastHub(DuplexEnd local, RelayOptions options, bool shutdownOnInputEof)
{
    private readonly ConcurrentDictionary<DuplexEnd, Member> _members = new();
    private readonly SemaphoreSlim _outputGate = new(1, 1);
    private volatile bool _inputEnded;

    /// <summary>Connections being served now.</summary>
    public int Count => _members.Count;

    /// <summary>
    /// Serves one connection until it has sent everything (its EOF) and the hub has nothing more to send
    /// it (local EOF, or a failed send). Returns bytes received from it and sent to it.
    /// </summary>
    public async Task<RelayResult> ServeAsync(DuplexEnd connection, CancellationToken cancel)
    {
        var member = new Member(connection);
        _members[connection] = member;
        try
        {
            if (_inputEnded || !options.CopyAToB) await member.FinishSendingAsync(shutdownOnInputEof && _inputEnded).ConfigureAwait(false);
            (long received, RelayEndReason reason, Exception? error) = await ReceiveAsync(connection, cancel).ConfigureAwait(false);
            if (reason == RelayEndReason.BothEof)
            {
                try
                {
                    await member.SendDone.WaitAsync(cancel).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    reason = RelayEndReason.Cancelled;
                }
            }
            return new RelayResult(member.Sent, received, reason, error ?? member.Error);
        }
        finally
        {
            _members.TryRemove(connection, out _);
            member.Abandon();
        }
    }

    private async Task<(long, RelayEndReason, Exception?)> ReceiveAsync(DuplexEnd connection, CancellationToken cancel)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
        long received = 0;
        try
        {
            while (true)
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
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return (received, RelayEndReason.Cancelled, null);
        }
        catch (Exception e) when (RelayErrors.IsStreamFailure(e))
        {
            return (received, RelayErrors.Classify(e, reading: true), e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the local input and sends each chunk to every member, until the input's EOF.</summary>
    public async Task<RelayEndReason> BroadcastAsync(CancellationToken cancel)
    {
        if (!options.CopyAToB) return RelayEndReason.BothEof;
        byte[] buffer = new byte[options.BufferSize];
        while (true)
        {
            int n;
            try
            {
                n = await local.ReadAsync(buffer, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return RelayEndReason.Cancelled;
            }
            catch (Exception e) when (RelayErrors.IsStreamFailure(e))
            {
                return RelayEndReason.ReadError;
            }
            if (n == 0) break;
            ReadOnlyMemory<byte> chunk = buffer.AsMemory(0, n);
            await Task.WhenAll(_members.Values.Select(m => m.SendAsync(chunk, cancel))).ConfigureAwait(false);
        }
        options.OnEof?.Invoke("A");
        _inputEnded = true;
        await Task.WhenAll(_members.Values.Select(m => m.FinishSendingAsync(shutdownOnInputEof))).ConfigureAwait(false);
        return RelayEndReason.BothEof;
    }

    private sealed class Member(DuplexEnd connection)
    {
        private readonly TaskCompletionSource _sendDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _sent;

        public Task SendDone => _sendDone.Task;

        public long Sent => Volatile.Read(ref _sent);

        public Exception? Error { get; private set; }

        public async Task SendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancel)
        {
            if (_sendDone.Task.IsCompleted) return;
            try
            {
                await connection.WriteAsync(chunk, cancel).ConfigureAwait(false);
                Interlocked.Add(ref _sent, chunk.Length);
            }
            catch (Exception e) when (RelayErrors.IsStreamFailure(e) || e is OperationCanceledException)
            {
                // One member failing must not stop the broadcast to the others.
                Error ??= e is OperationCanceledException ? null : e;
                _sendDone.TrySetResult();
            }
        }

        public async Task FinishSendingAsync(bool shutdown)
        {
            if (!_sendDone.TrySetResult()) return;
            if (!shutdown) return;
            try
            {
                await connection.CompleteWritesAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (RelayErrors.IsStreamFailure(e))
            {
            }
        }

        public void Abandon() => _sendDone.TrySetResult();
    }
}
