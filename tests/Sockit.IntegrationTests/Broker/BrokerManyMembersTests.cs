using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Sockit.IntegrationTests.Broker;

/// <summary>
/// Many broker members at once, past select()'s FD_SETSIZE (1,024) at full size: each says one line at the same
/// moment and hears everyone else's. CI runs 300; <c>SOCKIT_BROKER_FULL=1</c> runs the 2,000
/// (bench/broker-full.sh). Also <c>--max-conns</c>: one client past it is closed at once with a <c>-v</c> line.
/// </summary>
public sealed class BrokerManyMembersTests(ITestOutputHelper output)
{
    private static bool Full => Environment.GetEnvironmentVariable("SOCKIT_BROKER_FULL") == "1";

    [Fact]
    public async Task EveryMemberHearsEveryOtherAtOnce()
    {
        int members = Full ? 2000 : 300;
        TimeSpan bound = TimeSpan.FromSeconds(Full ? 900 : 180);
        await using BrokerProcess broker = await BrokerProcess.StartAsync(Families.IPv4, "--broker", "--max-conns", members.ToString(CultureInfo.InvariantCulture));
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < members; i++) sockets.Add(await broker.ConnectAsync());
            await broker.WaitForConnectionsAsync(members, bound);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var deadline = new CancellationTokenSource(bound);
            Task<string[]>[] hearing = [.. sockets.Select(s => Task.Run(() => ReadLinesAsync(s, members - 1, deadline.Token)))];
            await Task.WhenAll(sockets.Select((s, i) => s.SendAsync(Encoding.ASCII.GetBytes(Line(i) + "\n"), SocketFlags.None, deadline.Token).AsTask()));
            string[][] heard = await Task.WhenAll(hearing);
            output.WriteLine($"{members} members: each heard the other {members - 1} in {clock.Elapsed.TotalSeconds:0.0} s");

            for (int i = 0; i < members; i++)
                Assert.Equal(Enumerable.Range(0, members).Where(j => j != i).Select(Line), heard[i].Order(StringComparer.Ordinal));

            // One more than --max-conns is accepted and closed at once.
            using Socket extra = await broker.ConnectAsync();
            Assert.Equal("", await RawClient.ReadToEndAsync(extra, bound));
            await broker.Process.WaitForStderrLineAsync("Connection from 127.0.0.1:", bound);
            await broker.Process.WaitForStderrAsync(e => e.Contains($"refused: --max-conns {members} reached", StringComparison.Ordinal), bound);
        }
        finally
        {
            foreach (Socket s in sockets) s.Dispose();
        }
    }

    private static string Line(int member) => string.Create(CultureInfo.InvariantCulture, $"member {member:D4}");

    private static async Task<string[]> ReadLinesAsync(Socket socket, int count, CancellationToken cancel)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[16 * 1024];
        int lines = 0;
        while (lines < count)
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel);
            if (n == 0) throw new Xunit.Sdk.XunitException($"EOF after {lines} of {count} lines");
            lines += buffer.AsSpan(0, n).Count((byte)'\n');
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        return text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
