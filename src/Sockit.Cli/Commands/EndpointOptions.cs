using System.CommandLine;
using System.Net.Sockets;
using Sockit.Endpoints;

namespace Sockit.Cli.Commands;

/// <summary>
/// The options that choose family and type, shared by every command that opens a socket:
/// <c>-4</c>, <c>-6</c>, <c>--unix PATH</c>. Each command gets its own instances.
/// </summary>
internal sealed class EndpointOptions
{
    public Option<bool> IPv4 { get; } = new("-4") { Description = "Use IPv4 (AF_INET) only" };
    public Option<bool> IPv6 { get; } = new("-6") { Description = "Use IPv6 (AF_INET6) only" };
    public Option<string?> Unix { get; } = new("--unix", "-U") { Description = "Use a Unix domain socket at PATH (@name for a Linux abstract name)", HelpName = "PATH" };

    public void AddTo(Command command)
    {
        command.Options.Add(IPv4);
        command.Options.Add(IPv6);
        command.Options.Add(Unix);
    }

    public IpFamily Family(ParseResult result)
    {
        bool v4 = result.GetValue(IPv4), v6 = result.GetValue(IPv6);
        if (v4 && v6) throw new UserError("-4 and -6 cannot be used together");
        return v4 ? IpFamily.IPv4 : v6 ? IpFamily.IPv6 : IpFamily.Any;
    }

    /// <summary>The Unix path when --unix was given; checks it is not mixed with IP-only settings.</summary>
    public string? UnixPath(ParseResult result)
    {
        string? path = result.GetValue(Unix);
        if (path is null) return null;
        if (path.Length == 0) throw new UserError("--unix needs a path");
        if (result.GetValue(IPv4) || result.GetValue(IPv6)) throw new UserError("--unix cannot be combined with -4 or -6");
        return path;
    }

    public static SocketType Type(bool udp) => udp ? SocketType.Dgram : SocketType.Stream;
}
