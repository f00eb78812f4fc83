using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Tls;

/// <summary>
/// 64 MiB through TLS between <c>sockit nc --ssl</c> and openssl, ncat, socat, Python's ssl and curl, in both
/// roles, SHA-256 compared. The peers verify sockit's certificate against the test's CA and sockit verifies theirs.
/// </summary>
public sealed class TlsInteropTests : IDisposable
{
    private readonly TestCertificates _certs = new();
    private readonly TempDir _dir = new();
    private readonly string _cert, _key;

    public TlsInteropTests() => (_cert, _key) = _certs.WritePem("server", _certs.Leaf(["127.0.0.1", "localhost"], _certs.Ca));

    public static TheoryData<string> Listeners => ["openssl", "ncat", "socat"];

    public static TheoryData<string> Connectors => ["openssl", "ncat", "socat", "python"];

    [Theory]
    [MemberData(nameof(Listeners))]
    public async Task SockitClientSendsEveryByteToATlsListener(string peer)
    {
        int port = FreePort.Tcp();
        string received = _dir.File("peer.out");
        // Each listener's own stdin never ends (an EOF there would end its session early); output to a file.
        string command = peer switch
        {
            "openssl" => $"openssl s_server -quiet -naccept 1 -accept 127.0.0.1:{port} -cert {_cert} -key {_key}",
            "ncat" => $"{Peers.Ncat} --ssl --ssl-cert {_cert} --ssl-key {_key} --recv-only -l 127.0.0.1 {port}",
            _ => $"{Peers.Socat} -u OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,cert={_cert},key={_key},verify=0 STDOUT",
        };
        await using var listener = RunningProcess.Start("/bin/bash", "-c", $"exec {command} < <(sleep 300 2>/dev/null) > {Shell.Quote(received)}");
        await Shell.WaitForListenerAsync(port);
        await using var ours = Shell.Run($"{Shell.Sockit} nc --send-only --ssl-trustfile {_certs.CaFile} 127.0.0.1 {port}", TlsBulk.Path, _dir.File("ours.out"));
        Assert.Equal(0, await ours.WaitForExitAsync(TlsBulk.Bound));
        Assert.Equal(0, await listener.WaitForExitAsync(TlsBulk.Bound));
        Assert.Equal(TlsBulk.Hash, BulkData.Hash(received));
    }

    [Theory]
    [MemberData(nameof(Connectors))]
    public async Task TlsClientSendsEveryByteToSockitListener(string peer)
    {
        string received = _dir.File("ours.out");
        await using var ours = Shell.Run($"{Shell.Sockit} nc -l -v --recv-only --ssl-cert {_cert} --ssl-key {_key} 127.0.0.1 0", "/dev/null", received);
        string p = (await NcTlsTests.PortAsync(ours)).ToString(CultureInfo.InvariantCulture);
        string command = peer switch
        {
            "openssl" => $"openssl s_client -quiet -no_ign_eof -nocommands -connect 127.0.0.1:{p} -CAfile {_certs.CaFile} -verify_return_error -verify_ip 127.0.0.1",
            // Not --send-only: a TLS 1.3 client that never reads leaves the server's session tickets unread, and
            // its close then resets the connection (docs/tls.md).
            "ncat" => $"{Peers.Ncat} --ssl --ssl-verify --ssl-trustfile {_certs.CaFile} localhost {p}",
            "socat" => $"{Peers.Socat} -u STDIN OPENSSL:127.0.0.1:{p},cafile={_certs.CaFile},verify=1",
            _ => $"{Peers.Python} -c {Shell.Quote(PythonSender)} {p} {_certs.CaFile}",
        };
        await using var client = Shell.Run(command, TlsBulk.Path, _dir.File("peer.out"));
        Assert.Equal(0, await client.WaitForExitAsync(TlsBulk.Bound));
        Assert.Equal(0, await ours.WaitForExitAsync(TlsBulk.Bound));
        Assert.Equal(TlsBulk.Hash, BulkData.Hash(received));
        Assert.Contains(ours.StdoutLines, l => l.EndsWith($"received {TlsBulk.Size} bytes; ended: both directions closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SockitListenerAnswersCurlOverHttps()
    {
        string response = _dir.File("response");
        await File.WriteAllTextAsync(response, "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: close\r\n\r\nhello, curl!\n");
        await using var ours = Shell.Run($"{Shell.Sockit} nc -l -v --ssl-cert {_cert} --ssl-key {_key} --ssl-alpn http/1.1 127.0.0.1 0", response, _dir.File("request"));
        int port = await NcTlsTests.PortAsync(ours);
        await using var curl = RunningProcess.Start(Peers.Require("curl"), "-sS", "--http1.1", "--cacert", _certs.CaFile, $"https://127.0.0.1:{port}/tls");
        Assert.Equal(0, await curl.WaitForExitAsync());
        Assert.Equal(["hello, curl!"], curl.StdoutLines);
        Assert.StartsWith("GET /tls HTTP/1.1\r\n", await File.ReadAllTextAsync(_dir.File("request")), StringComparison.Ordinal);
        Assert.Contains(ours.StdoutLines, l => l.Contains(", ALPN http/1.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SockitClientVerifiesAnOpensslServerByNameAndRefusesTheWrongOne()
    {
        int port = FreePort.Tcp();
        await using var server = RunningProcess.Start("/bin/bash", "-c", $"exec openssl s_server -quiet -accept 127.0.0.1:{port} -cert {_cert} -key {_key} < <(sleep 300 2>/dev/null) > /dev/null");
        await Shell.WaitForListenerAsync(port);
        await using var wrongName = Shell.Run($"{Shell.Sockit} nc --ssl-trustfile {_certs.CaFile} --ssl-servername example.org 127.0.0.1 {port}", "/dev/null", _dir.File("out"));
        Assert.Equal(1, await wrongName.WaitForExitAsync());
        Assert.Equal(["[TLS error]: certificate for example.org names localhost, 127.0.0.1, not example.org (use --ssl-servername NAME, --pin sha256:... or --insecure)"], wrongName.StdoutLines);
    }

    public void Dispose()
    {
        _certs.Dispose();
        _dir.Dispose();
    }

    // Sends stdin over TLS, verified against the CA file, then FIN (Python's shutdown sends no close_notify), reads to EOF.
    private const string PythonSender = """
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
with socket.create_connection(("127.0.0.1", int(sys.argv[1]))) as raw:
    with ctx.wrap_socket(raw, server_hostname="localhost") as s:
        while chunk := sys.stdin.buffer.read(1 << 16):
            s.sendall(chunk)
        s.shutdown(socket.SHUT_WR)
        while s.recv(1 << 16):
            pass
""";
}
