using System.Net;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Names;

/// <summary>
/// <c>sockit resolve</c> against the system resolver, with Python's getaddrinfo/gethostbyaddr as the reference.
/// Only names from /etc/hosts (localhost, this machine's name): no DNS server is reachable.
/// </summary>
public sealed class ResolveTests
{
    [Fact]
    public async Task LocalhostListsEveryAddressGetaddrinfoGives()
    {
        await using var resolve = RunningProcess.Sockit("resolve", "localhost");
        Assert.Equal(0, await resolve.WaitForExitAsync());
        Assert.Contains("localhost has address 127.0.0.1", resolve.StdoutLines);
        foreach (IPAddress address in await PythonAddressesAsync("localhost"))
            Assert.Contains(Line("localhost", address), resolve.StdoutLines);
        Assert.Equal("", resolve.Stderr);
    }

    [Fact]
    public async Task ThisMachinesNameResolves()
    {
        string hostname = await PythonAsync("import socket; print(socket.gethostname())");
        await using var resolve = RunningProcess.Sockit("resolve", hostname);
        Assert.Equal(0, await resolve.WaitForExitAsync());
        // .NET adds the interface addresses for the machine's own name, so ours may list more than Python's.
        foreach (IPAddress address in await PythonAddressesAsync(hostname))
            Assert.Contains(resolve.StdoutLines, l => l.EndsWith(Line("", address), StringComparison.Ordinal));
    }

    [Fact]
    public async Task MinusFourKeepsOnlyIPv4()
    {
        await using var resolve = RunningProcess.Sockit("resolve", "-4", "localhost");
        Assert.Equal(0, await resolve.WaitForExitAsync());
        Assert.Contains("localhost has address 127.0.0.1", resolve.StdoutLines);
        Assert.DoesNotContain(resolve.StdoutLines, l => l.Contains("IPv6", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MinusSixKeepsOnlyIPv6OrSaysThereIsNone()
    {
        bool hasV6 = (await PythonAddressesAsync("localhost")).Any(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
        await using var resolve = RunningProcess.Sockit("resolve", "-6", "localhost");
        int exit = await resolve.WaitForExitAsync();
        if (hasV6)
        {
            Assert.Equal(0, exit);
            Assert.All(resolve.StdoutLines.Where(l => l.Contains(" has ", StringComparison.Ordinal)),
                l => Assert.Contains(" has IPv6 address ", l, StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(1, exit);
            Assert.Matches(@"^\[Resolve error\]: localhost \(IPv6\): .+\n$", resolve.Stderr);
        }
    }

    [Fact]
    public async Task AnAddressIsLookedUpInReverse()
    {
        string expected = await PythonAsync("import socket; print(socket.gethostbyaddr('127.0.0.1')[0])");
        await using var resolve = RunningProcess.Sockit("resolve", "127.0.0.1");
        Assert.Equal(0, await resolve.WaitForExitAsync());
        Assert.Equal([$"127.0.0.1 is {expected}"], resolve.StdoutLines);
    }

    [Fact]
    public async Task AnUnknownNameIsOneLineAndExitOne()
    {
        await using var resolve = RunningProcess.Sockit("resolve", "nosuch.invalid");
        Assert.Equal(1, await resolve.WaitForExitAsync());
        Assert.Matches(@"^\[Resolve error\]: nosuch\.invalid: .+\n$", resolve.Stderr);
        Assert.Empty(resolve.StdoutLines);
    }

    [Fact]
    public async Task TraceShowsGetaddrinfoAndGetnameinfo()
    {
        await using (var forward = RunningProcess.Sockit("resolve", "localhost", "--trace"))
        {
            Assert.Equal(0, await forward.WaitForExitAsync());
            Assert.Matches(@"^getaddrinfo\(""localhost"", AF_UNSPEC, AI_CANONNAME\) = ""[^""]+"": 127\.0\.0\.1.*\n$", forward.Stderr);
        }
        await using (var reverse = RunningProcess.Sockit("resolve", "127.0.0.1", "--trace"))
        {
            Assert.Equal(0, await reverse.WaitForExitAsync());
            Assert.Matches(@"^getnameinfo\(127\.0\.0\.1, NI_NAMEREQD\) = ""[^""]+""\n$", reverse.Stderr);
        }
        await using (var failed = RunningProcess.Sockit("resolve", "nosuch.invalid", "--trace"))
        {
            Assert.Equal(1, await failed.WaitForExitAsync());
            TraceLines.AssertInOrder(failed.Stderr,
                @"getaddrinfo\(""nosuch\.invalid"", AF_UNSPEC, AI_CANONNAME\) = EAI_\w+",
                @"\[Resolve error\]: nosuch\.invalid: .+");
        }
    }

    private static string Line(string name, IPAddress address)
        => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"{name} has IPv6 address {address}"
            : $"{name} has address {address}";

    private static async Task<IPAddress[]> PythonAddressesAsync(string name)
    {
        string output = await PythonAsync(
            "import socket, sys\n" +
            "for a in dict.fromkeys(i[4][0] for i in socket.getaddrinfo(sys.argv[1], None)): print(a)", name);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(IPAddress.Parse).ToArray();
    }

    private static async Task<string> PythonAsync(string script, params string[] arguments)
    {
        await using var python = RunningProcess.Start(Peers.Python, ["-c", script, .. arguments]);
        Assert.Equal(0, await python.WaitForExitAsync());
        return string.Join('\n', python.StdoutLines).Trim();
    }
}
