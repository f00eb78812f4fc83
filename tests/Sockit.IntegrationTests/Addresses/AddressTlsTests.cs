using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;
using Sockit.IntegrationTests.Tls;

namespace Sockit.IntegrationTests.Addresses;

/// <summary>
/// <c>tls:</c> and <c>tls-listen:</c> addresses against real peers: the relay terminates TLS for Python's ssl client
/// (OpenSSL) in front of a socat echo, and originates it to <c>openssl s_server</c>, verified by <c>cafile=</c> or
/// <c>pin=</c>, refused without either, and unverified only with <c>verify=0</c>, which warns.
/// </summary>
public sealed class AddressTlsTests : IDisposable
{
    private const int Size = 4 * 1024 * 1024;

    // Sends SIZE random bytes 64 KiB at a time, reading each chunk's echo back before the next (an SSL socket is not
    // safe to use from two threads at once); prints the SHA-256 of what it sent and of what came back.
    private const string EchoClient = """
        import hashlib, os, socket, ssl, sys
        port, size, mode, value = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
        raw = socket.create_connection(("127.0.0.1", port), timeout=60)
        if mode == "cafile":
            s = ssl.create_default_context(cafile=value).wrap_socket(raw, server_hostname="127.0.0.1")
        else:
            s = raw
        data = os.urandom(size)
        got = bytearray()
        for at in range(0, size, 65536):
            s.sendall(data[at:at + 65536])
            while len(got) < min(at + 65536, size):
                d = s.recv(65536)
                if not d: break
                got += d
            if len(got) < min(at + 65536, size): break
        print(hashlib.sha256(data).hexdigest(), flush=True)
        print(hashlib.sha256(got).hexdigest(), flush=True)
        """;

    private readonly TestCertificates _certs = new();
    private readonly string _cert, _key, _pin;

    public AddressTlsTests()
    {
        using X509Certificate2 leaf = _certs.Leaf(["127.0.0.1", "localhost"], _certs.Ca);
        (_cert, _key) = _certs.WritePem("server", leaf);
        _pin = "sha256:" + leaf.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant();
    }

    public void Dispose() => _certs.Dispose();

