using BenchmarkDotNet.Attributes;
using Sockit.Protocols.Grumpy;

namespace Sockit.Benchmarks;

/// <summary>
/// The grumpy server's read path: one hello line read whole by <see cref="MessageReader"/> from a real
/// loopback socket. The point is the bytes allocated per message (the idle-timeout token, the async state).
/// </summary>
[MemoryDiagnoser]
public class MessageReaderBenchmarks
{
    private static readonly byte[] Hello = "Hello server, would you like to chat?\n"u8.ToArray();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private LoopbackPair _pair = null!;

    [GlobalSetup]
    public void Setup() => _pair = LoopbackPair.Open();

    [GlobalCleanup]
    public void Cleanup() => _pair.Dispose();

    [Benchmark(Description = "MessageReader.ReadAsync, hello line already arrived")]
    public async Task<int> ReadHelloLine()
    {
        _pair.Client.Send(Hello);
        MessageRead read = await MessageReader.ReadAsync(_pair.Server, _buffer, TimeSpan.FromSeconds(30), CancellationToken.None);
        return read.Length;
    }

    [Benchmark(Description = "zero-byte wait + armed read (the server's path)")]
    public async Task<int> WaitThenReadHelloLine()
    {
        _pair.Client.Send(Hello);
        using var idle = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await MessageReader.WaitForDataAsync(_pair.Server, idle.Token, CancellationToken.None);
        MessageRead read = await MessageReader.ReadArmedAsync(_pair.Server, _buffer, idle.Token, CancellationToken.None);
        return read.Length;
    }
}
