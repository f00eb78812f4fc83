using System.Buffers;

namespace Sockit.Relay;

/// <summary>How one direction of a relay ended.</summary>
internal readonly record struct DirectionOutcome(long Bytes, RelayEndReason Reason, Exception? Error = null)
{
    public bool ReachedEof => Reason == RelayEndReason.BothEof;
}

/// <summary>
/// One direction: read a chunk from the source, write it all to the sink, repeat; at the source's EOF
/// complete the sink's writes (half-close), so the other direction can go on. One pooled buffer, reused.
/// </summary>
internal sealed class DirectionPump(DuplexEnd source, DuplexEnd sink, int bufferSize, ActivityClock clock)
{
    private long _bytes;

    /// <summary>Bytes copied so far (safe to read while running).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    public async Task<DirectionOutcome> RunAsync(Action? onEof, CancellationToken cancel)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        // A cancelled read or write may still touch the buffer (an abandoned console read); then it is
        // left to the garbage collector instead of going back to the pool.
        bool mayReturn = true;
        try
        {
            while (true)
            {
                int n;
                try
                {
                    n = await source.ReadAsync(buffer.AsMemory(0, bufferSize), cancel).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    mayReturn = false;
                    return new(Bytes, RelayEndReason.Cancelled);
                }
                catch (Exception e) when (RelayErrors.IsStreamFailure(e))
                {
                    return new(Bytes, RelayErrors.Classify(e, reading: true), e);
                }
                if (n == 0) break;
                clock.Touch();
                try
                {
                    await sink.WriteAsync(buffer.AsMemory(0, n), cancel).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    mayReturn = false;
                    return new(Bytes, RelayEndReason.Cancelled);
                }
                catch (Exception e) when (RelayErrors.IsStreamFailure(e))
                {
                    return new(Bytes, RelayErrors.Classify(e, reading: false), e);
                }
                Volatile.Write(ref _bytes, _bytes + n);
                clock.Touch();
            }
            onEof?.Invoke();
            try
            {
                await sink.CompleteWritesAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (RelayErrors.IsStreamFailure(e))
            {
                return new(Bytes, RelayErrors.Classify(e, reading: false), e);
            }
            return new(Bytes, RelayEndReason.BothEof);
        }
        finally
        {
            if (mayReturn) ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
