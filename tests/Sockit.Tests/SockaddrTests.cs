using System.Net;
using Sockit.Cli.Output;
using Sockit.Diagnostics;

namespace Sockit.Tests;

public sealed class SockaddrTests
{
    [Fact]
    public void SeedsExampleOnALittleEndianHost()
    {
        byte[] bytes = SockaddrLayout.Bytes(IPAddress.Parse("127.0.0.1"), 10001, littleEndianHost: true);
        Assert.Equal("02 00 27 11 7f 00 00 01 00 00 00 00 00 00 00 00", SockaddrText.Hex(bytes));
    }

    [Fact]
    public void OnABigEndianHostOnlyTheFamilyBytesMove()
    {
        byte[] bytes = SockaddrLayout.Bytes(IPAddress.Parse("127.0.0.1"), 10001, littleEndianHost: false);
        Assert.Equal("00 02 27 11 7f 00 00 01 00 00 00 00 00 00 00 00", SockaddrText.Hex(bytes));
    }

    [Fact]
    public void IPv6LoopbackPort80IsA28ByteSockaddrIn6()
    {
        byte[] bytes = SockaddrLayout.Bytes(IPAddress.IPv6Loopback, 80, littleEndianHost: true);
        Assert.Equal(28, bytes.Length);
        Assert.Equal("0a 00 00 50 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00", SockaddrText.Hex(bytes));
    }

    [Fact]
    public void ScopeIdIsInHostOrderAtTheEnd()
    {
        byte[] bytes = SockaddrLayout.Bytes(IPAddress.Parse("fe80::1%258"), 1, littleEndianHost: true);
        Assert.Equal("02 01 00 00", SockaddrText.Hex(bytes[24..]));
    }

    [Fact]
    public void FieldsHaveTheirCNamesAndOffsets()
    {
        var fields = SockaddrLayout.Fields(IPAddress.Loopback, 1, true);
        Assert.Equal(["sin_family", "sin_port", "sin_addr", "sin_zero"], fields.Select(f => f.Name));
        Assert.Equal([0, 2, 4, 8], fields.Select(f => f.Offset));
    }

    [Fact]
    public void TextExplainsHtonsAndInetAton()
    {
        string text = string.Join('\n', SockaddrText.Describe("127.0.0.1", IPAddress.Loopback, 10001, littleEndianHost: true));
        Assert.Contains("htons(10001): 10001 = 0x2711; in network byte order (most significant byte first) its bytes are 27 11.", text, StringComparison.Ordinal);
        Assert.Contains("sin_port holds 0x1127 (4391)", text, StringComparison.Ordinal);
        Assert.Contains("AF_INET = 2", text, StringComparison.Ordinal);
        Assert.Contains("inet_aton(\"127.0.0.1\"): s_addr = 0x7f000001 in network byte order, bytes 7f 00 00 01.", text, StringComparison.Ordinal);
        Assert.Contains("s_addr is 0x0100007f (16777343)", text, StringComparison.Ordinal);
        Assert.EndsWith("memory (16 bytes): 02 00 27 11 7f 00 00 01 00 00 00 00 00 00 00 00", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TextOnABigEndianHostSaysHtonsChangesNothing()
    {
        string text = string.Join('\n', SockaddrText.Describe("10.0.0.1", IPAddress.Parse("10.0.0.1"), 80, littleEndianHost: false));
        Assert.Contains("htons changes nothing", text, StringComparison.Ordinal);
        Assert.EndsWith("memory (16 bytes): 00 02 00 50 0a 00 00 01 00 00 00 00 00 00 00 00", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ShorthandIPv4IsShownAsInetAtonReadsIt()
    {
        string text = string.Join('\n', SockaddrText.Describe("127.1", IPAddress.Parse("127.1"), 0, true));
        Assert.Contains("inet_aton(\"127.1\") reads 127.0.0.1: s_addr = 0x7f000001", text, StringComparison.Ordinal);
    }

    [Fact]
    public void IPv6TextUsesInetPtonAndTheScope()
    {
        string text = string.Join('\n', SockaddrText.Describe("fe80::1%2", IPAddress.Parse("fe80::1%2"), 443, true));
        Assert.StartsWith("struct sockaddr_in6 for fe80::1%2 port 443: 28 bytes", text, StringComparison.Ordinal);
        Assert.Contains("inet_pton(AF_INET6, \"fe80::1\")", text, StringComparison.Ordinal);
        Assert.Contains("sin6_scope_id = 2", text, StringComparison.Ordinal);
    }
}
