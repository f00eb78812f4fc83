using System.Globalization;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Sockit.IntegrationTests.Broker;

/// <summary>
/// A chat with one member that never reads while another sends a stream of lines: the silent one is dropped with a
/// <c>-v</c> line, every other member receives every line, and the broker's memory stays bounded (its peak RSS
/// is printed). CI runs 100 members and 20 MiB; <c>SOCKIT_BROKER_FULL=1</c> runs the 1,000 and 200 MiB
/// (bench/broker-full.sh; the figure is in docs/reliability.md).
/// </summary>
public sealed class BrokerSlowMemberTests(ITestOutputHelper output)
{
    private const int LineLength = 1024;
    private static bool Full => Environment.GetEnvironmentVariable("SOCKIT_BROKER_FULL") == "1";

    [Fact]
    public async Task SilentMemberIsDroppedAndTheOthersHearEveryLineInBoundedMemory()
    {
        int members = Full ? 1000 : 100;
        long bytes = (Full ? 200L : 20L) * 1024 * 1024;
        TimeSpan bound = TimeSpan.FromSeconds(Full ? 3600 : 300);
        long lines = bytes / LineLength;

        await using BrokerProcess broker = await BrokerProcess.StartAsync(Families.IPv4, "--chat", "--max-conns", (members + 10).ToString(CultureInfo.InvariantCulture));
        var sockets = new List<Socket>();
        try
        {
            // The speaker joins first (ncat's <user4> on 127.0.0.1), the silent member second.
            for (int i = 0; i < members; i++) sockets.Add(await broker.ConnectAsync());
            await broker.WaitForConnectionsAsync(members, bound);
            using var deadline = new CancellationTokenSource(bound);
            Task<long>[] hearing = [.. sockets.Skip(2).Select(s => Task.Run(() => LineTally.CountAsync(s, "<user4> ", LineLength, lines, deadline.Token)))];

            var clock = System.Diagnostics.Stopwatch.StartNew();
            byte[] line = [.. Enumerable.Repeat((byte)'x', LineLength - 1), (byte)'\n'];
            byte[] block = [.. Enumerable.Range(0, 64).SelectMany(_ => line)];
            for (long sent = 0; sent < bytes; sent += block.Length) await sockets[0].SendAsync(block, SocketFlags.None, deadline.Token);
            long[] heard = await Task.WhenAll(hearing);
            TimeSpan took = clock.Elapsed;

            Assert.All(heard, n => Assert.Equal(lines, n));
            await broker.Process.WaitForStderrLineAsync("Dropped 127.0.0.1:", bound);
            Assert.Equal(1, BrokerProcess.Occurrences(broker.Process.Stderr, "Dropped "));
            long peakKiB = PeakRssKiB(broker.Process.Id);
            output.WriteLine($"{members} members, {bytes >> 20} MiB sent as {lines} lines in {took.TotalSeconds:0.0} s; broker peak RSS {peakKiB / 1024.0:0.0} MiB");
            // 1 MiB of queue per member is the most it may hold for members that read; the runtime itself is ~60 MiB.
            Assert.True(peakKiB < 100 * 1024 + members * 1024L / 4, $"broker peak RSS {peakKiB} KiB");
        }
        finally
        {
            foreach (Socket s in sockets) s.Dispose();
        }
    }

    private static long PeakRssKiB(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
