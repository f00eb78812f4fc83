using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Sockit.Transports;

namespace Sockit.Protocols.Grumpy;

/// <summary>
/// <see cref="GrumpyClient.Run"/>'s blocking path: <see cref="BlockingConnector"/>, then a blocking send and receives
/// bounded by SO_RCVTIMEO, all on the caller's thread. A Socket used only this way never starts the runtime's socket
/// event loop, and nothing here starts a timer or a thread-pool thread, so a one-shot process creates no threads of
/// its own (the runtime's async connector, CancelAfter timers and await continuations started five).
/// </summary>
internal static class GrumpyOneShot
{
    /// <summary>Whether the blocking path serves <paramref name="options"/>: Linux (SO_SNDTIMEO bounds connect there), no TLS, and not <c>SOCKIT_PORTABLE=1</c>.</summary>
    public static bool Fits(GrumpyClientOptions options)
        => options.Tls is null && OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("SOCKIT_PORTABLE") != "1";

    public static GrumpyExchange Run(GrumpyClientOptions options)
    {
        Action<string> log = options.Log ?? (_ => { });
        var calls = SocketCalls.For(options.Trace);
        Socket socket = BlockingConnector.Connect(options.Server, new ConnectOptions { Timeout = options.Timeout, Trace = options.Trace }, calls);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(options.MaxReplyBytes);
        try
        {
            log(GrumpyClient.ConnectedLine(options.Server));
            calls.SendAll(socket, GrumpyClient.Greeting(options));
            MessageRead read = ReadReply(socket, calls, buffer.AsSpan(0, options.MaxReplyBytes), options.Timeout);
            return GrumpyClient.Finish(options, log, buffer.AsSpan(0, read.Length), read.End);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            calls.Close(socket);
        }
    }

    // MessageReader's reading on a blocking socket: the timeout bounds the whole reply, each recv waiting only for
    // what is left of it.
    private static MessageRead ReadReply(Socket socket, SocketCalls calls, Span<byte> buffer, TimeSpan timeout)
    {
        long started = Stopwatch.GetTimestamp();
        int filled = 0;
        while (filled < buffer.Length)
        {
            TimeSpan left = timeout - Stopwatch.GetElapsedTime(started);
            int n = left > TimeSpan.Zero ? calls.ReceiveWithin(socket, buffer[filled..], left) : -1;
            if (n < 0) return new MessageRead(filled, 0, MessageEnd.TimedOut);
            if (MessageReader.Take(buffer, ref filled, n) is { } message) return message;
        }
        return new MessageRead(filled, 0, MessageEnd.Limit);
    }
}
