using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Sockit.Endpoints;
using Sockit.Hosting;
using Sockit.Protocols.Echo;
using Sockit.Protocols.Grumpy;

namespace Sockit.Benchmarks;

/// <summary>
/// Whole exchanges against servers running in this process, so the allocation column counts the server's
/// bytes too (BenchmarkDotNet reads the process-wide allocation counter): one grumpy exchange (connect,
/// hello, reply, close) and one 64-byte echo round trip on a kept connection.
/// </summary>
[MemoryDiagnoser]
public class ExchangeBenchmarks
{
    private static readonly byte[] Hello = "Hello server, would you like to chat?\n"u8.ToArray();
    private readonly byte[] _ping = new byte[64];
    private readonly byte[] _reply = new byte[4096];
    private readonly CancellationTokenSource _stop = new();
    private GrumpyServer _grumpy = null!;
    private StreamHost _echo = null!;
    private Task _running = Task.CompletedTask;
    private Socket _echoClient = null!;

    [GlobalSetup]
    public void Setup()
    {
        _grumpy = GrumpyServer.Start(new GrumpyServerOptions { Endpoint = EndpointSpec.Ip("127.0.0.1", 0), Backlog = 128 });
        _echo = StreamHost.Start(new HostOptions { Endpoint = EndpointSpec.Ip("127.0.0.1", 0), Backlog = 128 }, EchoHandler.Create());
        _running = Task.WhenAll(_grumpy.RunAsync(_stop.Token), _echo.RunAsync(_stop.Token));
        _echoClient = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _echoClient.Connect(new IPEndPoint(IPAddress.Loopback, _echo.Port));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _echoClient.Shutdown(SocketShutdown.Send);
        _echoClient.Dispose();
        _stop.Cancel();
        _running.GetAwaiter().GetResult();
    }

    [Benchmark(Description = "grumpy exchange: connect, hello, reply, close")]
    public int GrumpyExchange()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(new IPEndPoint(IPAddress.Loopback, _grumpy.Port));
        client.Send(Hello);
        int total = 0, n;
        while ((n = client.Receive(_reply)) > 0) total += n;
        return total;
    }

    [Benchmark(Description = "echo round trip, 64 bytes")]
    public int EchoRoundTrip()
    {
        _echoClient.Send(_ping);
        int got = 0;
        while (got < _ping.Length) got += _echoClient.Receive(_reply, got, _ping.Length - got, SocketFlags.None);
        return got;
    }
}
