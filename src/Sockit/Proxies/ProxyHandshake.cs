using Sockit.Relay;

namespace Sockit.Proxies;

/// <summary>The client's side of each proxy protocol: ask for the destination, read the answer, refuse with one line.</summary>
internal static class ProxyHandshake
{
    public static Task RunAsync(ProxyClientOptions proxy, ProxyTarget target, DuplexEnd connection, HandshakeReader reader, CancellationToken cancel)
        => proxy.Kind switch
        {
            ProxyKind.Http => HttpAsync(proxy, target, connection, reader, cancel),
            ProxyKind.Socks4 => Socks4Async(proxy, target, connection, reader, cancel),
            _ => Socks5Async(proxy, target, connection, reader, cancel),
        };

    private static async Task HttpAsync(ProxyClientOptions proxy, ProxyTarget target, DuplexEnd connection, HandshakeReader reader, CancellationToken cancel)
    {
        await connection.WriteAsync(HttpConnectCodec.Request(target, proxy.Credentials), cancel).ConfigureAwait(false);
        ReadOnlyMemory<byte> headers = await reader.ReadHeadersAsync(cancel).ConfigureAwait(false);
        (int status, string reason) = HttpConnectCodec.ParseStatus(headers.Span);
        if (status is >= 200 and < 300) return;
        string hint = status == 407 ? proxy.Credentials is null ? " (give --proxy-auth USER:PASS)" : " (wrong user or password)" : "";
        throw new ProxyException($"{proxy.DisplayName} refused: {status} {reason}{hint}", status);
    }

    private static async Task Socks4Async(ProxyClientOptions proxy, ProxyTarget target, DuplexEnd connection, HandshakeReader reader, CancellationToken cancel)
    {
        await connection.WriteAsync(Socks4Codec.Request(target, proxy.Credentials?.Socks4UserId ?? ""), cancel).ConfigureAwait(false);
        byte code = await Socks4Codec.ReadReplyAsync(reader, cancel).ConfigureAwait(false);
        if (code == Socks4Codec.Granted) return;
        throw new ProxyException($"{proxy.DisplayName} refused: {ProxyReplyText.WithCode(ProxyReplyText.Socks4(code), code)}", code);
    }

    private static async Task Socks5Async(ProxyClientOptions proxy, ProxyTarget target, DuplexEnd connection, HandshakeReader reader, CancellationToken cancel)
    {
        ProxyCredentials? credentials = proxy.Credentials;
        await connection.WriteAsync(Socks5Codec.Greeting(credentials is not null), cancel).ConfigureAwait(false);
        ReadOnlyMemory<byte> choice = await reader.ReadExactlyAsync(2, cancel).ConfigureAwait(false);
        if (choice.Span[0] != Socks5Codec.Version) throw new InvalidDataException($"SOCKS version {choice.Span[0]} in the method choice");
        byte method = choice.Span[1];
        if (method == Socks5Codec.UserPassword && credentials is not null)
        {
            await connection.WriteAsync(Socks5Codec.AuthRequest(credentials), cancel).ConfigureAwait(false);
            ReadOnlyMemory<byte> status = await reader.ReadExactlyAsync(2, cancel).ConfigureAwait(false);
            if (status.Span[1] != 0)
                throw new ProxyException($"{proxy.DisplayName} refused the user name or password (RFC 1929 status 0x{status.Span[1]:x2})", status.Span[1]);
        }
        else if (method != Socks5Codec.NoAuthentication)
        {
            string offered = credentials is null ? "it wants credentials (give --proxy-auth USER:PASS)" : "we offered no authentication and username/password";
            throw new ProxyException(method == Socks5Codec.NoAcceptableMethod
                ? $"{proxy.DisplayName} refused: no acceptable authentication method: {offered}"
                : $"{proxy.DisplayName} chose authentication method 0x{method:x2}, which we did not offer", method);
        }
        await connection.WriteAsync(Socks5Codec.Message(Socks5Codec.Connect, target), cancel).ConfigureAwait(false);
        (byte reply, _) = await Socks5Codec.ReadMessageAsync(reader, cancel).ConfigureAwait(false);
        if (reply == Socks5Codec.Succeeded) return;
        throw new ProxyException($"{proxy.DisplayName} refused: {ProxyReplyText.WithCode(ProxyReplyText.Socks5(reply), reply)}", reply);
    }
}
