using System.Diagnostics;
using System.Net.Sockets;
using Sockit.Hosting;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocols.Echo;

namespace Sockit.IntegrationTests.Echo;

/// <summary>
/// The loop's bounded spin before <c>epoll_wait</c> (<see cref="HostOptions.BusyPoll"/>): the same bytes and lines with
/// it on and off, stop and timers as prompt while it spins, no CPU once the server is idle, and CPU spent (so the
/// knob does something) while a client answers within the budget. CPU is the loop thread's own, from
/// /proc/self/task/TID/stat, so tests running beside these do not count.
/// </summary>
public sealed partial class EchoEventLoopTests
{
    // Longer than any wait below: a spin that did not end at an event or a timer would show as a timeout.
    private static readonly TimeSpan LongSpin = TimeSpan.FromMinutes(1);

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task EventLoopEchoesAndLogsTheSameWithTheSpinOnAndOff(string ending)
    {
        if (!OperatingSystem.IsLinux()) return;
        (byte[] back, List<string> lines) off = await ExchangeAsync(ending, portable: false, busyPoll: TimeSpan.Zero);
        (byte[] back, List<string> lines) on = await ExchangeAsync(ending, portable: false, busyPoll: LongSpin);

        Assert.True(off.lines.Count >= 4, string.Join("\n", off.lines)); // listening, received, how it ended, stopped
        Assert.Equal(off.back, on.back);
        Assert.Equal(off.lines, on.lines);
    }

    [Fact]
    public async Task StopAndGraceEndPromptlyWhileTheLoopSpins()
    {
        if (!OperatingSystem.IsLinux()) return;
        var lines = new List<string>();
        var options = Options(portable: false, lines) with { BusyPoll = LongSpin, ShutdownGrace = TimeSpan.FromMilliseconds(500) };
        await using var host = StreamHost.Start(options, EchoHandler.Create(line => Add(lines, line)));
        using var stop = new CancellationTokenSource();
        Task serving = host.RunAsync(stop.Token);
        using Socket client = Connect(host.Port);
        await Task.Run(() => Echoes(client, "ping"u8)); // the loop did work: it now spins, for up to a minute
        var clock = Stopwatch.StartNew();
        await stop.CancelAsync();
        await Task.Run(() => Echoes(client, "in the grace"u8)); // an open connection is still served in the grace
        await serving.WaitAsync(TimeSpan.FromSeconds(15)); // the client never closes: the grace's end closes it

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(15));
        Assert.Equal(0, client.Receive(new byte[1]));
    }

    [Fact]
    public async Task IdleServerWithTheSpinOnUsesAlmostNoCpu()
    {
        if (!OperatingSystem.IsLinux()) return;
        // A budget 2,000 times the default: a spin that did not give up once it found nothing would burn the second measured.
        await using var host = StreamHost.Start(Options(portable: false, []) with { BusyPoll = TimeSpan.FromMilliseconds(100) }, EchoHandler.Create());
        using var stop = new CancellationTokenSource();
        Task serving = host.RunAsync(stop.Token);
        using Socket client = Connect(host.Port);
        await Task.Run(() => PingPongFor(client, TimeSpan.FromMilliseconds(300), pause: TimeSpan.Zero));
        await Task.Delay(300); // the last spin expires (100 ms); the connection stays open and idle
        TimeSpan idle = await LoopCpuOverAsync(host, TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);

        Assert.True(idle < TimeSpan.FromMilliseconds(100), $"the idle loop used {idle.TotalMilliseconds} ms of CPU in 1 s (bound: 100 ms)");
    }

    [Fact]
    public async Task SpinSpendsCpuWhileTheClientAnswersWithinTheBudget()
    {
        // The counter-check of the test above (its CPU figure moves) and of the knob: a client pausing 5 ms between
        // messages is caught by a 200 ms spin (room for late wake-ups on a loaded machine), which polls through every pause; with the spin off the loop sleeps.
        if (!OperatingSystem.IsLinux()) return;
        TimeSpan on = await CpuWhilePingingAsync(TimeSpan.FromMilliseconds(200));
        TimeSpan off = await CpuWhilePingingAsync(TimeSpan.Zero);

        Assert.True(on >= TimeSpan.FromMilliseconds(100), $"spin on: {on.TotalMilliseconds} ms of loop CPU in 1.5 s of 5 ms pauses (expected >= 100)");
        Assert.True(on > 3 * off, $"spin on: {on.TotalMilliseconds} ms; off: {off.TotalMilliseconds} ms");
    }

    private static async Task<TimeSpan> CpuWhilePingingAsync(TimeSpan busyPoll)
    {
        await using var host = StreamHost.Start(Options(portable: false, []) with { BusyPoll = busyPoll }, EchoHandler.Create());
        using var stop = new CancellationTokenSource();
        Task serving = host.RunAsync(stop.Token);
        using Socket client = Connect(host.Port);
        await Task.Run(() => Echoes(client, "warm-up"u8));
        Task<TimeSpan> cpu = LoopCpuOverAsync(host, TimeSpan.FromMilliseconds(1500));
        await Task.Run(() => PingPongFor(client, TimeSpan.FromMilliseconds(1600), pause: TimeSpan.FromMilliseconds(5)));
        TimeSpan used = await cpu;
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);
        return used;
    }

    private static void PingPongFor(Socket client, TimeSpan duration, TimeSpan pause)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            Echoes(client, "sixty-four bytes or so: the benchmark's ping-pong message, roughly"u8);
            if (pause > TimeSpan.Zero) Thread.Sleep(pause);
        }
    }

    private static void Echoes(Socket client, ReadOnlySpan<byte> message)
    {
        client.Send(message);
        Assert.Equal(message.ToArray(), ReadExactly(client, message.Length));
    }

    // The loop thread's user+system CPU over the next `interval`.
    private static async Task<TimeSpan> LoopCpuOverAsync(StreamHost host, TimeSpan interval)
    {
        int tid = host.LoopThreadId ?? throw new InvalidOperationException("the event loop is not running");
        TimeSpan before = ThreadCpu(tid);
        await Task.Delay(interval);
        return ThreadCpu(tid) - before;
    }

    private static TimeSpan ThreadCpu(int tid)
    {
        string stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
        string[] fields = ProcStat.FieldsAfterName(stat); // fields from the 3rd (state) on
        const int Hz = 100; // USER_HZ: the clock ticks /proc counts in, 100 on every Linux architecture .NET runs on
        return TimeSpan.FromSeconds((long.Parse(fields[11]) + long.Parse(fields[12])) / (double)Hz);
    }
}
