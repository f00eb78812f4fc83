using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Protocols.Echo;
using Sockit.Transports.Linux;

namespace Sockit.Tests;

/// <summary>The event loop names its peers from raw socket addresses exactly as <see cref="SocketNames"/> names endpoints, also when the remembered address changes.</summary>
public sealed class PeerNamesTests
{
    public static TheoryData<string[]> Sequences => new()
    {
        new[] { "127.0.0.1:40000", "127.0.0.1:40001", "127.0.0.1:65535", "127.0.0.1:0" },
        new[] { "127.0.0.1:40000", "10.1.2.3:40000", "127.0.0.1:40002" },
        new[] { "[::1]:5000", "[::1]:5001", "[2001:db8::7]:5001", "[::1]:1" },
        new[] { "[::ffff:127.0.0.1]:6000", "127.0.0.1:6001", "[::ffff:10.0.0.1]:6002", "[::ffff:127.0.0.1]:6003" },
        new[] { "[fe80::1%2]:7000", "[fe80::1%3]:7000", "[fe80::1]:7000" },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void NamesMatchTheEndpointNamesAcrossAChangingPeer(string[] peers)
    {
        var names = new PeerNames();
        var connection = new EchoConnection();
        foreach (string text in peers)
        {
            IPEndPoint peer = IPEndPoint.Parse(text);
            names.Name(connection, Sockaddr(peer));
            Assert.Equal(SocketNames.EndPoint(peer), connection.Name);
            Assert.Equal(SocketNames.Host(peer), connection.PeerHost);
        }
    }

    [Fact]
    public void AnAddressOfNoKnownFamilyIsUnnamed()
    {
        var connection = new EchoConnection();
        new PeerNames().Name(connection, [1, 0]); // AF_UNIX, unbound
        Assert.Equal("unnamed", connection.Name);
    }

    // The sockaddr_in / sockaddr_in6 bytes accept4 would fill in (Linux: the family in host order, the port in network order).
    private static byte[] Sockaddr(IPEndPoint peer)
    {
        SocketAddress address = peer.Serialize();
        Assert.Equal(peer.AddressFamily == AddressFamily.InterNetwork ? 2 : 10, BitConverter.ToUInt16(address.Buffer.Span));
        return address.Buffer[..address.Size].ToArray();
    }
}
