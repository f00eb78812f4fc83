using System.Collections.Concurrent;
using System.Text;
using Sockit.Endpoints;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocols.Echo;
using Sockit.Protocols.Grumpy;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Chaos;

/// <summary>
/// The library's handlers (echo, grumpy, the relay pump) over real loopback connections with faults injected on
/// both sides: short reads, short writes, small delays and resets at random points. Nothing accepted may be
/// lost or duplicated; a reset delivers a prefix of what was sent; the server keeps serving. Each run prints
/// its seed on failure (replay with SOCKIT_CHAOS_SEED).
/// </summary>
public sealed class ChaosTests
{
    private const int CleanRuns = 8, ResetRuns = 6, MostBytes = 64 * 1024;

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task EchoReturnsEveryByteOnceThroughShortReadsWritesAndDelays(string family)
    {
        using var dir = new TempDir();
        await using var echo = FaultyEcho.Start(ChaosRig.Endpoint(family, dir));
        for (int run = 0; run < CleanRuns; run++)
        {
            int seed = ChaosRig.Seed(run);
            byte[] payload = ChaosRig.Payload(seed, MostBytes);
            await using FaultyConnection client = await ChaosRig.ConnectAsync(echo.Server.LocalEndPoint, seed);
            (byte[] received, Exception? error) = await ChaosRig.ExchangeAsync(client, payload);
            Assert.True(error is null, $"seed {seed}: {error}");
            Assert.True(ChaosRig.Sha256(payload) == ChaosRig.Sha256(received), $"seed {seed}: sent {payload.Length} bytes, got back {received.Length} that differ");
        }
        Assert.Empty(echo.Errors);
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task EchoResetMidStreamDeliversAPrefixAndServingGoesOn(string family)
    {
        using var dir = new TempDir();
        await using var echo = FaultyEcho.Start(ChaosRig.Endpoint(family, dir));
        for (int run = 0; run < ResetRuns; run++)
        {
            int seed = ChaosRig.Seed(run);
            byte[] payload = ChaosRig.Payload(seed, MostBytes);
            long resetAfter = new Random(seed).NextInt64(payload.Length);
            await using (FaultyConnection rude = await ChaosRig.ConnectAsync(echo.Server.LocalEndPoint, seed, resetAfter))
            {
                (byte[] received, Exception? error) = await ChaosRig.ExchangeAsync(rude, payload);
                Assert.True(error is not null && rude.WasReset, $"seed {seed}: the reset after {resetAfter} bytes did not happen");
                Assert.True(ChaosRig.IsPrefix(received, payload), $"seed {seed}: {received.Length} bytes back are not a prefix of what was sent");
            }

            byte[] next = ChaosRig.Payload(seed + 1, MostBytes);
            await using FaultyConnection polite = await ChaosRig.ConnectAsync(echo.Server.LocalEndPoint, seed + 1);
            (byte[] back, Exception? failed) = await ChaosRig.ExchangeAsync(polite, next);
            Assert.True(failed is null && ChaosRig.Sha256(back) == ChaosRig.Sha256(next), $"seed {seed}: the client after a reset was not served whole ({failed})");
        }
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task GrumpyServerHearsEachTrickledMessageOnceAndResetsCostOnlyThatClient(string family)
    {
        using var dir = new TempDir();
        var log = new ConcurrentQueue<string>();
        await using var server = GrumpyServer.Start(new GrumpyServerOptions { Endpoint = ChaosRig.Endpoint(family, dir), Log = log.Enqueue });
        using var stop = new CancellationTokenSource();
        Task running = server.RunAsync(stop.Token);
        byte[] reply = Encoding.ASCII.GetBytes(GrumpyText.Reply + "\n");

        var sent = new List<(int Seed, string Marker, string Text, bool Reset)>();
        for (int run = 0; run < CleanRuns + ResetRuns; run++)
        {
            int seed = ChaosRig.Seed(run);
            bool reset = run >= CleanRuns;
            string marker = $" said: run{run}-";
            string text = $"run{run}-" + Printable(seed, 3000);
            byte[] line = Encoding.ASCII.GetBytes(text + "\n");
            long resetAfter = reset ? new Random(seed).NextInt64(line.Length - 1) : -1;
            sent.Add((seed, marker, text, reset));
            await using FaultyConnection client = await ChaosRig.ConnectAsync(server.LocalEndPoint, seed, resetAfter);
            (byte[] received, Exception? error) = await ChaosRig.ExchangeAsync(client, line);
            if (reset)
                Assert.True(client.WasReset, $"seed {seed}: the reset after {resetAfter} bytes did not happen");
            else
                Assert.True(error is null && received.AsSpan().SequenceEqual(reply), $"seed {seed}: the reply was not whole ({error})");
        }
        await stop.CancelAsync();
        await running.WaitAsync(ChaosRig.Wait); // every exchange has ended and logged

        foreach ((int seed, string marker, string text, bool reset) in sent)
        {
            string[] heard = log.Where(l => l.Contains(marker, StringComparison.Ordinal)).ToArray();
            if (!reset)
            {
                Assert.True(heard.Length == 1 && heard[0].EndsWith(" said: " + text, StringComparison.Ordinal), $"seed {seed}: heard {heard.Length} lines, not the message once");
                continue;
            }
            // Whatever the server heard before the reset was the start of the message, heard at most once.
            Assert.True(heard.Length <= 1, $"seed {seed}: heard twice");
            foreach (string l in heard)
                Assert.True(text.StartsWith(l[(l.IndexOf(" said: ", StringComparison.Ordinal) + 7)..], StringComparison.Ordinal), $"seed {seed}: heard {l}");
        }
    }

    [Fact]
    public async Task RelayBetweenFaultyEndsCarriesEveryByteOnceBothWays()
    {
        using var dir = new TempDir();
        await using var backend = FaultyEcho.Start(ChaosRig.Endpoint(Families.IPv4, dir));
        var results = new ConcurrentQueue<RelayResult>();
        int relaySeed = ChaosRig.Seed(100);
        await using var front = StreamServer.Listen(EndpointSpec.Ip("127.0.0.1", 0));
        using var stop = new CancellationTokenSource();
        Task relaying = front.RunAsync(async (connection, abort) =>
        {
            int seed = Interlocked.Increment(ref relaySeed);
            await using FaultyConnection toBackend = await ChaosRig.ConnectAsync(backend.Server.LocalEndPoint, seed ^ 0x2a);
            results.Enqueue(await DuplexRelay.RunAsync(
                new FaultyConnection(connection, seed),
                toBackend,
                new RelayOptions { BufferSize = 4096 }, abort));
        }, stop.Token);

        for (int run = 0; run < CleanRuns; run++)
        {
            int seed = ChaosRig.Seed(run);
            byte[] payload = ChaosRig.Payload(seed, MostBytes);
            await using FaultyConnection client = await ChaosRig.ConnectAsync(front.LocalEndPoint, seed);
            (byte[] received, Exception? error) = await ChaosRig.ExchangeAsync(client, payload);
            Assert.True(error is null, $"seed {seed} (relay seeds from {relaySeed}): {error}");
            Assert.True(ChaosRig.Sha256(payload) == ChaosRig.Sha256(received), $"seed {seed}: sent {payload.Length} bytes, got back {received.Length} that differ");
        }
        await stop.CancelAsync();
        await relaying.WaitAsync(ChaosRig.Wait);
        Assert.Equal(CleanRuns, results.Count);
        Assert.All(results, r => Assert.Equal(RelayEndReason.BothEof, r.Reason));
        Assert.All(results, r => Assert.Equal(r.BytesAToB, r.BytesBToA));
    }

    private static string Printable(int seed, int most)
    {
        var random = new Random(~seed);
        var text = new char[random.Next(1, most + 1)];
        for (int i = 0; i < text.Length; i++) text[i] = (char)random.Next(0x20, 0x7f);
        return new string(text);
    }

    /// <summary>An echo server whose side of every connection is faulty too (short reads and writes, delays).</summary>
    private sealed class FaultyEcho : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;
        private int _seed = ChaosRig.Seed(1000);

        private FaultyEcho(StreamServer server)
        {
            Server = server;
            _running = server.RunAsync(async (connection, abort) =>
                await EchoHandler.RunAsync(new FaultyConnection(connection, Interlocked.Increment(ref _seed)), abort), _stop.Token);
        }

        public StreamServer Server { get; }

        public ConcurrentQueue<Exception> Errors { get; } = new();

        public static FaultyEcho Start(EndpointSpec endpoint)
        {
            FaultyEcho? echo = null;
            var server = StreamServer.Listen(endpoint, new StreamServerOptions { OnConnectionError = (_, e) => echo?.Errors.Enqueue(e) });
            echo = new FaultyEcho(server);
            return echo;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running.WaitAsync(ChaosRig.Wait);
            await Server.DisposeAsync();
            _stop.Dispose();
        }
    }
}
