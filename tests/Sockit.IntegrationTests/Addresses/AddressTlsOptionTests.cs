using System.Security.Cryptography.X509Certificates;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;
using Sockit.IntegrationTests.Tls;

namespace Sockit.IntegrationTests.Addresses;

/// <summary>
/// The TLS options of relay addresses against OpenSSL's own tools: <c>alpn=</c> and <c>ciphers=</c> (socat's
/// <c>cipher=</c>) on <c>tls-listen:</c> and <c>tls:</c>, a <c>cafile=</c> listener's refusal in address terms, and
/// <c>sockit relay -l --ssl</c>, the TLS-terminating forwarder.
/// </summary>
public sealed class AddressTlsOptionTests : IDisposable
{
    private readonly TestCertificates _certs = new();
    private readonly string _cert, _key;

    public AddressTlsOptionTests()
    {
        using X509Certificate2 leaf = _certs.Leaf(["127.0.0.1", "localhost"], _certs.Ca);
        (_cert, _key) = _certs.WritePem("server", leaf);
    }

    public void Dispose() => _certs.Dispose();

    [Fact]
    public async Task TlsListenChoosesItsAlpnAndCipherForOpenSslClient()
    {
        (RunningProcess echo, int echoPort) = await AddressTlsTests.SocatEchoAsync();
        await using var e = echo;
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync(
            $"tls-listen:127.0.0.1:0,fork,cert={_cert},key={_key},alpn=h2:http/1.1,cipher=TLS_AES_128_GCM_SHA256", $"tcp:127.0.0.1:{echoPort}");
        await using var _ = relay;
        string[] session = await OpenSslClientAsync(port, "-alpn", "http/1.1,foo", "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256");
        Assert.Contains("ALPN protocol: http/1.1", session);
        Assert.Contains(session, l => l.Contains("Cipher is TLS_AES_128_GCM_SHA256", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TlsAddressOffersItsAlpnToPythonSslServer()
    {
        // Python's ssl (OpenSSL) speaks http/1.1 only: of the offered h2:http/1.1 it chooses http/1.1 and says so.
        const string server = """
            import socket, ssl, sys
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(sys.argv[1], sys.argv[2])
            ctx.set_alpn_protocols(["http/1.1"])
            listener = socket.create_server(("127.0.0.1", 0))
            print(listener.getsockname()[1], flush=True)
            conn, _ = listener.accept()
            s = ctx.wrap_socket(conn, server_side=True)
            print("alpn", s.selected_alpn_protocol(), flush=True)
            s.sendall(s.recv(100)[::-1])
            s.close()
            """;
        await using var python = RunningProcess.Start(Peers.Python, "-c", server, _cert, _key);
        string serverPort = await python.WaitForLineAsync(_ => true);
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync(
            "tcp-listen:127.0.0.1:0,fork", $"tls:127.0.0.1:{serverPort},cafile={_certs.CaFile},alpn=h2:http/1.1");
        await using var _ = relay;
        Assert.Equal("olleh", await AddressTlsTests.LineThroughAsync(port, "hello"));
        await python.WaitForLineAsync("alpn http/1.1");
    }

    [Fact]
    public async Task UnknownCipherSuiteIsOneLineAndExit1BeforeListening()
    {
        await using var relay = RunningProcess.Sockit("relay", "tls-listen:0,ciphers=NOT_A_CIPHER", "tcp:127.0.0.1:9");
        Assert.Equal(1, await relay.WaitForExitAsync());
        string line = Assert.Single(relay.Stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("[TLS error]: unknown cipher suite 'NOT_A_CIPHER'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CafileListenerRefusesAForeignClientCertificateNamingCafile()
    {
        (RunningProcess echo, int echoPort) = await AddressTlsTests.SocatEchoAsync();
        await using var e = echo;
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync(
            $"tls-listen:127.0.0.1:0,fork,cert={_cert},key={_key},cafile={_certs.CaFile}", $"tcp:127.0.0.1:{echoPort}");
        await using var _ = relay;
        using X509Certificate2 foreign = _certs.Leaf(["client.test"], _certs.OtherCa, usage: "1.3.6.1.5.5.7.3.2", subject: "CN=foreign client");
        (string clientCert, string clientKey) = _certs.WritePem("foreign", foreign);
        await OpenSslClientAsync(port, "-cert", clientCert, "-key", clientKey);
        string line = await relay.WaitForStderrLineAsync("[Relay error]: ");
        Assert.Contains("client certificate is signed by an unknown CA", line, StringComparison.Ordinal);
        Assert.Contains("cafile=", line, StringComparison.Ordinal);
        Assert.DoesNotContain("--ssl-trustfile", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelayListenWithSslTerminatesTlsForAVerifyingClient()
    {
        (RunningProcess echo, int echoPort) = await AddressTlsTests.SocatEchoAsync();
        await using var e = echo;
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync(
            "-l", "127.0.0.1:0", "--ssl", "--ssl-cert", _cert, "--ssl-key", _key, "127.0.0.1", RelayProcess.Text(echoPort));
        await using var _ = relay;
        for (int i = 0; i < 2; i++) await AddressTlsTests.EchoesIntactAsync(port, "cafile", _certs.CaFile);
        Assert.DoesNotContain("throwaway", relay.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelayListenWithSslAloneServesAThrowawayCertificateForNcat()
    {
        (RunningProcess echo, int echoPort) = await AddressTlsTests.SocatEchoAsync();
        await using var e = echo;
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync("-l", "127.0.0.1:0", "--ssl", "127.0.0.1", RelayProcess.Text(echoPort));
        await using var _ = relay;
        await relay.WaitForStderrLineAsync("TLS: throwaway self-signed certificate sha256:");
        // ncat does not verify without --ssl-verify; -i ends it once the echo has come back.
        await using var ncat = RunningProcess.Start("/bin/bash", "-c", $"printf 'over tls\\n' | {Peers.Ncat} --ssl -i 2 127.0.0.1 {port}");
        await ncat.WaitForLineAsync("over tls");
    }

    [Fact]
    public async Task SslWithoutListenIsOneLineAndExit1()
    {
        await using var relay = RunningProcess.Sockit("relay", "--ssl", "tcp-listen:0", "tcp:127.0.0.1:9");
        Assert.Equal(1, await relay.WaitForExitAsync());
        Assert.Contains("--ssl goes with -l", Assert.Single(relay.Stderr.TrimEnd().Split('\n')), StringComparison.Ordinal);
    }

    /// <summary>openssl s_client to <paramref name="port"/>, its stdin empty (so it closes once connected); its output lines.</summary>
    private async Task<string[]> OpenSslClientAsync(int port, params string[] options)
    {
        string command = $"openssl s_client -connect 127.0.0.1:{port} -CAfile {Shell.Quote(_certs.CaFile)} {string.Join(' ', options.Select(Shell.Quote))} </dev/null 2>&1";
        await using var client = RunningProcess.Start("/bin/bash", "-c", command);
        await client.WaitForExitAsync(RelayProcess.Bound);
        return [.. client.StdoutLines];
    }
}
