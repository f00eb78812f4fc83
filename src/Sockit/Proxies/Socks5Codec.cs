using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sockit.Proxies;

/// <summary>SOCKS5 messages (RFC 1928) and username/password authentication (RFC 1929), both directions.</summary>
internal static class Socks5Codec
{
    public const byte Version = 5;
    public const byte NoAuthentication = 0x00;
    public const byte UserPassword = 0x02;
    public const byte NoAcceptableMethod = 0xFF;
    public const byte Connect = 0x01;
    public const byte AuthVersion = 0x01;

    public const byte Succeeded = 0x00;
    public const byte GeneralFailure = 0x01;
    public const byte NotAllowed = 0x02;
    public const byte NetworkUnreachable = 0x03;
    public const byte HostUnreachable = 0x04;
    public const byte ConnectionRefused = 0x05;
    public const byte TtlExpired = 0x06;
    public const byte CommandNotSupported = 0x07;
    public const byte AddressTypeNotSupported = 0x08;

    private const byte AtypIPv4 = 1, AtypDomain = 3, AtypIPv6 = 4;

    /// <summary>The client's greeting: version and the methods it offers (no authentication, and username/password when it has credentials).</summary>
    public static byte[] Greeting(bool withCredentials)
        => withCredentials ? [Version, 2, NoAuthentication, UserPassword] : [Version, 1, NoAuthentication];

    /// <summary>RFC 1929's request: version 1, then user and password each with a length byte.</summary>
    public static byte[] AuthRequest(ProxyCredentials credentials)
    {
        byte[] user = Encoding.UTF8.GetBytes(credentials.User), password = Encoding.UTF8.GetBytes(credentials.Password);
        if (user.Length is 0 or > 255 || password.Length > 255)
            throw new FormatException("SOCKS5 user name and password must each be 1-255 bytes (RFC 1929)");
        byte[] message = new byte[3 + user.Length + password.Length];
        message[0] = AuthVersion;
        message[1] = (byte)user.Length;
        user.CopyTo(message, 2);
        message[2 + user.Length] = (byte)password.Length;
        password.CopyTo(message, 3 + user.Length);
        return message;
    }

    /// <summary>A request (<paramref name="command"/>: CONNECT) or a reply (the REP code in the command's place) for <paramref name="target"/>.</summary>
    public static byte[] Message(byte command, ProxyTarget target)
    {
        byte[] address = AddressField(target.Host, out byte atyp);
        byte[] message = new byte[4 + address.Length + 2];
        message[0] = Version;
        message[1] = command;
        message[3] = atyp;
        address.CopyTo(message, 4);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4 + address.Length), (ushort)target.Port);
        return message;
    }

    /// <summary>A reply carrying <paramref name="bound"/> (the proxy's own end of the onward connection), or zeros.</summary>
    public static byte[] Reply(byte code, IPEndPoint? bound)
        => Message(code, new ProxyTarget((bound?.Address ?? IPAddress.Any).ToString(), bound?.Port ?? 0));

    private static byte[] AddressField(string host, out byte atyp)
    {
        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            atyp = address.AddressFamily == AddressFamily.InterNetworkV6 ? AtypIPv6 : AtypIPv4;
            return address.GetAddressBytes();
        }
        byte[] name = Encoding.ASCII.GetBytes(host);
        if (name.Length is 0 or > 255) throw new FormatException($"a SOCKS5 host name is 1-255 bytes: '{host}'");
        atyp = AtypDomain;
        return [(byte)name.Length, .. name];
    }

    /// <summary>
    /// Reads a request or reply: version, command (or REP), reserved, then the address and port. Unknown address types
    /// are an <see cref="InvalidDataException"/> whose <c>Data["code"]</c> is <see cref="AddressTypeNotSupported"/>.
    /// </summary>
    public static async ValueTask<(byte Command, ProxyTarget Target)> ReadMessageAsync(HandshakeReader reader, CancellationToken cancel)
    {
        ReadOnlyMemory<byte> head = await reader.ReadExactlyAsync(4, cancel).ConfigureAwait(false);
        byte version = head.Span[0], command = head.Span[1], atyp = head.Span[3];
        if (version != Version) throw new InvalidDataException($"SOCKS version {version} where 5 was expected");
        string host;
        switch (atyp)
        {
            case AtypIPv4:
                host = new IPAddress((await reader.ReadExactlyAsync(4, cancel).ConfigureAwait(false)).Span).ToString();
                break;
            case AtypIPv6:
                host = new IPAddress((await reader.ReadExactlyAsync(16, cancel).ConfigureAwait(false)).Span).ToString();
                break;
            case AtypDomain:
                int length = (await reader.ReadExactlyAsync(1, cancel).ConfigureAwait(false)).Span[0];
                host = Encoding.ASCII.GetString((await reader.ReadExactlyAsync(length, cancel).ConfigureAwait(false)).Span);
                if (length == 0) throw new InvalidDataException("an empty SOCKS5 host name");
                break;
            default:
                throw new InvalidDataException($"SOCKS5 address type {atyp} is not one of 1, 3, 4") { Data = { ["code"] = AddressTypeNotSupported } };
        }
        int port = BinaryPrimitives.ReadUInt16BigEndian((await reader.ReadExactlyAsync(2, cancel).ConfigureAwait(false)).Span);
        return (command, new ProxyTarget(host, port));
    }

    /// <summary>The methods a client's greeting offers.</summary>
    public static async ValueTask<byte[]> ReadGreetingAsync(HandshakeReader reader, CancellationToken cancel)
    {
        ReadOnlyMemory<byte> head = await reader.ReadExactlyAsync(2, cancel).ConfigureAwait(false);
        if (head.Span[0] != Version) throw new InvalidDataException($"SOCKS version {head.Span[0]} where 5 was expected");
        return (await reader.ReadExactlyAsync(head.Span[1], cancel).ConfigureAwait(false)).ToArray();
    }

    /// <summary>An RFC 1929 request, as the server reads it.</summary>
    public static async ValueTask<ProxyCredentials> ReadAuthRequestAsync(HandshakeReader reader, CancellationToken cancel)
    {
        ReadOnlyMemory<byte> head = await reader.ReadExactlyAsync(2, cancel).ConfigureAwait(false);
        if (head.Span[0] != AuthVersion) throw new InvalidDataException($"username/password version {head.Span[0]} where 1 was expected");
        string user = Encoding.UTF8.GetString((await reader.ReadExactlyAsync(head.Span[1], cancel).ConfigureAwait(false)).Span);
        int passwordLength = (await reader.ReadExactlyAsync(1, cancel).ConfigureAwait(false)).Span[0];
        string password = Encoding.UTF8.GetString((await reader.ReadExactlyAsync(passwordLength, cancel).ConfigureAwait(false)).Span);
        return new ProxyCredentials(user, password);
    }
}
