using System.Net;
using System.Net.Sockets;
using Sockit.Endpoints;
using Sockit.Hosting;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocols.Echo;

namespace Sockit.IntegrationTests.Echo;

/// <summary>A protocol is a handler plus its settings: echo hosted by the generic <see cref="StreamHost"/>, in process.</summary>
public sealed class EchoHostingTests
{
    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task EchoHandlerRunsInTheGenericHost(string family)
    {
        using var dir = new TempDir();
        string path = dir.File("echo.sock");
        EndpointSpec listen = family switch
        {
            Families.IPv4 => EndpointSpec.Ip("127.0.0.1", 0),
            Families.IPv6 => EndpointSpec.Ip("::1", 0, family: IpFamily.IPv6),
            _ => EndpointSpec.Unix(path),
        };
        var lines = new List<string>();
        void Log(string line) { lock (lines) lines.Add(line); }
        using var stop = new CancellationTokenSource();
        await using var host = StreamHost.Start(new HostOptions { Endpoint = listen, Log = Log }, EchoHandler.Create(Log));
        Task serving = host.RunAsync(stop.Token);

        EndPoint target = family == Families.Unix ? new UnixDomainSocketEndPoint(path) : host.LocalEndPoint;
        using var client = new Socket(target.AddressFamily, SocketType.Stream, family == Families.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        await client.ConnectAsync(target);
        byte[] payload = new byte[100_000];
        Random.Shared.NextBytes(payload);
        await client.SendAsync(payload);
        client.Shutdown(SocketShutdown.Send);
        var back = new MemoryStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = await client.ReceiveAsync(buffer).WaitAsync(RunningProcess.DefaultWait)) > 0) back.Write(buffer, 0, n);
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);

        Assert.Equal(payload, back.ToArray());
        lock (lines)
        {
            Assert.Equal($"SERVER AT {host.DisplayName} LISTENING FOR CONNECTIONS", lines[0]);
            Assert.StartsWith("RECEIVED CONNECTION FROM ", lines[1], StringComparison.Ordinal);
            Assert.StartsWith($"ECHOED {payload.Length} BYTES TO ", lines[2], StringComparison.Ordinal);
            Assert.Equal("SERVER STOPPED", lines[^1]);
        }
    }
}
