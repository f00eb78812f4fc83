using Sockit.Endpoints;

namespace Sockit.Proxies;

/// <summary>Which proxy <see cref="ProxyConnector"/> goes through, and how.</summary>
public sealed record ProxyClientOptions
{
    /// <summary>The proxy's address (its port: see <see cref="ProxyKinds.DefaultPort"/>).</summary>
    public required EndpointSpec Proxy { get; init; }

    /// <summary>The protocol the proxy speaks.</summary>
    public ProxyKind Kind { get; init; } = ProxyKind.Http;

    /// <summary>User and password, when the proxy asks for them; <c>null</c> offers no authentication.</summary>
    public ProxyCredentials? Credentials { get; init; }

    /// <summary>Where the destination's name is resolved (ncat's default: by the proxy).</summary>
    public ProxyDns Dns { get; init; } = ProxyDns.Remote;

    /// <summary>The proxy as messages name it: <c>127.0.0.1:1080 (socks5)</c>.</summary>
    public string DisplayName => $"{Proxy} ({ProxyKinds.Name(Kind)})";
}
