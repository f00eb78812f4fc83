using System.Runtime.CompilerServices;
using Sockit.Relay;

namespace Sockit.Protocols.Broker;

/// <summary>
/// Reads one participant and posts what it says to the <see cref="BrokerLoop"/>: as read (broker), or framed into
/// prefixed lines (chat), one message in flight at a time. An idle participant holds no buffer: it waits with a
/// zero-byte read and borrows one only while data is pending (a chat line not yet ended keeps it).
/// </summary>
internal static class BrokerReader
{
    public static async Task<(RelayEndReason, Exception?)> RunAsync(BrokerLoop loop, Participant me, CancellationToken cancel)
    {
        int size = loop.Sizes.Largest;
        byte[]? raw = null;
        int filled = 0;
        try
        {
            while (true)
            {
                if (raw is null)
                {
                    await me.End.ReadAsync(Memory<byte>.Empty, cancel).ConfigureAwait(false);
                    raw = FanOutBuffers.Pool.Rent(size);
                }
                // One byte is kept free for the newline that ends a last line cut short by EOF.
                int n = await me.End.ReadAsync(raw.AsMemory(filled, size - 1 - filled), cancel).ConfigureAwait(false);
                if (n == 0)
                {
                    await PublishRestAsync(loop, me, raw, filled, cancel).ConfigureAwait(false);
                    return (RelayEndReason.BothEof, null);
                }
                Volatile.Write(ref me.Received, me.Received + n);
                filled += n;
                int end = loop.Chat is null ? filled : WholeLines(raw, filled, size - 1);
                if (end > 0)
                {
                    await PublishAsync(loop, me, raw, end, cancel).ConfigureAwait(false);
                    raw.AsSpan(end, filled - end).CopyTo(raw);
                    filled -= end;
                }
                if (filled == 0)
                {
                    FanOutBuffers.Pool.Return(raw);
                    raw = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return (RelayEndReason.Cancelled, null);
        }
        catch (Exception e) when (RelayErrors.IsStreamFailure(e))
        {
            // A reset after a line not yet ended: what was received is still relayed.
            if (raw is not null && !cancel.IsCancellationRequested)
            {
                try
                {
                    await PublishRestAsync(loop, me, raw, filled, cancel).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
            return (RelayErrors.Classify(e, reading: true), e);
        }
        finally
        {
            if (raw is not null) FanOutBuffers.Pool.Return(raw);
        }
    }

    // The methods below are pooled: each message awaits the fan-out loop, which would otherwise box a state machine per message.

    // A last line cut short by EOF or a reset goes with a newline, so the next notice starts a line of its own.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask PublishRestAsync(BrokerLoop loop, Participant me, byte[] raw, int filled, CancellationToken cancel)
    {
        if (filled == 0) return;
        if (loop.Chat is not null && raw[filled - 1] != '\n') raw[filled++] = (byte)'\n';
        await PublishAsync(loop, me, raw, filled, cancel).ConfigureAwait(false);
    }

    // Lines go whole; a line longer than the buffer goes in pieces, each prefixed (as ncat prefixes every read).
    private static int WholeLines(byte[] raw, int filled, int capacity)
    {
        int end = raw.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
        return end == 0 && filled == capacity ? filled : end;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask PublishAsync(BrokerLoop loop, Participant me, byte[] raw, int count, CancellationToken cancel)
    {
        if (loop.Chat is not { } chat)
        {
            await PostAsync(loop, me, loop.Sizes.Copy(raw.AsSpan(0, count)), cancel).ConfigureAwait(false);
            return;
        }
        byte[] prefix = me.Prefix(chat);
        byte[] framed = FanOutBuffers.Pool.Rent(loop.Sizes.Largest);
        try
        {
            int consumed = 0;
            while (consumed < count)
            {
                int written = ChatFraming.Frame(raw.AsSpan(0, count), ref consumed, ref me.AtLineStart, prefix, chat, framed.AsSpan(0, loop.Sizes.Largest));
                await PostAsync(loop, me, loop.Sizes.Copy(framed.AsSpan(0, written)), cancel).ConfigureAwait(false);
            }
        }
        finally
        {
            FanOutBuffers.Pool.Return(framed);
        }
        if (raw[count - 1] != '\n') me.AtLineStart = true;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask PostAsync(BrokerLoop loop, Participant me, BroadcastChunk chunk, CancellationToken cancel)
    {
        if (!loop.Inbox.Post(new BrokerInbox.Item(BrokerInbox.Kind.Message, me, chunk)))
        {
            chunk.Release();
            throw new OperationCanceledException(cancel);
        }
        await me.Handled.WaitAsync().ConfigureAwait(false);
    }
}
