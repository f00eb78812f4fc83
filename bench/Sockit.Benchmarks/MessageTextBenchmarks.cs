using BenchmarkDotNet.Attributes;
using Sockit.Protocols.Grumpy;

namespace Sockit.Benchmarks;

/// <summary><see cref="MessageText.ForLog"/>: the one log line the server makes of every message.</summary>
[MemoryDiagnoser]
public class MessageTextBenchmarks
{
    private static readonly byte[] Hello = "Hello server, would you like to chat?\n"u8.ToArray();
    private static readonly byte[] Binary = Enumerable.Range(0, 64).Select(i => (byte)(i * 37)).ToArray();
    private static readonly byte[] Utf8 = "Grüß dich, Server! Möchtest du plaudern? 你好\n"u8.ToArray();

    [Benchmark(Baseline = true, Description = "ASCII hello line")]
    public string AsciiLine() => MessageText.ForLog(Hello);

    [Benchmark(Description = "UTF-8 line")]
    public string Utf8Line() => MessageText.ForLog(Utf8);

    [Benchmark(Description = "64 binary bytes")]
    public string BinaryBytes() => MessageText.ForLog(Binary);
}
