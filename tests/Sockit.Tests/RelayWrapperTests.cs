using System.Security.Cryptography;
using Sockit.Cli.Relay;
using Sockit.Relay;

namespace Sockit.Tests;

/// <summary>TallyEnd (hashes and meters) and HexDumpEnd around a relay: bytes unchanged, each direction counted once.</summary>
public sealed class RelayWrapperTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TallyHashesWhatIsReadAsSentAndWhatIsWrittenAsReceived()
    {
        byte[] fromLocal = RandomNumberGenerator.GetBytes(200_000), fromPeer = RandomNumberGenerator.GetBytes(77_777);
        var localOut = new MemoryStream();
        var peerOut = new MemoryStream();
        using var sent = new Sha256Summary();
        using var received = new Sha256Summary();
        var meterText = new StringWriter();
        var meter = new ProgressMeter(meterText, fromLocal.Length, enabled: true);
        var local = new TallyEnd(new StdioEnd(new MemoryStream(fromLocal), localOut), sent, received, readMeter: meter);
        var peer = new StdioEnd(new MemoryStream(fromPeer), peerOut);

        RelayResult result = await DuplexRelay.RunAsync(local, peer, new RelayOptions { BufferSize = 4096 }, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(RelayEndReason.BothEof, result.Reason);
        Assert.Equal(fromLocal, peerOut.ToArray());
        Assert.Equal(fromPeer, localOut.ToArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(fromLocal)), sent.HexDigest());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(fromPeer)), received.HexDigest());
        Assert.Equal(fromLocal.Length, meter.Bytes);
        // Completed at stdin's EOF: the final line, with its newline, is there.
        Assert.EndsWith("\n", meterText.ToString(), StringComparison.Ordinal);
        Assert.Contains("195.3 KiB in ", meterText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZeroByteReadsPassThroughDecoratorsWithoutEndingTheStream()
    {
        // Handlers wait for data with a zero-byte read; a decorator must neither refuse it nor take it for EOF.
        var meterText = new StringWriter();
        var meter = new ProgressMeter(meterText, enabled: true);
        var inner = new StdioEnd(new MemoryStream("a\n"u8.ToArray()), new MemoryStream());
        await using var end = new CrlfEnd(new TallyEnd(inner, readMeter: meter));

        Assert.Equal(0, await end.ReadAsync(Memory<byte>.Empty, CancellationToken.None));
        Assert.Equal("", meterText.ToString());
        byte[] buffer = new byte[16];
        int n = await end.ReadAsync(buffer, CancellationToken.None);

        Assert.Equal("a\r\n", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public async Task HexDumpMarksReadsAsSentAndWritesAsReceived()
    {
        var dump = new StringWriter();
        var local = new HexDumpEnd(new StdioEnd(new MemoryStream("ping\n"u8.ToArray()), new MemoryStream()), dump);
        var peer = new StdioEnd(new MemoryStream("pong\n"u8.ToArray()), new MemoryStream());

        await DuplexRelay.RunAsync(local, peer, new RelayOptions(), CancellationToken.None).WaitAsync(Bound);

        string[] lines = dump.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("> 00000000  70 69 6e 67 0a                                    |ping.|", lines);
        Assert.Contains("< 00000000  70 6f 6e 67 0a                                    |pong.|", lines);
    }
}
