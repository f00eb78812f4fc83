using Sockit.Relay;

namespace Sockit.Protocols.Grumpy;

/// <summary>Why reading a message stopped.</summary>
public enum MessageEnd
{
    /// <summary>A newline arrived; it is the message's last byte.</summary>
    Newline,
    /// <summary>The peer half-closed (or closed) before sending a newline.</summary>
    PeerClosed,
    /// <summary>The size limit was reached before a newline.</summary>
    Limit,
    /// <summary>The deadline for the whole message passed before a newline.</summary>
    TimedOut,
    /// <summary>The peer sent nothing for the idle timeout (the silence allowed between bytes).</summary>
    Silent,
}

/// <summary>The outcome of reading one message with <see cref="MessageReader"/>.</summary>
/// <param name="Length">Bytes of the message at the start of the buffer (newline included).</param>
/// <param name="Extra">Bytes that arrived after the newline in the same reads.</param>
/// <param name="End">Why reading stopped.</param>
public readonly record struct MessageRead(int Length, int Extra, MessageEnd End);

/// <summary>
/// Reads one message: up to and including a newline, or until the peer half-closes, the limit is reached or
/// a timeout passes. Unlike the seed's single read(), a message split across TCP segments arrives whole. It
/// never reads past the buffer, and where the newline falls does not depend on how the bytes were split.
/// </summary>
public static class MessageReader
{
    /// <summary>Reads into <paramref name="buffer"/>, whose length is the size limit.</summary>
    /// <param name="connection">Where the message comes from.</param>
    /// <param name="buffer">Receives the message; its length is the most read.</param>
    /// <param name="timeout">Deadline for the whole message, however the bytes trickle in.</param>
    /// <param name="cancel">Aborts the read with <see cref="OperationCanceledException"/>.</param>
    public static ValueTask<MessageRead> ReadAsync(DuplexEnd connection, Memory<byte> buffer, TimeSpan timeout, CancellationToken cancel)
        => ReadAsync(connection, buffer, timeout, idleTimeout: null, cancel);

    /// <summary>As the other overload, and <paramref name="idleTimeout"/> also ends the read (as
    /// <see cref="MessageEnd.Silent"/>) when the peer sends nothing for that long.</summary>
    public static async ValueTask<MessageRead> ReadAsync(DuplexEnd connection, Memory<byte> buffer, TimeSpan timeout, TimeSpan? idleTimeout, CancellationToken cancel)
    {
        using var limits = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        return await ReadArmedAsync(connection, buffer, new MessageTimer(limits, timeout, idleTimeout), cancel).ConfigureAwait(false);
    }

    /// <summary>As the public overloads, with the limits on a timer the caller owns.</summary>
    internal static async ValueTask<MessageRead> ReadArmedAsync(DuplexEnd connection, Memory<byte> buffer, MessageTimer timer, CancellationToken cancel)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n;
            MessageEnd ifFired = timer.Arm();
            try
            {
                n = await connection.ReadAsync(buffer[filled..], timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return new MessageRead(filled, 0, ifFired);
            }
            if (Take(buffer.Span, ref filled, n) is { } message) return message;
        }
        return new MessageRead(filled, 0, MessageEnd.Limit);
    }

    /// <summary>
    /// Adds one read of <paramref name="n"/> bytes, which landed at <paramref name="filled"/>, to the message: the
    /// message when the read ended it (a newline, or 0 for the peer's close), else null with <paramref name="filled"/>
    /// moved past the bytes.
    /// </summary>
    internal static MessageRead? Take(ReadOnlySpan<byte> buffer, ref int filled, int n)
    {
        if (n == 0) return new MessageRead(filled, 0, MessageEnd.PeerClosed);
        int newline = buffer.Slice(filled, n).IndexOf((byte)'\n');
        filled += n;
        if (newline < 0) return null;
        int length = filled - n + newline + 1;
        return new MessageRead(length, filled - length, MessageEnd.Newline);
    }
}
