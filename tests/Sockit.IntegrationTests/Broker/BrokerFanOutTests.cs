using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Broker;

/// <summary>
/// <c>sockit nc -l --broker</c> with 50 real members at once (OpenBSD nc, ncat and Python, a third each): every
/// line each member sends reaches every other member, whole and in the order sent, and never comes back to it.
/// </summary>
/// <remarks>50 over IPv4; 9 over IPv6 and Unix, where the fan-out is the same code and 150 processes cost CI minutes.</remarks>
public sealed class BrokerFanOutTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int LinesEach = 3;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(Families.IPv4, 50)]
    [InlineData(Families.IPv6, 9)]
    [InlineData(Families.Unix, 9)]
    public async Task EveryLineReachesEveryOtherMemberInOrder(string family, int count)
    {
        await using BrokerProcess broker = await BrokerProcess.StartAsync(family, "--broker");
        var members = new List<RunningProcess>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            for (int i = 0; i < count; i++)
            {
                members.Add((i % 3) switch
                {
                    0 => RunningProcess.Start(Peers.Nc, broker.NcArgs),
                    1 => RunningProcess.Start(Peers.Ncat, broker.NcatArgs),
                    _ => RunningProcess.Start(Peers.Python, ["-c", PythonMember.Script, .. broker.PythonArgs]),
                });
            }
            // All have joined before anyone speaks: a member hears only what is said after it joined.
            await broker.WaitForConnectionsAsync(count, Bound);
            output.WriteLine($"joined {clock.Elapsed}");

            await Task.WhenAll(members.Select((member, i) => SayLinesAsync(member, i)));

            int expected = (count - 1) * LinesEach;
            output.WriteLine($"said {clock.Elapsed}");
            await Task.WhenAll(members.Select(m => m.WaitForLineCountAsync(expected, Bound)));
            output.WriteLine($"heard {clock.Elapsed}");
            for (int i = 0; i < count; i++)
            {
                IReadOnlyList<string> heard = members[i].StdoutLines;
                Assert.Equal(expected, heard.Count);
                Assert.DoesNotContain(heard, line => line.StartsWith(Tag(i), StringComparison.Ordinal));
                for (int other = 0; other < count; other++)
                {
                    if (other == i) continue;
                    string[] fromOther = [.. heard.Where(line => line.StartsWith(Tag(other), StringComparison.Ordinal))];
                    Assert.Equal(Enumerable.Range(0, LinesEach).Select(n => Line(other, n)), fromOther);
                }
            }
        }
        finally
        {
            await Task.WhenAll(members.Select(member => member.DisposeAsync().AsTask()));
            output.WriteLine($"disposed {clock.Elapsed}");
        }
    }

    private static async Task SayLinesAsync(RunningProcess member, int index)
    {
        for (int n = 0; n < LinesEach; n++)
        {
            await member.Input.WriteAsync(Line(index, n) + "\n");
            await member.Input.FlushAsync();
            await Task.Delay(30);
        }
    }

    private static string Tag(int member) => string.Create(CultureInfo.InvariantCulture, $"member {member:D2} ");

    private static string Line(int member, int n) => string.Create(CultureInfo.InvariantCulture, $"{Tag(member)}line {n} {new string((char)('a' + member % 26), 40)}");
}
