using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Sockit.Endpoints;
using Sockit.Hosting;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocols.Echo;
using Sockit.Relay;

namespace Sockit.IntegrationTests.Relay;

/// <summary>The library's relay host, through public API alone: a listener whose clients are relayed to far ends.</summary>
public sealed class RelayListenerTests
{
    private const int Payload = 64 * 1024 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ClientOfEachFamilyIsRelayedToTcpWholeAndHalfClosedBothWays(string family)
    {
        using var dir = new TempDir();
        string path = dir.File("relay.sock");
        using var stop = new CancellationTokenSource();
        await using var echo = StreamHost.Start(new HostOptions { Endpoint = EndpointSpec.Ip("127.0.0.1", 0) }, EchoHandler.Create());
        Task echoing = echo.RunAsync(stop.Token);
        EndpointSpec listen = family switch
        {
            Families.IPv4 => EndpointSpec.Ip("127.0.0.1", 0),
            Families.IPv6 => EndpointSpec.Ip("::1", 0, family: IpFamily.IPv6),
            _ => EndpointSpec.Unix(path),
        };
        var lines = new List<string>();
        await using var relay = RelayListener.Start(
            new HostOptions { Endpoint = listen, Log = l => { lock (lines) lines.Add(l); } }, new RelayListenerOptions(),
            RelayListener.ConnectTo(EndpointSpec.Ip("127.0.0.1", echo.Port)));
        Task relaying = relay.RunAsync(stop.Token);

        EndPoint target = family == Families.Unix ? new UnixDomainSocketEndPoint(path) : relay.LocalEndPoint;
        using var client = new Socket(target.AddressFamily, SocketType.Stream, family == Families.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        await client.ConnectAsync(target);
        (byte[] sentHash, byte[] receivedHash, long received) = await ExchangeAsync(client).WaitAsync(Bound);
        await stop.CancelAsync();
        await Task.WhenAll(relaying, echoing).WaitAsync(Bound);

        Assert.Equal(Payload, received);
        Assert.Equal(sentHash, receivedHash);
        lock (lines) Assert.Contains(lines, l => l.EndsWith("ended: both directions closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FarEndThatCannotBeMadeClosesThatClientWithOneErrorLine()
    {
        var errors = new List<string>();
        using var stop = new CancellationTokenSource();
        await using var relay = RelayListener.Start(
            new HostOptions { Endpoint = EndpointSpec.Ip("127.0.0.1", 0) },
            new RelayListenerOptions { FarName = "nowhere", Errors = l => { lock (errors) errors.Add(l); } },
            (_, _) => throw new SocketException((int)SocketError.ConnectionRefused));
        Task relaying = relay.RunAsync(stop.Token);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(relay.LocalEndPoint);
        int n = await client.ReceiveAsync(new byte[16]).WaitAsync(Bound);
        await stop.CancelAsync();
        await relaying.WaitAsync(Bound);

        Assert.Equal(0, n);
        lock (errors) Assert.Equal([$"[Relay connect error]: Connection refused (nowhere); client {client.LocalEndPoint} closed"], errors);
    }

    // Sends Payload random bytes and half-closes while reading everything back; hashes both sides.
    private static async Task<(byte[], byte[], long)> ExchangeAsync(Socket client)
    {
        using var sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Task send = Task.Run(async () =>
        {
            byte[] chunk = new byte[256 * 1024];
            for (int sent = 0; sent < Payload; sent += chunk.Length)
            {
                Random.Shared.NextBytes(chunk);
                sentHash.AppendData(chunk);
                await client.SendAsync(chunk);
            }
            client.Shutdown(SocketShutdown.Send);
        });
        using var receivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[256 * 1024];
        long received = 0;
        int n;
        while ((n = await client.ReceiveAsync(buffer)) > 0)
        {
            receivedHash.AppendData(buffer, 0, n);
            received += n;
        }
        await send;
        return (sentHash.GetHashAndReset(), receivedHash.GetHashAndReset(), received);
    }
}
