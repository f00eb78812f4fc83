using System.Buffers;
using System.Text;
using Sockit.Transports;

namespace Sockit.Protocols.Grumpy;

/// <summary>
/// The seed's client over datagrams: send the hello as one datagram (UDP, or Unix SOCK_DGRAM), wait for one
/// datagram back, print it. The socket is connected, so only the server's answer is accepted and a closed UDP
/// port is reported as "Connection refused" (from the ICMP error) rather than as a timeout.
/// </summary>
public static class GrumpyDatagramClient
{
    /// <summary>
    /// Runs one exchange and returns the reply. <see cref="GrumpyExchange.End"/> is <see cref="MessageEnd.Newline"/>
    /// when the reply ends with a newline, <see cref="MessageEnd.Limit"/> when it was longer than
    /// <see cref="GrumpyClientOptions.MaxReplyBytes"/> (and so cut), else <see cref="MessageEnd.PeerClosed"/>
    /// (the datagram simply ended). Socket errors surface as <see cref="System.Net.Sockets.SocketException"/>.
    /// </summary>
    /// <exception cref="TimeoutException">No answer within <see cref="GrumpyClientOptions.Timeout"/>.</exception>
    public static async Task<GrumpyExchange> RunAsync(GrumpyClientOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Action<string> log = options.Log ?? (_ => { });
        string timeoutText = $"{options.Timeout.TotalSeconds:0.###} s";

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(options.Timeout);
        DatagramChannel channel;
        try
        {
            channel = await DatagramChannel.ConnectAsync(options.Server, new ConnectOptions { Trace = options.Trace }, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"no address found within {timeoutText}");
        }

        await using (channel.ConfigureAwait(false))
        {
            string host = options.Server.IsUnix ? options.Server.UnixPath! : options.Server.Host!;
            log(GrumpyText.Connected(options.Server.IsUnix ? host : $"{host}:{options.Server.Port}"));

            // The answer's wait starts after the send; one spare byte tells a reply longer than the limit.
            limit.CancelAfter(options.Timeout);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(options.MaxReplyBytes + 1);
            try
            {
                int received;
                try
                {
                    await channel.SendAsync(Encoding.UTF8.GetBytes(options.Message + "\n"), limit.Token).ConfigureAwait(false);
                    received = await channel.ReceiveAsync(buffer.AsMemory(0, options.MaxReplyBytes + 1), limit.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    throw new TimeoutException($"no reply within {timeoutText}");
                }
                int length = Math.Min(received, options.MaxReplyBytes);
                ReadOnlySpan<byte> reply = buffer.AsSpan(0, length);
                log(GrumpyText.Said(host, MessageText.ForLog(reply)));
                MessageEnd end = received > options.MaxReplyBytes ? MessageEnd.Limit
                    : reply.EndsWith("\n"u8) ? MessageEnd.Newline
                    : MessageEnd.PeerClosed;
                return new GrumpyExchange(reply.ToArray(), end);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
