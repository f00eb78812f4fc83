using System.Net;
using Sockit.Relay;

namespace Sockit.Proxies;

/// <summary>SOCKS5 as a server speaks it: method choice, RFC 1929 when credentials are required, CONNECT only.</summary>
internal sealed class Socks5Dialect(ProxyCredentials? required) : ServerDialect
{
    public override string Name => "socks5";

    public override async ValueTask<ProxyTarget> ReadRequestAsync(HandshakeReader reader, DuplexEnd client, CancellationToken cancel)
    {
        byte[] methods = await Socks5Codec.ReadGreetingAsync(reader, cancel).ConfigureAwait(false);
        byte wanted = required is null ? Socks5Codec.NoAuthentication : Socks5Codec.UserPassword;
        if (Array.IndexOf(methods, wanted) < 0)
            return await RefuseWithAsync(client, [Socks5Codec.Version, Socks5Codec.NoAcceptableMethod],
                required is null ? "no acceptable authentication method offered" : "no username/password offered (credentials are required)", cancel).ConfigureAwait(false);
        await client.WriteAsync(new byte[] { Socks5Codec.Version, wanted }, cancel).ConfigureAwait(false);
        if (required is not null)
        {
            ProxyCredentials given = await Socks5Codec.ReadAuthRequestAsync(reader, cancel).ConfigureAwait(false);
            if (!CredentialCheck.Equal(given, required))
                return await RefuseWithAsync(client, [Socks5Codec.AuthVersion, 1], $"wrong user or password (user '{given.User}')", cancel).ConfigureAwait(false);
            await client.WriteAsync(new byte[] { Socks5Codec.AuthVersion, 0 }, cancel).ConfigureAwait(false);
        }
        byte command;
        ProxyTarget target;
        try
        {
            (command, target) = await Socks5Codec.ReadMessageAsync(reader, cancel).ConfigureAwait(false);
        }
        catch (InvalidDataException e) when (e.Data["code"] is byte code)
        {
            return await RefuseWithAsync(client, Socks5Codec.Reply(code, null), e.Message, cancel).ConfigureAwait(false);
        }
        if (command != Socks5Codec.Connect)
            return await RefuseWithAsync(client, Socks5Codec.Reply(Socks5Codec.CommandNotSupported, null), $"command {command} not supported (CONNECT only)", cancel).ConfigureAwait(false);
        return target;
    }

    public override async ValueTask GrantAsync(DuplexEnd client, DuplexEnd far, CancellationToken cancel)
        => await client.WriteAsync(Socks5Codec.Reply(Socks5Codec.Succeeded, far.LocalEndPoint as IPEndPoint), cancel).ConfigureAwait(false);

    public override byte[] Refusal(Refusal why) => Socks5Codec.Reply(why switch
    {
        Proxies.Refusal.NotAllowed => Socks5Codec.NotAllowed,
        Proxies.Refusal.NetworkUnreachable => Socks5Codec.NetworkUnreachable,
        Proxies.Refusal.HostUnreachable or Proxies.Refusal.TimedOut => Socks5Codec.HostUnreachable,
        Proxies.Refusal.ConnectionRefused => Socks5Codec.ConnectionRefused,
        _ => Socks5Codec.GeneralFailure,
    }, null);
}
