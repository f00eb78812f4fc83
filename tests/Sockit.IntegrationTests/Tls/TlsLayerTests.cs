using System.Diagnostics;
using System.Security.Cryptography;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Security;

namespace Sockit.IntegrationTests.Tls;

/// <summary>The TLS layer itself over real sockets: families, half-close, bulk, timeouts, loading, error lines.</summary>
public sealed class TlsLayerTests : IDisposable
{
    private readonly TestCertificates _certs = new();

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task HalfCloseSendsCloseNotifyAndTheOtherDirectionGoesOn(string family)
    {
        var server = TlsCertificates.CreateEphemeral();
        var (c, s) = await TlsPair.HandshakeAsync(new TlsClientOptions { Pin = server.Pin }, new TlsServerOptions { Certificate = server }, "localhost", family);
        await using (c)
        await using (s)
        {
            await c.WriteAsync("request"u8.ToArray(), CancellationToken.None);
            await c.CompleteWritesAsync();
            var buffer = new byte[64];
            int n = await s.ReadAsync(buffer, CancellationToken.None);
            Assert.Equal("request"u8.ToArray(), buffer[..n]);
            Assert.Equal(0, await s.ReadAsync(buffer, CancellationToken.None));
            await s.WriteAsync("reply after your EOF"u8.ToArray(), CancellationToken.None);
            await s.CompleteWritesAsync();
            n = await c.ReadAsync(buffer, CancellationToken.None);
            Assert.Equal("reply after your EOF"u8.ToArray(), buffer[..n]);
            Assert.Equal(0, await c.ReadAsync(buffer, CancellationToken.None));
        }
    }

    [Fact]
    public async Task BulkDataArrivesWhole()
    {
        var server = TlsCertificates.CreateEphemeral();
        var (c, s) = await TlsPair.HandshakeAsync(new TlsClientOptions { Pin = server.Pin }, new TlsServerOptions { Certificate = server });
        var data = RandomNumberGenerator.GetBytes(8 << 20);
        await using (c)
        await using (s)
        {
            var send = Task.Run(async () =>
            {
                for (int at = 0; at < data.Length; at += 100_000)
                    await c.WriteAsync(data.AsMemory(at, Math.Min(100_000, data.Length - at)), CancellationToken.None);
                await c.CompleteWritesAsync();
            });
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[65536];
            long total = 0;
            for (int n; (n = await s.ReadAsync(buffer, CancellationToken.None)) > 0; total += n) hash.AppendData(buffer, 0, n);
            await send;
            Assert.Equal(data.Length, total);
            Assert.Equal(SHA256.HashData(data), hash.GetHashAndReset());
        }
    }

    [Fact]
    public async Task SilentClientTimesOutTheServerHandshake()
    {
        var (c, s) = await TlsPair.PlainAsync();
        await using (c)
        {
            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<TlsException>(() => TlsLayer.AcceptAsync(s,
                new TlsServerOptions { Certificate = TlsCertificates.CreateEphemeral(), HandshakeTimeout = TimeSpan.FromMilliseconds(300) }));
            Assert.Matches(@"^TLS handshake with 127\.0\.0\.1:\d+ timed out after 0\.3 s$", error.Message);
            Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task PlainTextToATlsServerIsNamed()
    {
        var (c, s) = await TlsPair.PlainAsync();
        await using (c)
        {
            var accept = TlsLayer.AcceptAsync(s, new TlsServerOptions { Certificate = TlsCertificates.CreateEphemeral() });
            await c.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), CancellationToken.None);
            var error = await Assert.ThrowsAsync<TlsException>(() => accept);
            Assert.Matches(@"^127\.0\.0\.1:\d+ spoke plain text, not TLS, to this TLS port$", error.Message);
        }
    }

    [Fact]
    public async Task PlainTextServerIsNamedToTheClient()
    {
        var (c, s) = await TlsPair.PlainAsync();
        await using (s)
        {
            var connect = TlsLayer.ConnectAsync(c, "127.0.0.1", new TlsClientOptions());
            var buffer = new byte[512];
            Assert.True(await s.ReadAsync(buffer, CancellationToken.None) > 0);
            await s.WriteAsync("127.0.0.1 said: I'm a grumpy server\n"u8.ToArray(), CancellationToken.None);
            await s.CompleteWritesAsync();
            var error = await Assert.ThrowsAsync<TlsException>(() => connect);
            Assert.Matches(@"^127\.0\.0\.1:\d+ did not answer in TLS \(is it a plain-text port\?\)$", error.Message);
        }
    }

    [Fact]
    public async Task AlpnPicksTheServersFirstChoiceTheClientOffers()
    {
        var server = TlsCertificates.CreateEphemeral();
        var (c, s) = await TlsPair.HandshakeAsync(
            new TlsClientOptions { Pin = server.Pin, ApplicationProtocols = ["http/1.1", "h2"] },
            new TlsServerOptions { Certificate = server, ApplicationProtocols = ["h2", "http/1.1"] });
        Assert.Equal("h2", c.ApplicationProtocol);
        Assert.Equal("h2", s.ApplicationProtocol);
        Assert.Matches(@"^TLSv1\.3 TLS_\w+, ALPN h2, peer certificate CN=sockit ephemeral sha256:[0-9a-f]{64}$", c.Describe());
        Assert.Matches(@"^TLSv1\.3 TLS_\w+, ALPN h2, no peer certificate$", s.Describe());
        await TlsVerificationTests.ExchangeAsync(c, s);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, "s3cret")]
    [InlineData(true, "s3cret")]
    public async Task PemIdentitiesLoadForRsaAndEcdsaEncryptedOrNot(bool rsa, string? password)
    {
        var leaf = _certs.Leaf(["127.0.0.1"], _certs.Ca, rsa: rsa);
        var (cert, key) = _certs.WritePem($"leaf-{rsa}-{password}", leaf, password, _certs.Ca);
        var identity = TlsCertificates.Load(cert, key, password);
        Assert.Single(identity.Chain);
        var (c, s) = await TlsPair.HandshakeAsync(new TlsClientOptions { TrustedRoots = [_certs.Ca] }, new TlsServerOptions { Certificate = identity });
        await TlsVerificationTests.ExchangeAsync(c, s);
    }

    [Fact]
    public async Task Pkcs12IdentityLoads()
    {
        var leaf = _certs.Leaf(["127.0.0.1"], _certs.Ca);
        string file = Path.Combine(_certs.Dir, "id.p12");
        await File.WriteAllBytesAsync(file, leaf.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "pw"));
        var identity = TlsCertificates.Load(file, password: "pw");
        var (c, s) = await TlsPair.HandshakeAsync(new TlsClientOptions { TrustedRoots = [_certs.Ca] }, new TlsServerOptions { Certificate = identity });
        await TlsVerificationTests.ExchangeAsync(c, s);
    }

    [Fact]
    public void EncryptedKeyWithoutPasswordSaysSo()
    {
        var (cert, key) = _certs.WritePem("enc", _certs.Leaf(["127.0.0.1"], _certs.Ca), "pw");
        var error = Assert.Throws<TlsException>(() => TlsCertificates.Load(cert, key));
        Assert.Equal($"key {key} is encrypted: give its password (--ssl-key-password)", error.Message);
    }

    [Fact]
    public void MissingCertificateFileIsOneLineNamingIt()
    {
        string missing = Path.Combine(_certs.Dir, "nope.pem");
        var error = Assert.Throws<TlsException>(() => TlsCertificates.Load(missing));
        Assert.StartsWith($"cannot read {missing}: ", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _certs.Dispose();
}
