using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Relay;
using Sockit.Security;

namespace Sockit.IntegrationTests.Tls;

/// <summary>The library's TLS layer against OpenSSL's own client and server (openssl s_client / s_server).</summary>
public sealed class OpenSslLayerInteropTests : IDisposable
{
    private readonly TestCertificates _certs = new();

    [Theory]
    [InlineData("ipv4")]
    [InlineData("ipv6")]
    public async Task OpensslClientVerifiesTheLibraryServersChainAndExchanges(string family)
    {
        var (cert, key) = _certs.WritePem("server", _certs.Leaf(["127.0.0.1", "::1", "localhost"], _certs.Ca));
        var identity = TlsCertificates.Load(cert, key);
        var address = family == "ipv6" ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        string target = family == "ipv6" ? $"[::1]:{port}" : $"127.0.0.1:{port}";
        await using var client = RunningProcess.Start(Peers.Require("openssl"), "s_client", "-connect", target, "-quiet",
            "-CAfile", _certs.CaFile, "-verify_return_error", "-verify_hostname", "localhost", "-servername", "localhost");
        await using var server = await TlsLayer.AcceptAsync(TlsPair.Wrap(await listener.AcceptAsync()), new TlsServerOptions { Certificate = identity });
        Assert.Equal("localhost", server.ServerName);
        await client.Input.WriteAsync("ping\n");
        await client.Input.FlushAsync();
        Assert.Equal("ping\n", await ReadLineAsync(server));
        await server.WriteAsync("pong\n"u8.ToArray(), CancellationToken.None);
        Assert.Equal("pong", await client.WaitForLineAsync("pong"));
        await server.CompleteWritesAsync();
        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task LibraryClientDoesMutualTlsWithOpensslServer()
    {
        var (cert, key) = _certs.WritePem("server", _certs.Leaf(["127.0.0.1"], _certs.Ca));
        await using var server = RunningProcess.Start(Peers.Require("openssl"), "s_server", "-accept", "0", "-naccept", "1", "-rev",
            "-cert", cert, "-key", key, "-Verify", "1", "-CAfile", _certs.CaFile, "-verify_return_error");
        string accept = await server.WaitForLineAsync(l => l.StartsWith("ACCEPT", StringComparison.Ordinal));
        int port = int.Parse(accept[(accept.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        var (clientCert, clientKey) = _certs.WritePem("client", _certs.ClientLeaf());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = await TlsLayer.ConnectAsync(TlsPair.Wrap(socket), "127.0.0.1",
            new TlsClientOptions { TrustedRoots = TlsCertificates.LoadTrustFile(_certs.CaFile), ClientCertificate = TlsCertificates.Load(clientCert, clientKey) });
        await tls.WriteAsync("hello sockit\n"u8.ToArray(), CancellationToken.None);
        Assert.Equal("tikcos olleh\n", await ReadLineAsync(tls));
    }

    [Fact]
    public async Task OpensslServerRefusingOurMissingClientCertificateIsNamed()
    {
        var (cert, key) = _certs.WritePem("server", _certs.Leaf(["127.0.0.1"], _certs.Ca));
        await using var server = RunningProcess.Start(Peers.Require("openssl"), "s_server", "-accept", "0", "-naccept", "1", "-rev",
            "-cert", cert, "-key", key, "-Verify", "1", "-CAfile", _certs.CaFile, "-verify_return_error", "-tls1_2");
        string accept = await server.WaitForLineAsync(l => l.StartsWith("ACCEPT", StringComparison.Ordinal));
        int port = int.Parse(accept[(accept.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var error = await Assert.ThrowsAsync<TlsException>(() => TlsLayer.ConnectAsync(TlsPair.Wrap(socket), "127.0.0.1",
            new TlsClientOptions { TrustedRoots = [_certs.Ca] }));
        Assert.Matches(@"^127\.0\.0\.1:\d+ refused the TLS handshake \(.*alert.*\)$", error.Message);
    }

    public void Dispose() => _certs.Dispose();

    private static async Task<string> ReadLineAsync(DuplexEnd end)
    {
        var text = new StringBuilder();
        var buffer = new byte[256];
        using var deadline = new CancellationTokenSource(RunningProcess.DefaultWait);
        while (!text.ToString().EndsWith('\n'))
        {
            int n = await end.ReadAsync(buffer, deadline.Token);
            if (n == 0) break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        return text.ToString();
    }
}
