using System.Text;
using CsCheck;
using Sockit.Proxies;

namespace Sockit.Tests;

/// <summary>The proxy messages: what one side encodes the other parses back, whatever pieces the bytes arrive in.</summary>
public sealed class ProxyCodecTests
{
    private static readonly Gen<string> Host = Gen.OneOf(
        Gen.OneOf("example.org", "127.0.0.1", "::1", "10.0.0.255", "2001:db8::7", "localhost"),
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-."], 1, 60]);

    private static readonly Gen<int> Port = Gen.Int[1, 65535];

    private static readonly Gen<int[]> Pieces = Gen.Int[1, 7].Array[0, 5];

    private static HandshakeReader Reader(byte[] bytes, int[] pieces) => new(new ChunkedConnection(bytes, pieces));

    /// <summary>Nothing read is lost: what the reader took beyond <paramref name="used"/> bytes is exactly its leftover.</summary>
    private static bool KeepsTheRest(HandshakeReader reader, ChunkedConnection connection, byte[] bytes, int used)
        => reader.Leftover.Span.SequenceEqual(bytes.AsSpan(used, connection.Consumed - used));

    [Fact]
    public void Socks5RequestParsesBackToItsTargetAndKeepsWhatFollows()
    {
        Gen.Select(Host, Port, Pieces).Sample((host, port, pieces) =>
        {
            var target = new ProxyTarget(host, port);
            byte[] message = Socks5Codec.Message(Socks5Codec.Connect, target);
            byte[] bytes = [.. message, .. "after"u8];
            var connection = new ChunkedConnection(bytes, pieces);
            var reader = new HandshakeReader(connection);
            (byte command, ProxyTarget parsed) = Socks5Codec.ReadMessageAsync(reader, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return command == Socks5Codec.Connect && parsed.Port == port
                && string.Equals(parsed.Host, target.Address?.ToString() ?? host, StringComparison.Ordinal)
                && KeepsTheRest(reader, connection, bytes, message.Length);
        });
    }

    [Fact]
    public void Socks4RequestCarriesAnIPv4AddressOrA4aNameAndTheUserId()
    {
        Gen.Select(Gen.OneOf(Gen.Const("192.0.2.9"), Gen.String[Gen.Char['a', 'z'], 1, 40]), Port, Gen.String[Gen.Char['a', 'z'], 0, 20], Pieces).Sample((host, port, user, pieces) =>
        {
            byte[] message = Socks4Codec.Request(new ProxyTarget(host, port), user);
            byte[] bytes = [.. message, 0x42];
            var connection = new ChunkedConnection(bytes, pieces);
            var reader = new HandshakeReader(connection);
            (byte command, ProxyTarget parsed, string userId) = Socks4Codec.ReadRequestAsync(reader, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return command == Socks4Codec.Connect && parsed == new ProxyTarget(host, port) && userId == user && KeepsTheRest(reader, connection, bytes, message.Length);
        });
    }

    [Fact]
    public void Socks4RefusesAnIPv6Destination()
        => Assert.Throws<FormatException>(() => Socks4Codec.Request(new ProxyTarget("::1", 80), ""));

    [Fact]
    public void ArbitraryBytesNeverCrashTheSocks5Parser()
    {
        Gen.Byte.Array[0, 40].Sample(bytes =>
        {
            try
            {
                Socks5Codec.ReadMessageAsync(Reader(bytes, []), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
            }
        });
    }

    [Fact]
    public void AnUnknownSocks5AddressTypeCarriesReplyCode8()
    {
        var e = Assert.Throws<InvalidDataException>(() => Socks5Codec.ReadMessageAsync(Reader([5, 1, 0, 9, 1, 2], []), CancellationToken.None).AsTask().GetAwaiter().GetResult());
        Assert.Equal(Socks5Codec.AddressTypeNotSupported, e.Data["code"]);
    }

    [Fact]
    public void Rfc1929RequestParsesBack()
    {
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 50], Gen.String[Gen.Char.AlphaNumeric, 0, 50], Pieces).Sample((user, password, pieces) =>
        {
            var credentials = new ProxyCredentials(user, password);
            ProxyCredentials parsed = Socks5Codec.ReadAuthRequestAsync(Reader(Socks5Codec.AuthRequest(credentials), pieces), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return parsed == credentials;
        });
    }

    [Fact]
    public void HttpConnectRequestHasTheAuthorityFormAndBasicCredentials()
    {
        string text = Encoding.ASCII.GetString(HttpConnectCodec.Request(new ProxyTarget("::1", 443), new ProxyCredentials("me", "a:b")));
        Assert.Equal("CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\nProxy-Authorization: Basic bWU6YTpi\r\n\r\n", text);
        HttpProxyRequest request = HttpConnectCodec.ParseRequest(Encoding.ASCII.GetBytes(text.TrimEnd('\r', '\n')));
        Assert.Equal("CONNECT", request.Method);
        Assert.Equal(new ProxyTarget("::1", 443), HttpConnectCodec.ParseAuthority(request.Target));
        Assert.True(HttpConnectCodec.Matches(request.Authorization, new ProxyCredentials("me", "a:b")));
        Assert.False(HttpConnectCodec.Matches(request.Authorization, new ProxyCredentials("me", "a")));
    }

    [Theory]
    [InlineData("example.org:80", "example.org", 80)]
    [InlineData("10.0.0.1:65535", "10.0.0.1", 65535)]
    [InlineData("[2001:db8::1]:22", "2001:db8::1", 22)]
    [InlineData("example.org", null, 0)]
    [InlineData("example.org:0", null, 0)]
    [InlineData("example.org:99999", null, 0)]
    [InlineData("::1:80", null, 0)]
    [InlineData(":80", null, 0)]
    [InlineData("http://example.org/", null, 0)]
    public void ConnectAuthorityIsHostColonPort(string text, string? host, int port)
        => Assert.Equal(host is null ? null : new ProxyTarget(host, port), HttpConnectCodec.ParseAuthority(text));

    [Theory]
    [InlineData("HTTP/1.1 200 Connection established", 200, "Connection established")]
    [InlineData("HTTP/1.0 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic", 407, "Proxy Authentication Required")]
    [InlineData("HTTP/1.1 502", 502, "")]
    public void StatusLineGivesCodeAndReason(string headers, int status, string reason)
        => Assert.Equal((status, reason), HttpConnectCodec.ParseStatus(Encoding.ASCII.GetBytes(headers)));

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.6")]
    [InlineData("HTTP/1.1 20x OK")]
    [InlineData("")]
    public void AnythingButAStatusLineIsNotHttp(string headers)
        => Assert.Throws<InvalidDataException>(() => HttpConnectCodec.ParseStatus(Encoding.ASCII.GetBytes(headers)));

    [Fact]
    public void HeadersPastTheLimitAreRefusedNotBuffered()
    {
        byte[] endless = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\n" + new string('x', 40_000));
        var reader = new HandshakeReader(new ChunkedConnection(endless, [1000]));
        Assert.Throws<InvalidDataException>(() => reader.ReadHeadersAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult());
    }

    [Fact]
    public void BytesAfterTheHeadersStayForTheCaller()
    {
        Pieces.Sample(pieces =>
        {
            byte[] bytes = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nX: y\r\n\r\nhello\n");
            var connection = new ChunkedConnection(bytes, pieces);
            var reader = new HandshakeReader(connection);
            ReadOnlyMemory<byte> headers = reader.ReadHeadersAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return Encoding.ASCII.GetString(headers.Span) == "HTTP/1.1 200 OK\r\nX: y" && KeepsTheRest(reader, connection, bytes, bytes.Length - "hello\n".Length);
        });
    }

    [Theory]
    [InlineData("me:secret", "me", "secret")]
    [InlineData("me:se:cret", "me", "se:cret")]
    [InlineData("me", "me", "")]
    [InlineData("me:", "me", "")]
    public void CredentialsSplitAtTheFirstColon(string text, string user, string password)
        => Assert.Equal(new ProxyCredentials(user, password), ProxyCredentials.Parse(text));

    [Fact]
    public void CredentialsNeedAUser() => Assert.Throws<FormatException>(() => ProxyCredentials.Parse(":secret"));
}
