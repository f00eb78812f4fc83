using System.Net.Sockets;
using System.Runtime.Versioning;
using Sockit.Connections;
using Sockit.Relay;
using Sockit.Relay.Splice;
using Sockit.Transports;

namespace Sockit.Tests;

/// <summary>
/// The splice seam: only an end nothing decorates hands out its descriptor, so a relay splices only bytes no
/// decorator (-x, -o, -C, --sha256) needs to see; holding back the half-close (-N) leaves the bytes alone.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SpliceSeamTests
{
    [Fact]
    public async Task OnlyAnUndecoratedSocketOffersItsDescriptor()
    {
        (Socket client, Socket accepted) = await LoopbackPair.ConnectAsync();
        using var _ = client;
        await using var plain = new SocketEnd(accepted, SocketCalls.Untraced);

        Assert.Equal(SpliceKind.Socket, plain.SpliceSource?.Kind);
        Assert.Same(plain.SpliceSource, plain.SpliceSink);
        Assert.Same(plain.SpliceSource, new NoHalfCloseEnd(plain).SpliceSource);
        using var dump = new StringWriter();
        DuplexEnd[] decorated = [new HexDumpEnd(plain, dump, ownsOutput: false), new CrlfEnd(plain), new RecordingEnd(plain, new MemoryStream())];
        foreach (DuplexEnd end in decorated)
        {
            Assert.Null(end.SpliceSource);
            Assert.Null(end.SpliceSink);
            Assert.Null(SpliceRoute.For(end, plain, RelayOptions.DefaultBufferSize));
            Assert.Null(SpliceRoute.For(plain, end, RelayOptions.DefaultBufferSize));
        }
        Assert.NotNull(SpliceRoute.For(plain, plain, RelayOptions.DefaultBufferSize));
    }

    [Fact]
    public void StdioOffersAFileToReadButNotAFileToWriteNorAMemoryStream()
    {
        string path = Path.GetTempFileName();
        try
        {
            using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            using var writer = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            var files = new StdioEnd(reader, writer);
            Assert.Equal(SpliceKind.RegularFile, files.SpliceSource?.Kind);
            Assert.Null(files.SpliceSink); // writing a file: write(2) measured cheaper than splice(2)

            Assert.Null(new StdioEnd(new MemoryStream(), new MemoryStream()).SpliceSource);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
