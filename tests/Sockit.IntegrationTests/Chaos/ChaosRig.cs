using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Sockit.Connections;
using Sockit.Relay;
using Sockit.Endpoints;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Chaos;

/// <summary>What the chaos tests share: endpoints per family, faulty clients over real sockets, seeds, and one echo exchange.</summary>
internal static class ChaosRig
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>A fresh seed per run, or SOCKIT_CHAOS_SEED to replay a failing one.</summary>
    public static int Seed(int run)
        => int.TryParse(Environment.GetEnvironmentVariable("SOCKIT_CHAOS_SEED"), out int replay) ? replay + run : Random.Shared.Next();

    public static EndpointSpec Endpoint(string family, TempDir dir) => family switch
    {
        Families.IPv4 => EndpointSpec.Ip("127.0.0.1", 0),
        Families.IPv6 => EndpointSpec.Ip("::1", 0),
        _ => EndpointSpec.Unix(dir.File("chaos.sock")),
    };

    /// <summary>Connects to <paramref name="server"/> and wraps the connection in faults seeded by <paramref name="seed"/>.</summary>
    public static async Task<FaultyConnection> ConnectAsync(EndPoint server, int seed, long resetAfter = -1)
    {
        var socket = server is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server).WaitAsync(Wait);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new FaultyConnection(new SocketEnd(socket, SocketCalls.For(null)), seed, socket, resetAfter);
    }

    /// <summary>Random bytes of a random size up to <paramref name="most"/>.</summary>
    public static byte[] Payload(int seed, int most)
    {
        var random = new Random(seed);
        var bytes = new byte[random.Next(1, most + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// Writes <paramref name="payload"/> then half-closes, while reading until EOF; returns what came back and the
    /// failure that ended it (null for a clean end). Only connection failures are caught.
    /// </summary>
    public static async Task<(byte[] Received, Exception? Error)> ExchangeAsync(DuplexEnd client, byte[] payload)
    {
        using var deadline = new CancellationTokenSource(Wait);
        Task writing = Task.Run(async () =>
        {
            await client.WriteAsync(payload, deadline.Token);
            await client.CompleteWritesAsync();
        });
        var received = new MemoryStream();
        Exception? error = null;
        try
        {
            var buffer = new byte[8192];
            int n;
            while ((n = await client.ReadAsync(buffer, deadline.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            error = e;
        }
        try
        {
            await writing;
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            error ??= e;
        }
        return (received.ToArray(), error);
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static bool IsPrefix(byte[] prefix, byte[] of) => prefix.Length <= of.Length && of.AsSpan(0, prefix.Length).SequenceEqual(prefix);

    private static bool IsConnectionFailure(Exception e) => e is SocketException or ObjectDisposedException or IOException;
}
