using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Broker;

/// <summary><c>sockit nc -l --broker</c>'s listener settings: <c>-i</c> per member (never the whole server), TLS members.</summary>
public sealed class BrokerListenerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task IdleTimeoutClosesSilentMembersButNotTheBroker()
    {
        await using BrokerProcess broker = await BrokerProcess.StartAsync(Families.IPv4, "--broker", "-i", "2");
        using (var silent = await broker.ConnectAsync())
        {
            // Nothing moves either way: closed after about two seconds (ncat's -i would end the whole server).
            Assert.Equal("", await RawClient.ReadToEndAsync(silent, Bound));
        }
        await broker.Process.WaitForStderrLineAsync("Closed 127.0.0.1:", Bound);

        await using ChatClient first = await ChatClient.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, broker.Port));
        await using ChatClient second = await ChatClient.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, broker.Port));
        await broker.WaitForConnectionsAsync(3, Bound);
        // Lines every 300 ms keep both members busy (one sends, the other receives) for longer than -i. (With -i 1 it failed once on
        // a loaded machine, most likely a gap past the second that rightly closed the speaker: -i 2 leaves a margin.)
        for (int i = 0; i < 12; i++)
        {
            await first.SayAsync(string.Create(CultureInfo.InvariantCulture, $"line {i}\n"));
            await second.ExpectLinesAsync(1, Bound);
            await Task.Delay(300);
        }
        Assert.Equal(1, BrokerProcess.Occurrences(broker.Process.Stderr, "Closed "));
    }

    [Fact]
    public async Task TlsMembersHearEachOther()
    {
        await using BrokerProcess broker = await BrokerProcess.StartAsync(Families.IPv4, "--chat", "--ssl");
        string port = broker.Port.ToString(CultureInfo.InvariantCulture);
        await using var first = RunningProcess.Start(Peers.Ncat, "--ssl", "127.0.0.1", port);
        await first.WaitForLineAsync(l => l.StartsWith("<announce> already connected: nobody", StringComparison.Ordinal), Bound);
        await using var second = RunningProcess.Start(Peers.Ncat, "--ssl", "127.0.0.1", port);
        await first.WaitForLineAsync("<announce> already connected: 127.0.0.1 as <user4>.", Bound);
        await second.Input.WriteAsync("over tls\n");
        await second.Input.FlushAsync();
        await first.WaitForLineAsync("<user5> over tls", Bound);
    }
}
