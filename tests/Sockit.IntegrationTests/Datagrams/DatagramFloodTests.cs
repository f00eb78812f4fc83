using System.Globalization;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Datagrams;

/// <summary>
/// A UDP flood from a real process against <c>sockit serve --udp</c>: every datagram is answered or counted as
/// dropped (by the server's in-flight cap, or by a kernel socket buffer, read from /proc/net/udp), memory stays
/// bounded, and a fresh client is answered afterwards.
/// </summary>
public sealed partial class DatagramFloodTests
{
    private const int Sent = 20_000;
    private const int Size = 1000;
    // The server's peak resident memory may grow this much over its idle size during the flood.
    private const long RssGrowthBoundKiB = 64 * 1024;

    /// <summary>
    /// <c>python3 -c Flood PORT COUNT SIZE</c>: sends COUNT datagrams of SIZE bytes as fast as it can while a
    /// thread counts answers (into a 32 MiB receive buffer), then prints the tally with both sockets' kernel drop
    /// counters, then asks once more from a fresh socket.
    /// </summary>
    private const string Flood = """
        import socket, sys, threading
        port, count, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
        def drops(local_port):
            total = 0
            with open("/proc/net/udp") as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if int(fields[1].split(":")[1], 16) == local_port:
                        total += int(fields[12])
            return total
        c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            c.setsockopt(socket.SOL_SOCKET, 33, 32 << 20)  # SO_RCVBUFFORCE, as root
        except OSError:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)
        c.bind(("127.0.0.1", 0))
        mine = c.getsockname()[1]
        server_before, client_before = drops(port), drops(mine)
        answers = 0
        done = threading.Event()
        def receive():
            global answers
            c.settimeout(2.0)
            while True:
                try:
                    c.recvfrom(65536)
                    answers += 1
                except socket.timeout:
                    if done.is_set():
                        return
        t = threading.Thread(target=receive)
        t.start()
        payload = b"x" * (size - 1) + b"\n"
        for i in range(count):
            c.sendto(payload, ("127.0.0.1", port))
        done.set()
        t.join()
        print("SENT %d ANSWERED %d SERVER_SOCKET_DROPS %d CLIENT_SOCKET_DROPS %d" % (count, answers, drops(port) - server_before, drops(mine) - client_before), flush=True)
        f = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        f.settimeout(10)
        f.sendto(b"fresh\n", ("127.0.0.1", port))
        print("FRESH " + f.recvfrom(65536)[0].decode().rstrip("\n"), flush=True)
        """;

    [Fact]
    public async Task FloodIsAnsweredOrCountedAsDroppedAndServingGoesOn()
    {
        // IPv4 only, so both sockets' drop counters are in /proc/net/udp; one in flight, so the cap is surely met.
        await using var server = await ServerProcess.StartAsync("--udp", "--bind", "127.0.0.1", "--max-in-flight", "1");
        long idleRss = StatusKiB(server.Process.Id, "VmRSS");

        await using var flood = RunningProcess.Start(Peers.Python, "-c", Flood,
            server.Port.ToString(CultureInfo.InvariantCulture), Sent.ToString(CultureInfo.InvariantCulture), Size.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, await flood.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        long peakRss = StatusKiB(server.Process.Id, "VmHWM");
        Match tally = Tally().Match(flood.StdoutLines[0]);
        Assert.True(tally.Success, flood.StdoutLines[0]);
        Assert.StartsWith("FRESH I'm a grumpy server", flood.StdoutLines[1], StringComparison.Ordinal);

        server.Process.Signal(15);
        Assert.Equal(0, await server.Process.WaitForExitAsync());
        long dropped = server.Process.StdoutLines.Select(l => DroppedLine().Match(l)).Where(m => m.Success)
            .Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        int handled = server.Process.StdoutLines.Count(l => l.StartsWith("RECEIVED DATAGRAM FROM ", StringComparison.Ordinal));

        long answered = Number(tally, 1), serverSocketDrops = Number(tally, 2), clientSocketDrops = Number(tally, 3);
        string figures = $"answered {answered}, dropped by the server {dropped}, by its socket {serverSocketDrops}, by the client's {clientSocketDrops}";
        Assert.True(answered + dropped + serverSocketDrops + clientSocketDrops == Sent, figures);
        Assert.True(dropped > 0, figures);
        Assert.Equal(handled - 1, answered + clientSocketDrops); // every datagram handled was answered; one was the fresh one
        Assert.True(peakRss - idleRss < RssGrowthBoundKiB, $"peak RSS {peakRss} KiB over {idleRss} KiB idle");
    }

    private static long Number(Match tally, int group) => long.Parse(tally.Groups[group].Value, CultureInfo.InvariantCulture);

    private static long StatusKiB(int pid, string field)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^SENT \d+ ANSWERED (\d+) SERVER_SOCKET_DROPS (\d+) CLIENT_SOCKET_DROPS (\d+)$")]
    private static partial Regex Tally();

    [GeneratedRegex(@"^DROPPED (\d+) DATAGRAMS: \d+ ALREADY IN FLIGHT$")]
    private static partial Regex DroppedLine();
}
