using System.Net.Sockets;

namespace Sockit.Security;

/// <summary>
/// Turns what SslStream and OpenSSL throw during a handshake into one line a person can act on. OpenSSL's reason
/// strings ("tlsv1 alert unknown ca", "wrong version number") sit in the inner exceptions; they are the stable part.
/// </summary>
internal static class HandshakeErrors
{
    public static string Describe(Exception error, string peer, bool client)
    {
        string all = string.Join(" | ", Chain(error).Select(e => e.Message));
        string? alert = Alert(all);
        if (alert is not null) return $"{peer} refused the TLS handshake ({alert})";
        if (Has(all, "wrong version number", "http request", "packet length too long", "unexpected packet format",
                "frame size or a corrupted frame", "record layer failure", "unknown protocol"))
        {
            return client
                ? $"{peer} did not answer in TLS (is it a plain-text port?)"
                : $"{peer} spoke plain text, not TLS, to this TLS port";
        }
        if (Has(all, "no shared cipher", "no protocols available", "unsupported protocol", "no suitable"))
            return $"no TLS version or cipher in common with {peer} (sockit speaks TLS 1.2 and 1.3)";
        if (Chain(error).OfType<SocketException>().FirstOrDefault() is { } socket)
            return $"connection to {peer} failed during the TLS handshake: {socket.Message}";
        if (Has(all, "unexpected EOF", "0 bytes from the transport"))
            return $"{peer} closed the connection during the TLS handshake";
        return $"TLS handshake with {peer} failed: {Innermost(error).Message.TrimEnd('.')}";
    }

    // "error:0A000418:SSL routines::tlsv1 alert unknown ca" -> "tlsv1 alert unknown ca"
    private static string? Alert(string messages)
    {
        int at = messages.IndexOf(" alert ", StringComparison.OrdinalIgnoreCase);
        if (at < 0) return null;
        int start = messages.LastIndexOf(':', at) + 1;
        int end = messages.IndexOf(" | ", at, StringComparison.Ordinal);
        return messages[start..(end < 0 ? messages.Length : end)].Trim().TrimEnd('.');
    }

    private static bool Has(string text, params string[] needles)
        => needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException) yield return e;
    }

    private static Exception Innermost(Exception error) => Chain(error).Last();
}
