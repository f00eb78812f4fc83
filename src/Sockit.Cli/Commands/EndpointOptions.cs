using System.CommandLine;
using System.Net.Sockets;
using Sockit.Endpoints;

namespace Sockit.Cli.Commands;

/// <summary>
/// The options that choose family and type, shared by every command that opens a socket:
/// <c>-4</c>, <c>-6</c>, <c>--unix PATH</c>. Each command gets its own instances.
/// </summary>
/// <param name="unixShortAlias">
/// False for <c>sockit nc</c>, where <c>-U</c> is nc's flag (the positional is the path), not <c>-U PATH</c>.
/// </param>
internal sealed class EndpointOptions(bool unixShortAlias = true)
{
    private const string UnixDescription = "Use a Unix domain socket at PATH (@name for a Linux abstract name)";

    public Option<bool> IPv4 { get; } = new("-4") { Description = "Use IPv4 (AF_INET) only" };
    public Option<bool> IPv6 { get; } = new("-6") { Description = "Use IPv6 (AF_INET6) only" };
    public Option<string?> Unix { get; } = unixShortAlias
        ? new("--unix", "-U") { Description = UnixDescription, HelpName = "PATH" }
        : new("--unix") { Description = UnixDescription, HelpName = "PATH" };

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
        if (result.GetValue(IPv4) || result.GetValue(IPv6)) throw new UserError("--unix cannot be combined with -4 or -6");
        return CheckUnixPath(path, "--unix");
    }

    /// <summary>A Unix socket path that fits in sun_path; checked before anything is bound.</summary>
    public static string CheckUnixPath(string path, string option)
    {
        if (path.Length == 0) throw new UserError($"{option} needs a path");
        try
        {
            EndpointSpec.UnixEndPoint(path);
        }
        catch (FormatException e)
        {
            throw new UserError($"[Unix path error]: {e.Message}");
        }
        return path;
    }

    public static SocketType Type(bool udp) => udp ? SocketType.Dgram : SocketType.Stream;
}
