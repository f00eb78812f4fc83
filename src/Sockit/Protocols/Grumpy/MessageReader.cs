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
    /// <summary>The idle timeout passed before a newline.</summary>
    TimedOut,
}

/// <summary>The outcome of <see cref="MessageReader.ReadAsync"/>.</summary>
/// <param name="Length">Bytes of the message at the start of the buffer (newline included).</param>
/// <param name="Extra">Bytes that arrived after the newline in the same reads.</param>
/// <param name="End">Why reading stopped.</param>
public readonly record struct MessageRead(int Length, int Extra, MessageEnd End);

/// <summary>
/// Reads one message: up to and including a newline, or until the peer half-closes, the limit is reached or
/// the timeout passes. Unlike the seed's single read(), a message split across TCP segments arrives whole.
/// </summary>
public static class MessageReader
{
    /// <summary>Reads into <paramref name="buffer"/>, whose length is the size limit.</summary>
    public static async ValueTask<MessageRead> ReadAsync(DuplexEnd connection, Memory<byte> buffer, TimeSpan timeout, CancellationToken cancel)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        idle.CancelAfter(timeout);
        return await ReadArmedAsync(connection, buffer, idle.Token, cancel).ConfigureAwait(false);
    }

    /// <summary>As the public overload, with the idle limit already armed on <paramref name="idle"/>.</summary>
    internal static async ValueTask<MessageRead> ReadArmedAsync(DuplexEnd connection, Memory<byte> buffer, CancellationToken idle, CancellationToken cancel)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n;
            try
            {
                n = await connection.ReadAsync(buffer[filled..], idle).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return new MessageRead(filled, 0, MessageEnd.TimedOut);
            }
            if (n == 0) return new MessageRead(filled, 0, MessageEnd.PeerClosed);
            int newline = buffer.Span.Slice(filled, n).IndexOf((byte)'\n');
            filled += n;
            if (newline >= 0)
            {
                int length = filled - n + newline + 1;
                return new MessageRead(length, filled - length, MessageEnd.Newline);
            }
        }
        return new MessageRead(filled, 0, MessageEnd.Limit);
    }
}
