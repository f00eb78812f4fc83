using System.Globalization;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Tls;

/// <summary><c>sockit nc --ssl</c> against itself: pins, verification lines, --insecure, mutual TLS, families.</summary>
public sealed partial class NcTlsTests : IDisposable
{
    private readonly TestCertificates _certs = new();
    private readonly TempDir _dir = new();

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ListenerPrintsItsPinAndAPinnedClientExchangesBothWays(string family)
    {
        string listenerIn = Write("listener.in", "from the listener\n"), clientIn = Write("client.in", "from the client\n");
        string sock = _dir.File("t.sock");
        string listenArgs = family switch { "ipv6" => "-6 ::1 0", "unix" => $"-U {sock}", _ => "127.0.0.1 0" };
        await using var listener = Shell.Run($"{Shell.Sockit} nc -l --ssl -v {listenArgs}", listenerIn, _dir.File("listener.out"));
        string pinLine = await listener.WaitForLineAsync(l => l.StartsWith("TLS: throwaway self-signed certificate ", StringComparison.Ordinal));
        string pin = PinIn().Match(pinLine).Groups[1].Value;
        Assert.Equal($"TLS: throwaway self-signed certificate {pin} (clients: --pin {pin})", pinLine);
        string listening = await listener.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal));
        string target = family switch
        {
            "ipv6" => "::1 " + listening[(listening.LastIndexOf(':') + 1)..],
            "unix" => $"-U {sock}",
            _ => "127.0.0.1 " + listening[(listening.LastIndexOf(':') + 1)..],
        };
        await using var client = Shell.Run($"{Shell.Sockit} nc --pin {pin} -v {target}", clientIn, _dir.File("client.out"));
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal(0, await listener.WaitForExitAsync());
        Assert.Equal("from the listener\n", await File.ReadAllTextAsync(_dir.File("client.out")));
        Assert.Equal("from the client\n", await File.ReadAllTextAsync(_dir.File("listener.out")));
        Assert.Contains(client.StdoutLines, l => Regex.IsMatch(l, $@"^TLS: TLSv1\.3 TLS_\w+, peer certificate CN=sockit ephemeral {pin}$"));
        Assert.Contains(listener.StdoutLines, l => l.StartsWith("TLS from ", StringComparison.Ordinal) && l.EndsWith(", no peer certificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientRefusesAThrowawayCertificateWithOneActionableLine()
    {
        await using var listener = Shell.Run($"{Shell.Sockit} nc -l --ssl -v 127.0.0.1 0", "/dev/null", _dir.File("listener.out"));
        int port = await PortAsync(listener);
        await using var client = Shell.Run($"{Shell.Sockit} nc --ssl 127.0.0.1 {port}", "/dev/null", _dir.File("client.out"));
        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Equal(["[TLS error]: certificate for 127.0.0.1 is self-signed and not trusted (use --ssl-trustfile, --pin sha256:... or --insecure)"], client.StdoutLines);
    }

    [Fact]
    public async Task InsecureConnectsAndSaysSoOnStderr()
    {
        string listenerIn = Write("listener.in", "hello\n");
        await using var listener = Shell.Run($"{Shell.Sockit} nc -l --ssl -v 127.0.0.1 0", listenerIn, _dir.File("listener.out"));
        int port = await PortAsync(listener);
        await using var client = Shell.Run($"{Shell.Sockit} nc --insecure 127.0.0.1 {port}", "/dev/null", _dir.File("client.out"));
        int exit = await client.WaitForExitAsync();
        // Once seen failing in CI (exit 1) and not reproduced in 220 runs: say what both ends printed if it comes back.
        Assert.True(exit == 0, $"client exited {exit}\nclient:\n{string.Join('\n', client.StdoutLines)}\n{client.Stderr}\nlistener:\n{string.Join('\n', listener.StdoutLines)}\n{listener.Stderr}");
        Assert.Equal("hello\n", await File.ReadAllTextAsync(_dir.File("client.out")));
        Assert.Contains(client.StdoutLines, l => l.StartsWith("[TLS warning]: --insecure: the server's certificate is not verified", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MutualTlsAcceptsTheCasClientAndRefusesOneWithoutCertificate()
    {
        var (cert, key) = _certs.WritePem("server", _certs.Leaf(["127.0.0.1"], _certs.Ca));
        var (clientCert, clientKey) = _certs.WritePem("client", _certs.ClientLeaf());
        string tls = $"--ssl-cert {cert} --ssl-key {key} --ssl-verify --ssl-trustfile {_certs.CaFile}";
        await using var refusing = Shell.Run($"{Shell.Sockit} nc -l -v {tls} 127.0.0.1 0", "/dev/null", _dir.File("refusing.out"));
        int port = await PortAsync(refusing);
        await using var anonymous = Shell.Run($"{Shell.Sockit} nc --ssl-trustfile {_certs.CaFile} 127.0.0.1 {port}", "/dev/null", _dir.File("anonymous.out"));
        await anonymous.WaitForExitAsync();
        Assert.Equal(1, await refusing.WaitForExitAsync());
        Assert.Contains("[TLS error]: the client sent no certificate (this server requires one)", refusing.StdoutLines);

        string listenerIn = Write("listener.in", "welcome\n");
        await using var listener = Shell.Run($"{Shell.Sockit} nc -l -v {tls} 127.0.0.1 0", listenerIn, _dir.File("listener.out"));
        port = await PortAsync(listener);
        await using var client = Shell.Run($"{Shell.Sockit} nc --ssl-trustfile {_certs.CaFile} --ssl-cert {clientCert} --ssl-key {clientKey} 127.0.0.1 {port}", "/dev/null", _dir.File("client.out"));
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal(0, await listener.WaitForExitAsync());
        Assert.Equal("welcome\n", await File.ReadAllTextAsync(_dir.File("client.out")));
        Assert.Contains(listener.StdoutLines, l => l.StartsWith("TLS from ", StringComparison.Ordinal) && l.Contains("peer certificate CN=sockit test client sha256:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--pin sha256:12 127.0.0.1 1", "--pin: a pin is sha256: and 64 hex digits; 'sha256:12' has 2 after the prefix")]
    [InlineData("--pin sha256:0000000000000000000000000000000000000000000000000000000000000000 --insecure 127.0.0.1 1", "--pin and --insecure cannot be used together")]
    [InlineData("--ssl -u 127.0.0.1 1", "--ssl is for streams (TCP or Unix); DTLS over UDP is not supported")]
    [InlineData("--ssl-trustfile /nonexistent/ca.pem 127.0.0.1 1", "[TLS error]: cannot read /nonexistent/ca.pem: Could not find a part of the path '/nonexistent/ca.pem'.")]
    [InlineData("-l --ssl --ssl-verify 127.0.0.1 0", "--ssl-verify on a listener needs --ssl-trustfile: the CA that signs client certificates")]
    public async Task BadTlsArgumentsAreOneLineAndExitOne(string args, string line)
    {
        await using var sockit = Shell.Run($"{Shell.Sockit} nc {args}", "/dev/null", _dir.File("out"));
        Assert.Equal(1, await sockit.WaitForExitAsync());
        Assert.Equal([line], sockit.StdoutLines);
    }

    public void Dispose()
    {
        _certs.Dispose();
        _dir.Dispose();
    }

    internal static async Task<int> PortAsync(RunningProcess listener)
    {
        string line = await listener.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal));
        return int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }

    private string Write(string name, string text)
    {
        string path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    [GeneratedRegex("(sha256:[0-9a-f]{64})")]
    private static partial Regex PinIn();
}
