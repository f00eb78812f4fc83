using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Grumpy;

/// <summary><c>sockit serve</c> over IPv4, IPv6 and Unix sockets: the seed's lines, real peers, concurrency.</summary>
public sealed class ServeFamiliesTests
{
    internal const string Reply = "I'm a grumpy server, don't connect, I don't want no friends!";
    internal const string Hello = "Hello server, would you like to chat?";

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ServerPrintsTheSeedLinesForAnNcClient(string family)
    {
        await using var server = await Families.ServeAsync(family);
        Assert.Equal($"SERVER AT {server.ListeningAt} LISTENING FOR CONNECTIONS", server.Server.ListeningLine);

        await using var nc = RunningProcess.Start(Peers.Nc, server.NcArgs);
        await nc.Input.WriteAsync("Hello from nc\n");
        nc.Input.Close();

        Assert.Equal(0, await nc.WaitForExitAsync());
        Assert.Equal([Reply], nc.StdoutLines);
        string received = await server.Process.WaitForLineAsync(l => l.StartsWith("RECEIVED CONNECTION FROM ", StringComparison.Ordinal));
        Assert.Matches($"^RECEIVED CONNECTION FROM {server.PeerPattern}$", received);
        await server.Process.WaitForLineAsync($"{server.PeerHost} said: Hello from nc");
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ServerAnswersAPython3Client(string family)
    {
        await using var server = await Families.ServeAsync(family);
        string script = $$"""
            import socket, sys
            s = {{server.PythonConnect}}
            s.sendall(b"Hello from python\n")
            {{PythonSnippets.PrintUntilClosed}}
            """;
        await using var python = RunningProcess.Start(Peers.Python, "-c", script);
        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal([Reply], python.StdoutLines);
        await server.Process.WaitForLineAsync($"{server.PeerHost} said: Hello from python");
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task SockitClientTalksToSockitServer(string family)
    {
        await using var server = await Families.ServeAsync(family);
        await using var client = RunningProcess.Sockit(server.ConnectArgs());

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal([$"CLIENT CONNECTED TO SERVER AT {server.ClientSees}", $"{server.ClientHost} said: {Reply}"], client.StdoutLines);
        Assert.Equal("", client.Stderr);
        await server.Process.WaitForLineAsync($"{server.PeerHost} said: {Hello}");
    }

    [Fact]
    public async Task ServerAnswersTheSeedsOwnCClient()
    {
        // IPv4 only: the seed's C client is AF_INET and parses its address with inet_aton (dotted-quad only).
        string client = await SeedPrograms.ClientAsync();
        await using var server = await ServerProcess.StartAsync();

        await using var seedClient = RunningProcess.Start(client, "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, await seedClient.WaitForExitAsync());

        var output = seedClient.StdoutLines;
        Assert.Equal($"CLIENT CONNECTED TO SERVER AT 127.0.0.1:{server.Port}", output[0]);
        // The seed's client prints its buffer without terminating it; the reply itself must be there whole.
        Assert.StartsWith($"127.0.0.1 said: {Reply}", output[1], StringComparison.Ordinal);
        await server.Process.WaitForLineAsync($"127.0.0.1 said: {Hello}");
    }

    [Fact]
    public async Task DefaultServerIsDualStackAndShowsIPv4ClientsPlainly()
    {
        // No -4/-6: one [::] socket with IPV6_V6ONLY off, announced as the seed's 0.0.0.0.
        await using var server = await ServerProcess.StartAsync();
        Assert.Equal($"SERVER AT 0.0.0.0:{server.Port} LISTENING FOR CONNECTIONS", server.ListeningLine);
        string port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var v4 = RunningProcess.Sockit("connect", "127.0.0.1", port, "-m", "over ipv4");
        Assert.Equal(0, await v4.WaitForExitAsync());
        await using var v6 = RunningProcess.Sockit("connect", "::1", port, "-m", "over ipv6");
        Assert.Equal(0, await v6.WaitForExitAsync());

        await server.Process.WaitForLineAsync("127.0.0.1 said: over ipv4");
        await server.Process.WaitForLineAsync("::1 said: over ipv6");
        var lines = server.Process.StdoutLines;
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^RECEIVED CONNECTION FROM 127\.0\.0\.1:\d+$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^RECEIVED CONNECTION FROM \[::1\]:\d+$"));
        Assert.DoesNotContain(lines, l => l.Contains("::ffff:", StringComparison.Ordinal));
        Assert.Equal($"[::1]:{port}", v6.StdoutLines[0]["CLIENT CONNECTED TO SERVER AT ".Length..]);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "[::1]")]
    public async Task ServerBoundToOneAddressNamesIt(string bind, string shown)
    {
        await using var server = await ServerProcess.StartAsync("--bind", bind);
        Assert.Equal($"SERVER AT {shown}:{server.Port} LISTENING FOR CONNECTIONS", server.ListeningLine);
        await using var client = RunningProcess.Sockit("connect", bind, server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, await client.WaitForExitAsync());
        await server.Process.WaitForLineAsync($"{bind} said: {Hello}");
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task SilentClientDoesNotDelayAnother(string family)
    {
        await using var server = await Families.ServeAsync(family, "--timeout", "120s");
        using Socket silent = await server.ConnectRawAsync();
        await server.Process.WaitForLineAsync(l => l.StartsWith("RECEIVED CONNECTION FROM ", StringComparison.Ordinal));

        var clock = Stopwatch.StartNew();
        await using var client = RunningProcess.Sockit(server.ConnectArgs());
        Assert.Equal(0, await client.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the client took {clock.Elapsed}");
        Assert.Equal($"{server.ClientHost} said: {Reply}", client.StdoutLines[^1]);
        // The silent client is still waiting: nothing was said on its behalf.
        Assert.Single(server.Process.StdoutLines, l => l.EndsWith(" said: " + Hello, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Process.StdoutLines, l => l.StartsWith("TIMED OUT", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task LinesOfConcurrentClientsNeverInterleave(string family)
    {
        const int clients = 20;
        // A full backlog makes a non-blocking Unix connect fail with EAGAIN at once (TCP would resend its SYN),
        // so the seed's backlog of 5 is raised here to let 20 clients queue up together.
        await using var server = await Families.ServeAsync(family, "--backlog", "64");
        // Long distinct messages make a torn line likely if writes were not whole-line.
        string Message(int i) => $"client-{i:00}-" + new string((char)('a' + i), 2000);

        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < clients; i++) sockets.Add(await server.ConnectRawAsync());
            var exchanges = sockets.Select(async (socket, i) =>
            {
                await RawClient.SendAsync(socket, Message(i) + "\n");
                return await RawClient.ReadToEndAsync(socket);
            }).ToArray();
            foreach (string reply in await Task.WhenAll(exchanges)) Assert.Equal(Reply + "\n", reply);
        }
        finally
        {
            foreach (Socket socket in sockets) socket.Dispose();
        }

        for (int i = 0; i < clients; i++) await server.Process.WaitForLineAsync($"{server.PeerHost} said: {Message(i)}");
        var expected = new Regex($"^(SERVER AT .* LISTENING FOR CONNECTIONS|RECEIVED CONNECTION FROM {server.PeerPattern}|{Regex.Escape(server.PeerHost)} said: client-\\d\\d-([a-z])\\2{{1999}})$");
        var lines = server.Process.StdoutLines;
        Assert.All(lines, l => Assert.Matches(expected, l));
        Assert.Equal(1 + 2 * clients, lines.Count);
    }
}
