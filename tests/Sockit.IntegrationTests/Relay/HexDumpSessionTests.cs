using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary><c>-x FILE</c> / <c>--hex-dump</c>: every byte each way, as <c>hexdump -C</c> lines behind a direction marker.</summary>
public sealed class HexDumpSessionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("nc", "-x")]
    [InlineData("cat", "--hex-dump")]
    public async Task BothDirectionsAreDumpedToTheFile(string command, string flag)
    {
        using var dir = new TempDir();
        byte[] request = [.. "GET /index.html\r\n"u8, 0x00, 0xff, 0x7f];
        byte[] reply = [.. "200 OK, here it is"u8, 0x01];
        string input = dir.File("in"), output = dir.File("out"), dump = dir.File("dump.txt");
        await File.WriteAllBytesAsync(input, request);
        using var listener = LoopbackListener.Tcp4();
        string port = ((IPEndPoint)listener.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);

        await using var ours = Shell.Run($"{Shell.Sockit} {command} {flag} {Shell.Quote(dump)} 127.0.0.1 {port}", input, output);
        using Socket peer = await listener.AcceptAsync().WaitAsync(Bound);
        // Everything sockit sends first (it half-closes at stdin's EOF), then the reply in one send.
        Assert.Equal(request, await ReadToEndAsync(peer));
        await peer.SendAsync(reply);
        peer.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));

        Assert.Equal(reply, await File.ReadAllBytesAsync(output));
        Assert.Equal(
        [
            "> 00000000  47 45 54 20 2f 69 6e 64  65 78 2e 68 74 6d 6c 0d  |GET /index.html.|",
            "> 00000010  0a 00 ff 7f                                       |....|",
            "< 00000000  32 30 30 20 4f 4b 2c 20  68 65 72 65 20 69 74 20  |200 OK, here it |",
            "< 00000010  69 73 01                                          |is.|",
        ], await File.ReadAllLinesAsync(dump));
    }

    [Fact]
    public async Task DashMeansStderrAndShowsTheBytesOnTheWire()
    {
        using var listener = LoopbackListener.Tcp4();
        string port = ((IPEndPoint)listener.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        await using var ours = RunningProcess.Sockit("nc", "-C", "-x", "-", "127.0.0.1", port);
        using Socket peer = await listener.AcceptAsync().WaitAsync(Bound);
        await ours.Input.WriteAsync("a\nb\n");
        ours.Input.Close();
        // -C turns LF into CRLF before the dump: the dump shows what went over the socket.
        Assert.Equal("a\r\nb\r\n"u8.ToArray(), await ReadToEndAsync(peer));
        peer.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.Equal("> 00000000  61 0d 0a 62 0d 0a                                 |a..b..|", ours.Stderr.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("cat", "-x", "/nonexistent-dir/dump.txt", "127.0.0.1", "9")]
    [InlineData("cat", "-l", "--hex-dump", "/nonexistent-dir/dump.txt", "127.0.0.1", "0")]
    [InlineData("nc", "-lk", "-x", "/nonexistent-dir/dump.txt", "127.0.0.1", "0")]
    public async Task AnUnwritableDumpFileFailsBeforeAnyConnection(params string[] argv)
    {
        // Port 9 has no listener and the listeners would wait forever: only a failure before the network exits this way.
        await using var ours = RunningProcess.Sockit(argv);
        Assert.Equal(1, await ours.WaitForExitAsync(Bound));
        Assert.StartsWith("[Hex dump file error]: /nonexistent-dir/dump.txt: ", ours.Stderr, StringComparison.Ordinal);
        Assert.Single(ours.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    internal static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var deadline = new CancellationTokenSource(Bound);
        var got = new MemoryStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0) got.Write(buffer, 0, n);
        return got.ToArray();
    }
}
