using System.Security.Cryptography.X509Certificates;
using Sockit.Security;

namespace Sockit.IntegrationTests.Tls;

/// <summary>The client's verification policy over real loopback sockets, row by row of the table in docs/tls.md.</summary>
public sealed class TlsVerificationTests : IDisposable
{
    private readonly TestCertificates _certs = new();

    [Theory]
    [MemberData(nameof(CertificateMatrix.Rows), MemberType = typeof(CertificateMatrix))]
    public async Task ClientAcceptsOrRefusesAsTheTableSays(string row)
    {
        var server = Identity(CertificateMatrix.Certificate(_certs, row));
        var client = DefaultClient(row, server);
        string? refusal = CertificateMatrix.Refusal(row);
        if (refusal is null)
        {
            var (c, s) = await TlsPair.HandshakeAsync(client, new TlsServerOptions { Certificate = server });
            await ExchangeAsync(c, s);
            return;
        }
        var error = await Assert.ThrowsAsync<TlsException>(() => TlsPair.HandshakeAsync(client, new TlsServerOptions { Certificate = server }));
        Assert.StartsWith(refusal, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [MemberData(nameof(CertificateMatrix.Refused), MemberType = typeof(CertificateMatrix))]
    public async Task EveryRefusalIsOverriddenByInsecure(string row)
    {
        var server = Identity(CertificateMatrix.Certificate(_certs, row));
        var client = DefaultClient(row, server) with { Insecure = true, Pin = null };
        var (c, s) = await TlsPair.HandshakeAsync(client, new TlsServerOptions { Certificate = server });
        await ExchangeAsync(c, s);
    }

    [Theory]
    [MemberData(nameof(CertificateMatrix.Refused), MemberType = typeof(CertificateMatrix))]
    public async Task EveryRefusalIsOverriddenByTheMatchingPin(string row)
    {
        var server = Identity(CertificateMatrix.Certificate(_certs, row));
        var client = DefaultClient(row, server) with { Pin = server.Pin };
        var (c, s) = await TlsPair.HandshakeAsync(client, new TlsServerOptions { Certificate = server });
        await ExchangeAsync(c, s);
    }

    [Fact]
    public async Task ServerNameOptionChangesTheNameChecked()
    {
        var server = Identity(_certs.Leaf(["other.test"], _certs.Ca));
        var client = new TlsClientOptions { TrustedRoots = [_certs.Ca], ServerName = "other.test" };
        var (c, s) = await TlsPair.HandshakeAsync(client, new TlsServerOptions { Certificate = server });
        Assert.Equal("other.test", s.ServerName);
        await ExchangeAsync(c, s);
    }

    [Fact]
    public async Task EphemeralCertificateIsAcceptedByItsPrintedPinOnly()
    {
        var server = TlsCertificates.CreateEphemeral();
        Assert.Matches("^sha256:[0-9a-f]{64}$", server.Pin.ToString());
        var refused = await Assert.ThrowsAsync<TlsException>(() => TlsPair.HandshakeAsync(new TlsClientOptions(), new TlsServerOptions { Certificate = server }));
        Assert.Contains("self-signed and not trusted", refused.Message, StringComparison.Ordinal);
        var pin = CertificatePin.Parse(server.Pin.ToString());
        var (c, s) = await TlsPair.HandshakeAsync(new TlsClientOptions { Pin = pin }, new TlsServerOptions { Certificate = server });
        Assert.Equal(server.Pin, CertificatePin.Of(c.PeerCertificate!));
        await ExchangeAsync(c, s);
    }

    [Fact]
    public async Task MutualTlsAcceptsAClientSignedByTheTrustedCa()
    {
        var server = Identity(_certs.Leaf(["127.0.0.1"], _certs.Ca));
        var clientIdentity = Identity(_certs.ClientLeaf());
        var (c, s) = await TlsPair.HandshakeAsync(
            new TlsClientOptions { TrustedRoots = [_certs.Ca], ClientCertificate = clientIdentity },
            new TlsServerOptions { Certificate = server, RequireClientCertificate = true, ClientRoots = [_certs.Ca] });
        Assert.Equal("CN=sockit test client", s.PeerCertificate!.Subject);
        Assert.Contains("peer certificate CN=sockit test client sha256:", s.Describe(), StringComparison.Ordinal);
        await ExchangeAsync(c, s);
    }

    [Fact]
    public async Task MutualTlsRefusesAClientWithoutCertificate()
    {
        var server = Identity(_certs.Leaf(["127.0.0.1"], _certs.Ca));
        var (plainClient, plainServer) = await TlsPair.PlainAsync();
        var serverSide = TlsLayer.AcceptAsync(plainServer, new TlsServerOptions { Certificate = server, RequireClientCertificate = true, ClientRoots = [_certs.Ca] });
        var clientSide = TlsLayer.ConnectAsync(plainClient, "127.0.0.1", new TlsClientOptions { TrustedRoots = [_certs.Ca] });
        var error = await Assert.ThrowsAsync<TlsException>(() => serverSide);
        Assert.Equal("the client sent no certificate (this server requires one)", error.Message);
        // TLS 1.3 finishes the client's handshake before the server's verdict arrives: the refusal shows on first read.
        try
        {
            await using var c = await clientSide;
            Assert.Equal(0, await c.ReadAsync(new byte[16], CancellationToken.None));
        }
        catch (Exception e) when (e is TlsException or IOException)
        {
        }
    }

    [Fact]
    public async Task MutualTlsRefusesAClientFromAnotherCa()
    {
        var server = Identity(_certs.Leaf(["127.0.0.1"], _certs.Ca));
        var stranger = Identity(_certs.Leaf(["client.test"], _certs.OtherCa, usage: "1.3.6.1.5.5.7.3.2"));
        var (plainClient, plainServer) = await TlsPair.PlainAsync();
        var serverSide = TlsLayer.AcceptAsync(plainServer, new TlsServerOptions { Certificate = server, RequireClientCertificate = true, ClientRoots = [_certs.Ca] });
        var clientSide = TlsLayer.ConnectAsync(plainClient, "127.0.0.1", new TlsClientOptions { TrustedRoots = [_certs.Ca], ClientCertificate = stranger });
        var error = await Assert.ThrowsAsync<TlsException>(() => serverSide);
        Assert.Equal("client certificate is signed by an unknown CA (CN=sockit untrusted CA) (not signed by a CA in --ssl-trustfile)", error.Message);
        try
        {
            await (await clientSide).DisposeAsync();
        }
        catch (TlsException)
        {
        }
    }

    public void Dispose() => _certs.Dispose();

    private TlsClientOptions DefaultClient(string row, TlsIdentity server) => new()
    {
        TrustedRoots = [_certs.Ca],
        Pin = !CertificateMatrix.Pins(row) ? null
            : row == "pinned-right" ? server.Pin : Identity(_certs.Leaf(["127.0.0.1"], _certs.Ca)).Pin,
    };

    private TlsIdentity Identity(X509Certificate2 certificate)
    {
        var (cert, key) = _certs.WritePem(Guid.NewGuid().ToString("N"), certificate);
        return TlsCertificates.Load(cert, key);
    }

    internal static async Task ExchangeAsync(TlsEnd client, TlsEnd server)
    {
        await using (client)
        await using (server)
        {
            await client.WriteAsync("ping"u8.ToArray(), CancellationToken.None);
            var buffer = new byte[16];
            Assert.Equal(4, await server.ReadAsync(buffer, CancellationToken.None));
            await server.WriteAsync("pong"u8.ToArray(), CancellationToken.None);
            Assert.Equal(4, await client.ReadAsync(buffer, CancellationToken.None));
            Assert.Equal("pong"u8.ToArray(), buffer[..4]);
        }
    }
}
