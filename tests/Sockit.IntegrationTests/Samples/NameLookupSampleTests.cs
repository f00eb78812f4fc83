using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Samples;

/// <summary>samples/NameLookup (gethostbyname/gethostbyaddr through System.Net.Dns) against Python's resolver calls.</summary>
public sealed class NameLookupSampleTests
{
    private static readonly string Sample = Repo.SamplePath("NameLookup");

    [Fact]
    public async Task SampleFindsTheSameNameAndAddressesForLocalhostAsGetaddrinfo()
    {
        await using var python = RunningProcess.Start(Peers.Python, "-c", """
            import socket
            infos = socket.getaddrinfo("localhost", None, flags=socket.AI_CANONNAME)
            print(infos[0][3])
            for address in sorted({i[4][0] for i in infos}):
                print(address)
            """);
        Assert.Equal(0, await python.WaitForExitAsync());
        string canonical = python.StdoutLines[0];
        var addresses = python.StdoutLines.Skip(1).ToList();
        Assert.Contains("127.0.0.1", addresses);

        await using var sample = RunningProcess.Start(Sample, "localhost");
        Assert.Equal(0, await sample.WaitForExitAsync());
        Assert.Equal($"localhost: official name {canonical}", sample.StdoutLines[0]);
        var found = sample.StdoutLines.Where(l => l.StartsWith("localhost has address ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[3]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(addresses.Order(StringComparer.Ordinal), found);
        Assert.Contains("localhost has address 127.0.0.1 (AF_INET)", sample.StdoutLines);
    }

    [Fact]
    public async Task SampleNamesTheLoopbackAddressAsGethostbyaddrDoes()
    {
        await using var python = RunningProcess.Start(Peers.Python, "-c", "import socket; print(socket.gethostbyaddr('127.0.0.1')[0])");
        Assert.Equal(0, await python.WaitForExitAsync());

        await using var sample = RunningProcess.Start(Sample, "127.0.0.1");
        Assert.Equal(0, await sample.WaitForExitAsync());
        Assert.Equal($"127.0.0.1 is {python.StdoutLines[0]}", sample.StdoutLines[0]);
    }

    [Fact]
    public async Task SampleWithoutANamePrintsUsage()
    {
        await using var sample = RunningProcess.Start(Sample);
        Assert.Equal(1, await sample.WaitForExitAsync());
        Assert.Equal("[Usage]: NameLookup NAME|ADDRESS", sample.Stderr.TrimEnd());
    }
}
