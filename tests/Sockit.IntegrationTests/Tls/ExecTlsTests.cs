using System.Globalization;
using System.Net;
using Sockit.IntegrationTests.Exec;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Tls;

/// <summary>
/// <c>-e</c>/<c>-c</c> over TLS: the program reads and writes plain text, the network carries TLS; openssl s_client
/// and ncat --ssl as the peers, on a listener (once and with -k) and on a client.
/// </summary>
public sealed class ExecTlsTests : IDisposable
{
    // One line in, one line out, then the program exits: its exit closes the TLS session and the peer sees the end.
    // $NCAT_REMOTE_ADDR shows the program sees the peer's address through the TLS end.
    private const string Answer = "read line; echo \"got $line from $NCAT_REMOTE_ADDR\"";
    private readonly TestCertificates _certs = new();
    private readonly string _cert, _key;

    public ExecTlsTests() => (_cert, _key) = _certs.WritePem("server", _certs.Leaf(["127.0.0.1", "::1", "localhost"], _certs.Ca));

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task OpensslClientTalksToTheProgramOfATlsListener(string family)
    {
        await using var listener = await ExecListener.StartAsync(family, ["-c", Answer], "--ssl-cert", _cert, "--ssl-key", _key);
        string[] where = listener.Target switch
        {
            IPEndPoint ip => ["-connect", ip.ToString()],
            var unix => ["-unix", unix.ToString()!],
        };
        await using var client = RunningProcess.Start("openssl", ["s_client", "-quiet", .. where, "-CAfile", _certs.CaFile, "-verify_return_error"]);
        await client.Input.WriteAsync("hello\n");
        await client.Input.FlushAsync();
        string from = family switch { Families.IPv4 => "127.0.0.1", Families.IPv6 => "::1", _ => "" };
        await client.WaitForLineAsync(l => l.StartsWith($"got hello from {from}", StringComparison.Ordinal));
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal(0, await listener.Process.WaitForExitAsync());
        Assert.Contains("TLS from ", listener.Process.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepOpenListenerRunsAProgramPerNcatClientAndSurvivesAPlainTextOne()
    {
        await using var listener = await ExecListener.StartAsync(Families.IPv4, ["-c", Answer], "-k", "--ssl-cert", _cert, "--ssl-key", _key);
        string port = ((IPEndPoint)listener.Target).Port.ToString(CultureInfo.InvariantCulture);
        await using (var plain = RunningProcess.Start(Peers.Nc, "-N", "127.0.0.1", port))
        {
            await plain.Input.WriteAsync("not TLS\n");
            plain.Input.Close();
            await plain.WaitForExitAsync();
            Assert.Empty(plain.StdoutLines);
        }
        await listener.Process.WaitForStderrLineAsync("[TLS error]: 127.0.0.1:");
        for (int i = 1; i <= 2; i++)
        {
            await using var client = RunningProcess.Start(Peers.Ncat, "--ssl", "--ssl-verify", "--ssl-trustfile", _certs.CaFile, "localhost", port);
            await client.Input.WriteAsync($"client {i}\n");
            await client.Input.FlushAsync();
            await client.WaitForLineAsync($"got client {i} from 127.0.0.1");
            client.Input.Close(); // ncat --ssl waits for its own input's end even after the server closed
            Assert.Equal(0, await client.WaitForExitAsync());
        }
        Assert.False(listener.Process.Process.HasExited);
        Assert.Contains("exec: pid ", listener.Process.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsClientRunsItsProgramAgainstAnNcatListener()
    {
        int port = FreePort.Tcp();
        await using var ncat = RunningProcess.Start(Peers.Ncat, "--ssl", "--ssl-cert", _cert, "--ssl-key", _key, "-l", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        await Relay.Shell.WaitForListenerAsync(port);
        await using var ours = RunningProcess.Sockit("nc", "-v", "--ssl-trustfile", _certs.CaFile, "-c", Answer, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        await ncat.Input.WriteAsync("from ncat\n");
        await ncat.Input.FlushAsync();
        await ncat.WaitForLineAsync("got from ncat from 127.0.0.1");
        Assert.Equal(0, await ours.WaitForExitAsync());
        Assert.Contains("TLS: TLSv1.3 ", ours.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsClientRefusesAnUntrustedListenerBeforeStartingItsProgram()
    {
        int port = FreePort.Tcp();
        await using var ncat = RunningProcess.Start(Peers.Ncat, "--ssl", "-l", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        await Relay.Shell.WaitForListenerAsync(port);
        await using var ours = RunningProcess.Sockit("nc", "-v", "--ssl", "-c", "echo started", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1, await ours.WaitForExitAsync());
        Assert.Contains("[TLS error]: certificate for 127.0.0.1 ", ours.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("exec: pid", ours.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _certs.Dispose();
}
