using System.Globalization;
using System.Text;

namespace Sockit.Proxies;

/// <summary>A request as an HTTP proxy reads it: the method, the request target, and the Proxy-Authorization value if any.</summary>
internal sealed record HttpProxyRequest(string Method, string Target, string? Authorization);

/// <summary>HTTP CONNECT (RFC 9110 §9.3.6) with Basic proxy authentication (RFC 7617), both directions.</summary>
internal static class HttpConnectCodec
{
    /// <summary><c>CONNECT host:port HTTP/1.1</c>, Host, and Proxy-Authorization when credentials are given.</summary>
    public static byte[] Request(ProxyTarget target, ProxyCredentials? credentials)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
        if (credentials is not null)
            text.Append(CultureInfo.InvariantCulture, $"Proxy-Authorization: {Basic(credentials)}\r\n");
        text.Append("\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary><c>Basic base64(user:pass)</c>.</summary>
    public static string Basic(ProxyCredentials credentials)
        => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.User}:{credentials.Password}"));

    /// <summary>A response: status line, the given header lines, and an empty body.</summary>
    public static byte[] Response(int status, string reason, params string[] headers)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n");
        foreach (string header in headers) text.Append(header).Append("\r\n");
        text.Append("\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>The status code and reason phrase of a response's headers (without the final empty line).</summary>
    public static (int Status, string Reason) ParseStatus(ReadOnlySpan<byte> headers)
    {
        string first = FirstLine(headers);
        string[] parts = first.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[1].Length != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
            throw new InvalidDataException($"not an HTTP response: '{Printable(first)}'");
        return (status, parts.Length == 3 ? parts[2].Trim() : "");
    }

    /// <summary>The request line and Proxy-Authorization header of a request's headers (without the final empty line).</summary>
    public static HttpProxyRequest ParseRequest(ReadOnlySpan<byte> headers)
    {
        string[] lines = Encoding.Latin1.GetString(headers).Split("\r\n");
        string[] parts = lines[0].Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[0].Length == 0)
            throw new InvalidDataException($"not an HTTP request: '{Printable(lines[0])}'");
        string? authorization = null;
        foreach (string line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
                authorization = line[(colon + 1)..].Trim();
        }
        return new HttpProxyRequest(parts[0], parts[1], authorization);
    }

    /// <summary>CONNECT's authority form: <c>host:port</c> or <c>[v6]:port</c>; null when it is not one.</summary>
    public static ProxyTarget? ParseAuthority(string target)
    {
        int colon = target.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(target.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            return null;
        string host = target[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal)) return null;
        return host.Length == 0 ? null : new ProxyTarget(host, port);
    }

    /// <summary>True when <paramref name="authorization"/> is Basic with exactly these credentials.</summary>
    public static bool Matches(string? authorization, ProxyCredentials expected)
        => authorization is not null && CredentialCheck.Equal(authorization, Basic(expected));

    private static string FirstLine(ReadOnlySpan<byte> headers)
    {
        int end = headers.IndexOf("\r\n"u8);
        return Encoding.Latin1.GetString(end < 0 ? headers : headers[..end]);
    }

    private static string Printable(string text)
    {
        string cut = text.Length > 60 ? text[..60] + "..." : text;
        return new string(cut.Select(c => c is >= ' ' and < (char)127 ? c : '?').ToArray());
    }
}
