using System.Net.Sockets;
using Sockit.Endpoints;

namespace Sockit.Addresses;

/// <summary>
/// One address, parsed and checked: what kind it is, where (host and port, a path, an argv or a shell
/// command), and its options. Immutable; <see cref="ToString"/> gives the canonical text, which parses back
/// to an equal spec.
/// </summary>
public sealed record AddressSpec
{
    /// <summary>What the address is.</summary>
    public required AddressKind Kind { get; init; }

    /// <summary>tcp/udp: the host to reach; listeners: the address to listen on, <c>null</c> for every address.</summary>
    public string? Host { get; init; }

    /// <summary>tcp/udp and listeners: the port (0 for a listener: the kernel chooses).</summary>
    public int Port { get; init; }

    /// <summary>unix, unix-listen, file: the path (<c>@name</c>: a Linux abstract socket).</summary>
    public string? Path { get; init; }

    /// <summary>exec: the program and its arguments (split on whitespace; a backslash escapes; no shell).</summary>
    public IReadOnlyList<string>? Argv { get; init; }

    /// <summary>sh: the command for <c>/bin/sh -c</c>.</summary>
    public string? Command { get; init; }

    /// <summary>The options after the commas.</summary>
    public AddressOptions Options { get; init; } = AddressOptions.None;

    /// <summary>True for the kinds that accept clients (tcp-listen, udp-listen, unix-listen).</summary>
    public bool IsListener => Kind is AddressKind.TcpListen or AddressKind.UdpListen or AddressKind.UnixListen or AddressKind.TlsListen;

    /// <summary>Parses <paramref name="text"/> (see <see cref="AddressParser.Parse"/>).</summary>
    /// <exception cref="AddressException">The address is not valid; the message is one line naming the bad part.</exception>
    public static AddressSpec Parse(string text) => AddressParser.Parse(text);

    /// <summary>The socket endpoint of a tcp, tls, udp or unix address (listening or not); <c>null</c> for the others.</summary>
    public EndpointSpec? ToEndpoint() => Kind switch
    {
        AddressKind.Tcp or AddressKind.TcpListen or AddressKind.Tls or AddressKind.TlsListen => EndpointSpec.Ip(Host ?? Options.Bind, Port, SocketType.Stream, Options.Family),
        AddressKind.Udp or AddressKind.UdpListen => EndpointSpec.Ip(Host ?? Options.Bind, Port, SocketType.Dgram, Options.Family),
        AddressKind.Unix or AddressKind.UnixListen => EndpointSpec.Unix(Path!),
        _ => null,
    };

    /// <summary>The canonical text: lowercase keyword, parameters escaped as needed, options in a fixed order.</summary>
    public override string ToString() => AddressFormatter.Format(this);

    /// <summary>Equal kind, parameters (argv compared word by word) and options.</summary>
    public bool Equals(AddressSpec? other) => other is not null && Kind == other.Kind && Host == other.Host && Port == other.Port
        && Path == other.Path && Command == other.Command && Options == other.Options
        && (Argv is null ? other.Argv is null : other.Argv is not null && Argv.SequenceEqual(other.Argv));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Host, Port, Path, Command, Options, Argv?.Count);
}
