namespace Sockit.Proxies;

/// <summary>
/// A proxy could not be used: unreachable, refused the request or the credentials, or answered something that is not
/// its protocol. The message is one line naming the proxy and, for a refusal, its reply code in words:
/// <c>127.0.0.1:1080 (socks5) refused: connection not allowed by ruleset (0x02)</c>.
/// </summary>
public sealed class ProxyException : IOException
{
    /// <summary>Creates the exception; <paramref name="message"/> is the whole line.</summary>
    public ProxyException(string message, int? replyCode = null, Exception? inner = null) : base(message, inner) => ReplyCode = replyCode;

    /// <summary>Creates the exception with no reply code.</summary>
    public ProxyException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with no reply code.</summary>
    public ProxyException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ProxyException()
    {
    }

    /// <summary>The proxy's reply code (SOCKS5 REP, SOCKS4 CD, RFC 1929 status or HTTP status) when it refused; <c>null</c> otherwise.</summary>
    public int? ReplyCode { get; }
}