    [Fact]
    public async Task ForkingTlsListenerTerminatesTlsInFrontOfTcpEcho()
    {
        (RunningProcess echo, int echoPort) = await SocatEchoAsync();
        await using var e = echo;
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync($"OPENSSL-LISTEN:127.0.0.1:0,fork,cert={_cert},key={_key}", $"tcp:127.0.0.1:{echoPort}");
        await using var _ = relay;
        for (int i = 0; i < 2; i++) await EchoesIntactAsync(port, "cafile", _certs.CaFile);
        Assert.DoesNotContain("throwaway", relay.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cafile")]
    [InlineData("pin")]
    [InlineData("verify=0")]
    public async Task TlsAddressReachesOpenSslServerWhenVerifiedOrExplicitlyUnverified(string how)
    {
        (RunningProcess server, int serverPort) = await OpenSslReverseServerAsync();
        await using var s = server;
        string option = how switch { "cafile" => $"cafile={_certs.CaFile}", "pin" => $"pin={_pin}", _ => "verify=0" };
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync("tcp-listen:127.0.0.1:0,fork", $"OPENSSL:127.0.0.1:{serverPort},{option}");
        await using var _ = relay;
        Assert.Equal("olleh", await LineThroughAsync(port, "hello"));
        string[] warnings = relay.Stderr.Split('\n').Where(l => l.StartsWith("[TLS warning]: verify=0", StringComparison.Ordinal)).ToArray();
        Assert.Equal(how == "verify=0" ? 1 : 0, warnings.Length);
    }

    [Fact]
    public async Task UnverifiableServerIsRefusedWithOneLineAndTheRelayGoesOnServing()
    {
        (RunningProcess server, int serverPort) = await OpenSslReverseServerAsync();
        await using var s = server;
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync("tcp-listen:127.0.0.1:0,fork", $"tls:127.0.0.1:{serverPort}");
        await using var _ = relay;
        for (int i = 1; i <= 2; i++)
        {
            Assert.Equal("", await LineThroughAsync(port, "hello"));
            int n = i;
            await relay.WaitForStderrAsync(e => e.Split('\n').Count(l => l.StartsWith("[Relay error]: ", StringComparison.Ordinal)) == n);
        }
        string[] errors = relay.Stderr.Split('\n').Where(l => l.StartsWith("[Relay error]: ", StringComparison.Ordinal)).ToArray();
        Assert.All(errors, l => Assert.Contains("certificate for 127.0.0.1", l, StringComparison.Ordinal));
        Assert.All(errors, l => Assert.Contains("(use cafile=, pin=sha256:... or verify=0)", l, StringComparison.Ordinal));
        Assert.False(relay.Process.HasExited);
    }

    [Fact]
    public async Task ThrowawayCertificatePinLetsATlsAddressReachATlsListener()
    {
        (RunningProcess echo, int echoPort) = await SocatEchoAsync();
        await using var e = echo;
        (RunningProcess terminator, int tlsPort) = await RelayProcess.ListenAsync("tls-listen:127.0.0.1:0,fork", $"tcp:127.0.0.1:{echoPort}");
        await using var _ = terminator;
        string line = await terminator.WaitForStderrLineAsync("TLS: throwaway self-signed certificate sha256:");
        string pin = line.Split(' ')[4];
        (RunningProcess originator, int port) = await RelayProcess.ListenAsync("tcp-listen:127.0.0.1:0,fork", $"tls:127.0.0.1:{tlsPort},pin={pin}");
        await using var __ = originator;
        await EchoesIntactAsync(port, "plain", "-");
    }

    [Fact]
    public async Task MissingCertificateFileIsOneLineAndExit1()
    {
        await using var relay = RunningProcess.Sockit("relay", "tls-listen:0,cert=/nonexistent/c.pem", "tcp:127.0.0.1:9");
        Assert.Equal(1, await relay.WaitForExitAsync());
        string[] lines = relay.Stderr.TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("[TLS error]: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("/nonexistent/c.pem", lines[0], StringComparison.Ordinal);
    }

    /// <summary>Size random bytes to <paramref name="port"/> (over TLS when <paramref name="mode"/> is <c>cafile</c>) come back intact.</summary>
    internal static async Task EchoesIntactAsync(int port, string mode, string value)
    {
        await using var client = RunningProcess.Start(Peers.Python, "-c", EchoClient, RelayProcess.Text(port), RelayProcess.Text(Size), mode, value);
        Assert.Equal(0, await client.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal(2, client.StdoutLines.Count);
        Assert.Equal(client.StdoutLines[0], client.StdoutLines[1]);
    }

    /// <summary>One line through a plain TCP connection to <paramref name="port"/>; the empty string when it closes without one.</summary>
    internal static async Task<string> LineThroughAsync(int port, string text)
    {
        const string client = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
            s.sendall((sys.argv[2] + "\n").encode())
            data = b""
            try:
                while not data.endswith(b"\n"):
                    d = s.recv(100)
                    if not d: break
                    data += d
            except ConnectionResetError:
                pass
            print(data.decode().strip(), flush=True)
            """;
        await using var process = RunningProcess.Start(Peers.Python, "-c", client, RelayProcess.Text(port), text);
        Assert.Equal(0, await process.WaitForExitAsync(RelayProcess.Bound));
        return process.StdoutLines.Count == 0 ? "" : process.StdoutLines[0];
    }

    internal static async Task<(RunningProcess, int)> SocatEchoAsync()
    {
        int port = FreePort.Tcp();
        var echo = RunningProcess.Start(Peers.Socat, $"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork", "EXEC:cat");
        await Shell.WaitForListenerAsync(port);
        return (echo, port);
    }

    private async Task<(RunningProcess, int)> OpenSslReverseServerAsync()
    {
        int port = FreePort.Tcp();
        var server = RunningProcess.Start(Peers.Require("openssl"), "s_server", "-quiet", "-rev", "-accept", $"127.0.0.1:{port}", "-cert", _cert, "-key", _key);
        await Shell.WaitForListenerAsync(port);
        return (server, port);
    }
}
