using Sockit.Relay;

namespace Sockit.Proxies;

/// <summary>Why a proxy server refuses a request it has read, in each protocol's reply: SOCKS5 REP, SOCKS4 CD, HTTP status.</summary>
internal enum Refusal
{
    BadRequest,
    NotAllowed,
    NetworkUnreachable,
    HostUnreachable,
    ConnectionRefused,
    TimedOut,
}

/// <summary>A refusal the dialect has already answered; the message says why, for the log line.</summary>
internal sealed class RequestRefused(string why) : Exception(why);

/// <summary>The server's side of one proxy protocol: read (and authenticate) a request, then grant or refuse it.</summary>
internal abstract class ServerDialect
{
    /// <summary><c>http</c>, <c>socks4</c>, <c>socks5</c>: for log lines.</summary>
    public abstract string Name { get; }

    /// <summary>Reads the request; a request refused here (credentials, command) is answered, then <see cref="RequestRefused"/> is thrown.</summary>
    public abstract ValueTask<ProxyTarget> ReadRequestAsync(HandshakeReader reader, DuplexEnd client, CancellationToken cancel);

    /// <summary>Tells the client its connection is made (<paramref name="far"/> is the onward connection).</summary>
    public abstract ValueTask GrantAsync(DuplexEnd client, DuplexEnd far, CancellationToken cancel);

    /// <summary>The reply that refuses for <paramref name="why"/>.</summary>
    public abstract byte[] Refusal(Refusal why);

    /// <summary>Answers the refusal; a client already gone is no error.</summary>
    public async ValueTask RefuseAsync(DuplexEnd client, Refusal why, CancellationToken cancel)
    {
        try
        {
            await client.WriteAsync(Refusal(why), cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
        }
    }

    /// <summary>Writes <paramref name="reply"/>, then throws <see cref="RequestRefused"/> with <paramref name="why"/>.</summary>
    protected static async ValueTask<ProxyTarget> RefuseWithAsync(DuplexEnd client, byte[] reply, string why, CancellationToken cancel)
    {
        try
        {
            await client.WriteAsync(reply, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
        }
        throw new RequestRefused(why);
    }
}
