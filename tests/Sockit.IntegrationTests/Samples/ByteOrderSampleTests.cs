using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Samples;

/// <summary>samples/ByteOrder builds struct sockaddr_in by hand; Python's struct/inet_aton and <c>sockit addr</c> must agree.</summary>
public sealed class ByteOrderSampleTests
{
    private const string MemoryLine = "memory (16 bytes): ";
    private static readonly string Sample = Repo.SamplePath("ByteOrder");

    // The seed's sockaddr_in: family in host order, htons(port), inet_aton(ip), 8 zero bytes.
    private const string PythonSockaddr = """
        import socket, struct, sys
        raw = struct.pack("=H", socket.AF_INET) + struct.pack("!H", int(sys.argv[2])) + socket.inet_aton(sys.argv[1]) + bytes(8)
        print(" ".join("%02x" % b for b in raw))
        """;

    [Theory]
    [InlineData("127.0.0.1", "10001")]
    [InlineData("10.1.2.3", "80")]
    [InlineData("255.255.255.255", "65535")]
    [InlineData("0.0.0.0", "0")]
    public async Task HandBuiltSockaddrMatchesPythonSockitAndWhatDotnetPassesToBind(string address, string port)
    {
        await using var sample = RunningProcess.Start(Sample, address, port);
        Assert.Equal(0, await sample.WaitForExitAsync());
        await using var python = RunningProcess.Start(Peers.Python, "-c", PythonSockaddr, address, port);
        Assert.Equal(0, await python.WaitForExitAsync());
        await using var sockit = RunningProcess.Sockit("addr", address, port);
        Assert.Equal(0, await sockit.WaitForExitAsync());

        string bytes = sample.StdoutLines.Single(l => l.StartsWith(MemoryLine, StringComparison.Ordinal))[MemoryLine.Length..];
        Assert.Equal(python.StdoutLines[0], bytes);
        Assert.Contains(MemoryLine + bytes, sockit.StdoutLines);
        Assert.Contains("same bytes: IPEndPoint does the htons for you", sample.StdoutLines);
        Assert.Equal($"ntohs(0x{bytes[9..11]}{bytes[6..8]}) = {port}, inet_ntoa = {address}", sample.StdoutLines[^1]);
    }

    [Fact]
    public async Task HtonsSwapsThePortBytesOnALittleEndianMachine()
    {
        Assert.True(BitConverter.IsLittleEndian, "these expectations are for x86 and ARM");
        await using var sample = RunningProcess.Start(Sample, "127.0.0.1", "10001");
        Assert.Equal(0, await sample.WaitForExitAsync());
        Assert.Equal("this machine is little-endian", sample.StdoutLines[0]);
        Assert.Equal("htons(10001) = 0x1127; in memory: 27 11", sample.StdoutLines[1]);
        Assert.Equal("inet_aton(\"127.0.0.1\") = 0x0100007f; in memory: 7f 00 00 01", sample.StdoutLines[2]);
    }

    [Theory]
    [InlineData("::1", "10001")]
    [InlineData("127.0.0.1", "65536")]
    [InlineData("127.0.0.1")]
    public async Task SampleWithoutAnIPv4AddressAndPortPrintsUsage(params string[] arguments)
    {
        await using var sample = RunningProcess.Start(Sample, arguments);
        Assert.Equal(1, await sample.WaitForExitAsync());
        Assert.Equal("[Usage]: ByteOrder IPV4-ADDRESS PORT (0-65535)", sample.Stderr.TrimEnd());
    }
}
