using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sockit.Proxies;

/// <summary>SOCKS4 and its 4a extension (the proxy resolves a name sent after the user id), both directions.</summary>
internal static class Socks4Codec
{
    public const byte Version = 4;
    public const byte Connect = 1;
    public const byte Granted = 0x5A;
    public const byte Rejected = 0x5B;

    /// <summary>A CONNECT request: an IPv4 literal is sent as SOCKS4, a name as SOCKS4a (address 0.0.0.1, name after the user id).</summary>
    public static byte[] Request(ProxyTarget target, string userId)
    {
        byte[] user = Encoding.UTF8.GetBytes(userId);
        byte[] name = [];
        Span<byte> address = stackalloc byte[4];
        if (target.Address is { } ip)
        {
            if (ip.AddressFamily != AddressFamily.InterNetwork)
                throw new FormatException($"SOCKS4 carries IPv4 addresses only, not {ip}");
            ip.TryWriteBytes(address, out _);
        }
        else
        {
            address[3] = 1;
            name = [.. Encoding.ASCII.GetBytes(target.Host), 0];
        }
        byte[] message = new byte[8 + user.Length + 1 + name.Length];
        message[0] = Version;
        message[1] = Connect;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)target.Port);
        address.CopyTo(message.AsSpan(4));
        user.CopyTo(message, 8);
        name.CopyTo(message, 9 + user.Length);
        return message;
    }

    /// <summary>The 8-byte reply: version 0, the code, then port and address (ignored by clients).</summary>
    public static byte[] Reply(byte code) => [0, code, 0, 0, 0, 0, 0, 0];

    /// <summary>A request as the server reads it, after the version byte has been checked: command, target, user id.</summary>
    public static async ValueTask<(byte Command, ProxyTarget Target, string UserId)> ReadRequestAsync(HandshakeReader reader, CancellationToken cancel)
    {
        ReadOnlyMemory<byte> head = await reader.ReadExactlyAsync(8, cancel).ConfigureAwait(false);
        if (head.Span[0] != Version) throw new InvalidDataException($"SOCKS version {head.Span[0]} where 4 was expected");
        byte command = head.Span[1];
        int port = BinaryPrimitives.ReadUInt16BigEndian(head.Span[2..]);
        var address = new IPAddress(head.Span[4..8]);
        bool socks4a = head.Span[4] == 0 && head.Span[5] == 0 && head.Span[6] == 0 && head.Span[7] != 0;
        string userId = Encoding.UTF8.GetString((await reader.ReadToNulAsync(255, cancel).ConfigureAwait(false)).Span);
        string host = socks4a
            ? Encoding.ASCII.GetString((await reader.ReadToNulAsync(255, cancel).ConfigureAwait(false)).Span)
            : address.ToString();
        if (host.Length == 0) throw new InvalidDataException("an empty SOCKS4a host name");
        return (command, new ProxyTarget(host, port), userId);
    }

    /// <summary>The reply's code, as the client reads it.</summary>
    public static async ValueTask<byte> ReadReplyAsync(HandshakeReader reader, CancellationToken cancel)
    {
        ReadOnlyMemory<byte> reply = await reader.ReadExactlyAsync(8, cancel).ConfigureAwait(false);
        // The protocol says version 0; some servers echo 4. Anything else is not a SOCKS4 proxy.
        if (reply.Span[0] is not (0 or 4)) throw new InvalidDataException($"a SOCKS4 reply of version {reply.Span[0]}");
        return reply.Span[1];
    }
}
