using System.Globalization;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Grumpy;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Tls;

/// <summary>
/// <c>sockit serve --tls</c> and <c>sockit connect --tls</c>: the grumpy pair over TLS, over IPv4, IPv6 and Unix
/// sockets, with openssl s_client and ncat --ssl as clients, and the client's refusals.
/// </summary>
public sealed partial class GrumpyTlsTests : IDisposable
{
    private const string Reply = ServeFamiliesTests.Reply, Hello = ServeFamiliesTests.Hello;
    private readonly TestCertificates _certs = new();

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ConnectPinnedToTheThrowawayCertificateGetsTheGrumpyReply(string family)
    {
        await using var server = await Families.ServeAsync(family, "--tls");
        string pinLine = await server.Process.WaitForStderrLineAsync("TLS: throwaway self-signed certificate ");
        string pin = PinIn().Match(pinLine).Groups[1].Value;
        Assert.Equal($"TLS: throwaway self-signed certificate {pin} (clients: --pin {pin})", pinLine);

        await using var client = RunningProcess.Sockit(server.ConnectArgs("--pin", pin));
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal([$"CLIENT CONNECTED TO SERVER AT {server.ClientSees}", $"{server.ClientHost} said: {Reply}"], client.StdoutLines);
        Assert.Equal("", client.Stderr);
        await server.Process.WaitForLineAsync($"{server.PeerHost} said: {Hello}");
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ConnectVerifiesAServerCertificateFromFilesByName(string family)
    {
        // The Unix client checks the name localhost; the IP clients check the address they connected to.
        var (cert, key) = _certs.WritePem("server", _certs.Leaf(["127.0.0.1", "::1", "localhost"], _certs.Ca, rsa: true));
        await using var server = await Families.ServeAsync(family, "--ssl-cert", cert, "--ssl-key", key);
        await using var client = RunningProcess.Sockit(server.ConnectArgs("--ssl-trustfile", _certs.CaFile, "-m", "over verified TLS"));
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal($"{server.ClientHost} said: {Reply}", client.StdoutLines[^1]);
        await server.Process.WaitForLineAsync($"{server.PeerHost} said: over verified TLS");
        Assert.DoesNotContain("throwaway", server.Process.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openssl")]
    [InlineData("ncat")]
    public async Task TlsPeersGetTheGrumpyReply(string peer)
    {
        var (cert, key) = _certs.WritePem("server", _certs.Leaf(["127.0.0.1", "localhost"], _certs.Ca));
        await using var server = await ServerProcess.StartAsync("--bind", "127.0.0.1", "--tls", "--ssl-cert", cert, "--ssl-key", key);
        string port = server.Port.ToString(CultureInfo.InvariantCulture);
        string[] command = peer == "openssl"
            ? ["openssl", "s_client", "-quiet", "-connect", $"127.0.0.1:{port}", "-CAfile", _certs.CaFile, "-verify_return_error", "-verify_ip", "127.0.0.1"]
            : [Peers.Ncat, "--ssl", "--ssl-verify", "--ssl-trustfile", _certs.CaFile, "localhost", port];
        await using var client = RunningProcess.Start(command[0], command[1..]);
        await client.Input.WriteAsync($"Hello from {peer}\n");
        await client.Input.FlushAsync();
        await client.WaitForLineAsync(Reply);
        client.Input.Close();
        Assert.Equal(0, await client.WaitForExitAsync());
        await server.Process.WaitForLineAsync($"127.0.0.1 said: Hello from {peer}");
    }

    [Fact]
    public async Task PlainTextClientIsOneLogLineAndTheServerGoesOn()
    {
        await using var server = await ServerProcess.StartAsync("--bind", "127.0.0.1", "--tls");
        string pin = PinIn().Match(await server.Process.WaitForStderrLineAsync("TLS: throwaway")).Groups[1].Value;
        string port = server.Port.ToString(CultureInfo.InvariantCulture);
        await using (var nc = RunningProcess.Start(Peers.Nc, "-N", "127.0.0.1", port))
        {
            await nc.Input.WriteAsync("GET / HTTP/1.0\r\n\r\n");
            nc.Input.Close();
            Assert.Equal(0, await nc.WaitForExitAsync());
            Assert.Empty(nc.StdoutLines);
        }
        string failed = await server.Process.WaitForLineAsync(l => l.StartsWith("CONNECTION FROM ", StringComparison.Ordinal));
        Assert.Matches(@"^CONNECTION FROM 127\.0\.0\.1:\d+ FAILED: 127\.0\.0\.1:\d+ spoke plain text, not TLS, to this TLS port$", failed);

        await using var client = RunningProcess.Sockit("connect", "127.0.0.1", port, "--pin", pin);
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal($"127.0.0.1 said: {Reply}", client.StdoutLines[^1]);
    }

    [Fact]
    public async Task ConnectRefusesAnUnverifiedServerWithOneLine()
    {
        await using var server = await ServerProcess.StartAsync("--bind", "127.0.0.1", "--tls");
        await using var client = RunningProcess.Sockit("connect", "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture), "--tls");
        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Empty(client.StdoutLines);
        Assert.Equal("[TLS error]: certificate for 127.0.0.1 is self-signed and not trusted (use --ssl-trustfile, --pin sha256:... or --insecure)\n", client.Stderr);
    }

    [Fact]
    public async Task InsecureConnectSaysSoAndGetsTheReply()
    {
        await using var server = await ServerProcess.StartAsync("--bind", "127.0.0.1", "--echo", "--tls");
        await using var client = RunningProcess.Sockit("connect", "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture), "--insecure", "-m", "echoed over TLS");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal("127.0.0.1 said: echoed over TLS", client.StdoutLines[^1]);
        Assert.StartsWith("[TLS warning]: --insecure: ", client.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MutualTlsServeAnswersTheCasClientAndLogsTheOneWithout()
    {
        var (cert, key) = _certs.WritePem("server", _certs.Leaf(["127.0.0.1"], _certs.Ca));
        var (clientCert, clientKey) = _certs.WritePem("client", _certs.ClientLeaf());
        await using var server = await ServerProcess.StartAsync("--bind", "127.0.0.1", "--ssl-cert", cert, "--ssl-key", key, "--ssl-verify", "--ssl-trustfile", _certs.CaFile);
        string port = server.Port.ToString(CultureInfo.InvariantCulture);

        await using (var anonymous = RunningProcess.Sockit("connect", "127.0.0.1", port, "--ssl-trustfile", _certs.CaFile))
        {
            // Under TLS 1.3 the client's side of the handshake is done before the server judges its (missing)
            // certificate, so the client learns of the refusal only as a close: it gets no reply.
            await anonymous.WaitForExitAsync();
            Assert.DoesNotContain(anonymous.StdoutLines, l => l.Contains(Reply, StringComparison.Ordinal));
        }
        string failed = await server.Process.WaitForLineAsync(l => l.StartsWith("CONNECTION FROM ", StringComparison.Ordinal));
        Assert.EndsWith("FAILED: the client sent no certificate (this server requires one)", failed, StringComparison.Ordinal);

        await using var client = RunningProcess.Sockit("connect", "127.0.0.1", port, "--ssl-trustfile", _certs.CaFile, "--ssl-cert", clientCert, "--ssl-key", clientKey);
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal($"127.0.0.1 said: {Reply}", client.StdoutLines[^1]);
    }

    [Fact]
    public async Task OpensslClientWithACertificateIsServedByAMutualTlsListener()
    {
        var (cert, key) = _certs.WritePem("server", _certs.Leaf(["127.0.0.1"], _certs.Ca));
        var (clientCert, clientKey) = _certs.WritePem("client", _certs.ClientLeaf());
        await using var server = await ServerProcess.StartAsync("--bind", "127.0.0.1", "--ssl-cert", cert, "--ssl-key", key, "--ssl-verify", "--ssl-trustfile", _certs.CaFile);
        await using var client = RunningProcess.Start("openssl", "s_client", "-quiet", "-connect", $"127.0.0.1:{server.Port}",
            "-CAfile", _certs.CaFile, "-verify_return_error", "-cert", clientCert, "-key", clientKey);
        await client.Input.WriteAsync("Hello with a certificate\n");
        await client.Input.FlushAsync();
        await client.WaitForLineAsync(Reply);
        client.Input.Close();
        Assert.Equal(0, await client.WaitForExitAsync());
        await server.Process.WaitForLineAsync("127.0.0.1 said: Hello with a certificate");
    }

    public void Dispose() => _certs.Dispose();

    [GeneratedRegex("(sha256:[0-9a-f]{64})")]
    private static partial Regex PinIn();
}
