using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Names;

/// <summary><c>sockit addr</c> shows the struct a C program builds; the real bytes are checked by a C program.</summary>
public sealed class AddrTests
{
    [Fact]
    public async Task TheSeedsExampleShowsEveryField()
    {
        await using var addr = RunningProcess.Sockit("addr", "127.0.0.1", "10001");
        Assert.Equal(0, await addr.WaitForExitAsync());
        var lines = addr.StdoutLines;
        Assert.StartsWith("struct sockaddr_in for 127.0.0.1 port 10001: 16 bytes", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("sin_family  02 00", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("sin_port    27 11", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("sin_addr    7f 00 00 01", StringComparison.Ordinal));
        Assert.Equal("memory (16 bytes): 02 00 27 11 7f 00 00 01 00 00 00 00 00 00 00 00", lines[^1]);
    }

    [Theory]
    [InlineData("127.0.0.1", "10001")]
    [InlineData("192.168.1.20", "80")]
    [InlineData("::1", "80")]
    [InlineData("fe80::1%3", "443")]
    public async Task MemoryLineMatchesWhatCBuilds(string ip, string port)
    {
        using var dir = new TempDir();
        string program = await CompileSockaddrDumpAsync(dir);
        await using var c = RunningProcess.Start(program, ip, port);
        Assert.Equal(0, await c.WaitForExitAsync());
        await using var addr = RunningProcess.Sockit("addr", ip, port);
        Assert.Equal(0, await addr.WaitForExitAsync());
        Assert.Equal(c.StdoutLines[0], addr.StdoutLines[^1]);
    }

    [Theory]
    [InlineData("1.2.3.256", "80", "[Address error]: '1.2.3.256' is not an IPv4 or IPv6 address")]
    [InlineData("localhost", "80", "[Address error]: 'localhost' is not an IPv4 or IPv6 address")]
    [InlineData("127.0.0.1", "65536", "[Port error]: invalid port '65536': must be a number from 0 to 65535")]
    [InlineData("127.0.0.1", "http", "[Port error]: invalid port 'http': must be a number from 0 to 65535")]
    public async Task BadInputIsOneLine(string ip, string port, string error)
    {
        await using var addr = RunningProcess.Sockit("addr", ip, port);
        Assert.Equal(1, await addr.WaitForExitAsync());
        Assert.Equal(error + "\n", addr.Stderr);
        Assert.Empty(addr.StdoutLines);
    }

    /// <summary>A C program that fills the struct with getaddrinfo (numeric host) and prints its bytes.</summary>
    private static async Task<string> CompileSockaddrDumpAsync(TempDir dir)
    {
        const string source = """
            #include <netdb.h>
            #include <stdio.h>
            #include <string.h>
            int main(int argc, char **argv) {
                struct addrinfo hints, *res;
                memset(&hints, 0, sizeof hints);
                hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
                if (argc != 3 || getaddrinfo(argv[1], argv[2], &hints, &res) != 0) return 1;
                const unsigned char *p = (const unsigned char *)res->ai_addr;
                printf("memory (%u bytes):", (unsigned)res->ai_addrlen);
                for (socklen_t i = 0; i < res->ai_addrlen; i++) printf(" %02x", p[i]);
                printf("\n");
                freeaddrinfo(res);
                return 0;
            }
            """;
        string c = dir.File("sockaddr.c"), exe = dir.File("sockaddr");
        await File.WriteAllTextAsync(c, source);
        await using var gcc = RunningProcess.Start(Peers.Gcc, "-o", exe, c);
        Assert.True(await gcc.WaitForExitAsync() == 0, "gcc failed: " + gcc.Stderr);
        return exe;
    }
}
