using Sockit.Relay;

namespace Sockit.Proxies;

/// <summary>HTTP CONNECT as a server speaks it: Basic authentication (407 without it), 403/502/504 for refusals.</summary>
internal sealed class HttpDialect(ProxyCredentials? required) : ServerDialect
{
    private const string Close = "Connection: close";

    public override string Name => "http";

    public override async ValueTask<ProxyTarget> ReadRequestAsync(HandshakeReader reader, DuplexEnd client, CancellationToken cancel)
    {
        ReadOnlyMemory<byte> headers = await reader.ReadHeadersAsync(cancel).ConfigureAwait(false);
        HttpProxyRequest request = HttpConnectCodec.ParseRequest(headers.Span);
        if (request.Method != "CONNECT")
            return await RefuseWithAsync(client, HttpConnectCodec.Response(405, "Method Not Allowed", "Allow: CONNECT", Close),
                $"{request.Method} is not supported (CONNECT only)", cancel).ConfigureAwait(false);
        if (HttpConnectCodec.ParseAuthority(request.Target) is not { } target)
            return await RefuseWithAsync(client, Refusal(Proxies.Refusal.BadRequest), $"'{request.Target}' is not HOST:PORT", cancel).ConfigureAwait(false);
        if (required is not null && !HttpConnectCodec.Matches(request.Authorization, required))
            return await RefuseWithAsync(client, HttpConnectCodec.Response(407, "Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"sockit\"", Close),
                request.Authorization is null ? "no credentials (407 sent)" : "wrong user or password (407 sent)", cancel).ConfigureAwait(false);
        return target;
    }

    public override async ValueTask GrantAsync(DuplexEnd client, DuplexEnd far, CancellationToken cancel)
        => await client.WriteAsync(HttpConnectCodec.Response(200, "Connection established"), cancel).ConfigureAwait(false);

    public override byte[] Refusal(Refusal why) => why switch
    {
        Proxies.Refusal.BadRequest => HttpConnectCodec.Response(400, "Bad Request", Close),
        Proxies.Refusal.NotAllowed => HttpConnectCodec.Response(403, "Forbidden", Close),
        Proxies.Refusal.TimedOut => HttpConnectCodec.Response(504, "Gateway Timeout", Close),
        _ => HttpConnectCodec.Response(502, "Bad Gateway", Close),
    };
}
