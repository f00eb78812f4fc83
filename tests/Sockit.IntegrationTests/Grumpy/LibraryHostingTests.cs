using Sockit.Endpoints;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocols.Grumpy;

namespace Sockit.IntegrationTests.Grumpy;

/// <summary>The grumpy server and client hosted in-process through the public library API.</summary>
public sealed class LibraryHostingTests
{
    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task GrumpyServerAndClientRunInProcess(string family)
    {
        using var dir = new TempDir();
        string path = dir.File("lib.sock");
        EndpointSpec listen = family switch
        {
            Families.IPv4 => EndpointSpec.Ip(null, 0),
            Families.IPv6 => EndpointSpec.Ip(null, 0, family: IpFamily.IPv6),
            _ => EndpointSpec.Unix(path),
        };
        var serverLines = new List<string>();
        var clientLines = new List<string>();
        using var stop = new CancellationTokenSource();

        await using var server = GrumpyServer.Start(new GrumpyServerOptions
        {
            Endpoint = listen,
            Reply = "not today",
            Log = line => { lock (serverLines) serverLines.Add(line); },
        });
        Task serving = server.RunAsync(stop.Token);

        EndpointSpec target = family switch
        {
            Families.IPv4 => EndpointSpec.Ip("127.0.0.1", server.Port),
            Families.IPv6 => EndpointSpec.Ip("::1", server.Port),
            _ => EndpointSpec.Unix(path),
        };
        using var deadline = new CancellationTokenSource(RunningProcess.DefaultWait);
        GrumpyExchange exchange = await GrumpyClient.RunAsync(new GrumpyClientOptions
        {
            Server = target,
            Message = "from the library",
            Log = clientLines.Add,
        }, deadline.Token);

        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);

        Assert.Equal("not today\n"u8.ToArray(), exchange.Reply);
        Assert.Equal(MessageEnd.Newline, exchange.End);
        string where = family switch { Families.IPv4 => $"127.0.0.1:{server.Port}", Families.IPv6 => $"[::1]:{server.Port}", _ => path };
        string host = family switch { Families.IPv4 => "127.0.0.1", Families.IPv6 => "::1", _ => path };
        Assert.Equal([$"CLIENT CONNECTED TO SERVER AT {where}", $"{host} said: not today"], clientLines);

        string listening = family switch { Families.IPv4 => $"0.0.0.0:{server.Port}", Families.IPv6 => $"[::]:{server.Port}", _ => path };
        string peer = family switch { Families.IPv4 => "127.0.0.1", Families.IPv6 => "::1", _ => "unnamed" };
        lock (serverLines)
        {
            Assert.Equal($"SERVER AT {listening} LISTENING FOR CONNECTIONS", serverLines[0]);
            Assert.Matches(@"^RECEIVED CONNECTION FROM (127\.0\.0\.1:\d+|\[::1\]:\d+|unnamed)$", serverLines[1]);
            Assert.Equal($"{peer} said: from the library", serverLines[2]);
            Assert.Equal("SERVER STOPPED", serverLines[^1]);
        }
    }
}
