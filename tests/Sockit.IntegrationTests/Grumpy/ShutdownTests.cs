using System.Net;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Grumpy;

/// <summary>SIGTERM and SIGINT: stop accepting, finish the client in flight, say SERVER STOPPED, exit 0.</summary>
public sealed class ShutdownTests
{
    private const int SigInt = 2, SigTerm = 15;

    public static TheoryData<string, int> FamiliesAndSignals()
    {
        var data = new TheoryData<string, int>();
        foreach (string family in new[] { Families.IPv4, Families.IPv6, Families.Unix })
            foreach (int signal in new[] { SigTerm, SigInt })
                data.Add(family, signal);
        return data;
    }

    [Theory]
    [MemberData(nameof(FamiliesAndSignals))]
    public async Task SignalLetsTheClientInFlightFinish(string family, int signal)
    {
        await using var server = await Families.ServeAsync(family, "--grace", "60s");
        EndPoint listening = family switch
        {
            Families.IPv4 => new IPEndPoint(IPAddress.Loopback, server.Server.Port),
            Families.IPv6 => new IPEndPoint(IPAddress.IPv6Loopback, server.Server.Port),
            _ => new UnixDomainSocketEndPoint(server.UnixPath!),
        };
        using Socket inFlight = await server.ConnectRawAsync();
        await server.Process.WaitForLineAsync(l => l.StartsWith("RECEIVED CONNECTION FROM ", StringComparison.Ordinal));

        server.Process.Signal(signal);
        await ProcessWaits.WaitUntilRefusedAsync(listening);
        Assert.False(server.Process.Process.HasExited, "the server must wait for the client in flight");

        await RawClient.SendAsync(inFlight, "still here\n");
        Assert.Equal(ServeFamiliesTests.Reply + "\n", await RawClient.ReadToEndAsync(inFlight));

        Assert.Equal(0, await server.Process.WaitForExitAsync());
        var lines = server.Process.StdoutLines;
        Assert.Contains($"{server.PeerHost} said: still here", lines);
        Assert.Equal("SERVER STOPPED", lines[^1]);
        Assert.Equal("", server.Process.Stderr);
        if (server.UnixPath is not null) Assert.False(File.Exists(server.UnixPath), "the socket file is removed on stop");
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task IdleServerStopsAtOnceOnSigterm(string family)
    {
        await using var server = await Families.ServeAsync(family);
        server.Process.Signal(SigTerm);
        Assert.Equal(0, await server.Process.WaitForExitAsync());
        Assert.Equal([server.Server.ListeningLine, "SERVER STOPPED"], server.Process.StdoutLines);
    }
}
