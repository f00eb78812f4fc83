using Sockit.Relay;

namespace Sockit.Proxies;

/// <summary>SOCKS4 and 4a as a server speaks them: CONNECT only; with credentials required, the user id must be <c>USER:PASS</c>.</summary>
internal sealed class Socks4Dialect(ProxyCredentials? required) : ServerDialect
{
    public override string Name => "socks4";

    public override async ValueTask<ProxyTarget> ReadRequestAsync(HandshakeReader reader, DuplexEnd client, CancellationToken cancel)
    {
        (byte command, ProxyTarget target, string userId) = await Socks4Codec.ReadRequestAsync(reader, cancel).ConfigureAwait(false);
        if (required is not null && !CredentialCheck.Equal(userId, required.Socks4UserId))
            return await RefuseWithAsync(client, Socks4Codec.Reply(Socks4Codec.Rejected),
                userId.Length == 0 ? "no user id (credentials are required)" : "wrong user id", cancel).ConfigureAwait(false);
        if (command != Socks4Codec.Connect)
            return await RefuseWithAsync(client, Socks4Codec.Reply(Socks4Codec.Rejected), $"command {command} not supported (CONNECT only)", cancel).ConfigureAwait(false);
        return target;
    }

    public override async ValueTask GrantAsync(DuplexEnd client, DuplexEnd far, CancellationToken cancel)
        => await client.WriteAsync(Socks4Codec.Reply(Socks4Codec.Granted), cancel).ConfigureAwait(false);

    public override byte[] Refusal(Refusal why) => Socks4Codec.Reply(Socks4Codec.Rejected);
}
