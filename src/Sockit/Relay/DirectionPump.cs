using System.Buffers;
using Sockit.Relay.Splice;

namespace Sockit.Relay;

/// <summary>How one direction of a relay ended.</summary>
internal readonly record struct DirectionOutcome(long Bytes, RelayEndReason Reason, Exception? Error = null)
{
    public bool ReachedEof => Reason == RelayEndReason.BothEof;
}

/// <summary>
/// One direction: read a chunk from the source, write it all to the sink, repeat; at the source's EOF
/// complete the sink's writes (half-close), so the other direction can go on. One pooled buffer, reused.
/// With a <see cref="SpliceRoute"/> (Linux, both ends undecorated) the first full read hands the rest of the
/// direction to splice(2), which ends the same ways; the buffer goes back to the pool meanwhile.
/// </summary>
internal sealed class DirectionPump(DuplexEnd source, DuplexEnd sink, int bufferSize, ActivityClock clock, SpliceRoute? splice = null)
{
    /// <summary>A read this long (or filling a smaller buffer) hands a direction over to its splice route.</summary>
    public const int HandOverAt = 64 * 1024;

    private long _bytes;

    /// <summary>Bytes copied so far (safe to read while running).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Counts <paramref name="n"/> more bytes delivered to the sink (the splice route's progress).</summary>
    internal void Add(long n) => Volatile.Write(ref _bytes, _bytes + n);

    public async Task<DirectionOutcome> RunAsync(Action? onEof, CancellationToken cancel)
    {
        (DirectionOutcome? ended, bool handOver) = await CopyAsync(splice is not null, cancel).ConfigureAwait(false);
        if (handOver && OperatingSystem.IsLinux())
        {
            ended = await splice!.RunAsync(this, clock, cancel).ConfigureAwait(false) is { } spliced
                ? spliced.ReachedEof ? null : spliced
                : (await CopyAsync(false, cancel).ConfigureAwait(false)).Ended;
            // A splice wake runs on the reactor's thread: leave it before closing ends and reporting.
            await Task.Yield();
        }
        if (ended is { } outcome) return outcome;
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

    /// <summary>
    /// The portable loop, through user space. Ends with the outcome of a failure or cancellation, with null at the
    /// source's EOF, or (when <paramref name="mayHandOver"/>) with HandOver after a full read has been delivered.
    /// </summary>
    private async Task<(DirectionOutcome? Ended, bool HandOver)> CopyAsync(bool mayHandOver, CancellationToken cancel)
    {
        int handOverAt = mayHandOver ? Math.Min(bufferSize, HandOverAt) : int.MaxValue;
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
                    return (new(Bytes, RelayEndReason.Cancelled), false);
                }
                catch (Exception e) when (RelayErrors.IsStreamFailure(e))
                {
                    return (new(Bytes, RelayErrors.Classify(e, reading: true), e), false);
                }
                if (n == 0) return (null, false);
                clock.Touch();
                try
                {
                    await sink.WriteAsync(buffer.AsMemory(0, n), cancel).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    mayReturn = false;
                    return (new(Bytes, RelayEndReason.Cancelled), false);
                }
                catch (Exception e) when (RelayErrors.IsStreamFailure(e))
                {
                    return (new(Bytes, RelayErrors.Classify(e, reading: false), e), false);
                }
                Add(n);
                clock.Touch();
                if (n >= handOverAt) return (null, true);
            }
        }
        finally
        {
            if (mayReturn) ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
