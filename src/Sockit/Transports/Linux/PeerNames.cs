using System.Net;
using System.Runtime.InteropServices;
using Sockit.Diagnostics;

namespace Sockit.Transports.Linux;

/// <summary>
/// Names an event loop's peers for its log from the raw socket address accept4 filled in, exactly as
/// <see cref="SocketNames.EndPoint"/> and <see cref="SocketNames.Host"/> name an <see cref="IPEndPoint"/>. It
/// remembers the last address's text: a server's clients come from few addresses, so the address is formatted once
/// and a connection costs one string (its <c>host:port</c>) rather than an endpoint, an address object and two
/// formatted strings each time (docs/benchmarks.md, "The grumpy server's log lines").
/// </summary>
internal sealed class PeerNames
{
    private const ushort Inet = 2, Inet6 = 10;

    private readonly byte[] _lastKey = new byte[24];
    private int _lastKeyLength; // 0: nothing remembered yet (a key is never empty)
    private string _host = "", _prefix = "";

    /// <summary>Sets <paramref name="c"/>'s <see cref="LoopConnection.Name"/> and <see cref="LoopConnection.PeerHost"/>.</summary>
    public void Name(LoopConnection c, ReadOnlySpan<byte> address)
    {
        ReadOnlySpan<byte> key = Key(address);
        if (key.IsEmpty)
        {
            EndPoint? peer = PeerOf(address);
            c.Name = SocketNames.EndPoint(peer);
            c.PeerHost = SocketNames.Host(peer);
            return;
        }
        if (!key.SequenceEqual(_lastKey.AsSpan(0, _lastKeyLength)))
        {
            EndPoint? peer = PeerOf(address);
            string name = SocketNames.EndPoint(peer);
            _host = SocketNames.Host(peer);
            _prefix = name[..(name.LastIndexOf(':') + 1)]; // "host:" or "[v6]:"
            key.CopyTo(_lastKey);
            _lastKeyLength = key.Length;
        }
        c.PeerHost = _host;
        c.Name = WithPort(_prefix, address[2] << 8 | address[3]);
    }

    // The peer a socket address names, or null when it is too short or of another family.
    private static EndPoint? PeerOf(ReadOnlySpan<byte> address)
    {
        if (address.Length < 4) return null;
        int port = address[2] << 8 | address[3];
        return MemoryMarshal.Read<ushort>(address) switch
        {
            Inet when address.Length >= 8 => new IPEndPoint(new IPAddress(address.Slice(4, 4)), port),
            Inet6 when address.Length >= 28 => new IPEndPoint(new IPAddress(address.Slice(8, 16), MemoryMarshal.Read<uint>(address[24..])), port),
            _ => null,
        };
    }

    // What names the host: the address bytes (IPv6: with its scope id), not the port; empty when unnamed. The
    // lengths differ (4 against 20), so the family need not be part of it.
    private static ReadOnlySpan<byte> Key(ReadOnlySpan<byte> address)
        => address.Length < 4 ? default : MemoryMarshal.Read<ushort>(address) switch
        {
            Inet when address.Length >= 8 => address.Slice(4, 4),
            Inet6 when address.Length >= 28 => address.Slice(8, 20),
            _ => default,
        };

    private static string WithPort(string prefix, int port)
    {
        Span<char> text = stackalloc char[prefix.Length + 5];
        prefix.CopyTo(text);
        port.TryFormat(text[prefix.Length..], out int written);
        return new string(text[..(prefix.Length + written)]);
    }
}
