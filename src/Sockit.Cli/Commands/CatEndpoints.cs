using System.Net;
using System.Net.Sockets;
using Sockit.Endpoints;

namespace Sockit.Cli.Commands;

/// <summary>Where <c>sockit cat</c> / <c>sockit nc</c> connects or listens, and what it binds first, read from its positionals and flags.</summary>
/// <param name="Endpoint">The peer to connect to, or the address to listen on.</param>
/// <param name="Source">What a client binds before connecting (<c>-s</c>, <c>-p</c>), or null.</param>
/// <param name="PortDefaulted">True when no port was given and ncat's 31337 is used (<c>sockit nc</c> only).</param>
internal sealed record CatEndpoints(EndpointSpec Endpoint, EndpointSpec? Source, bool PortDefaulted)
{
    /// <summary>ncat's port when none is given (<c>ncat -l</c>, <c>ncat HOST</c>).</summary>
    public const int NcDefaultPort = 31337;

    /// <summary>What the user gave: the positionals and the flags that say where.</summary>
    internal sealed record Given(bool Nc, string[] Args, bool Listen, SocketType Type, IpFamily Family,
        string? UnixPath, bool UnixFlag, string? Source, string? Port, bool Numeric);

    public static CatEndpoints From(Given g)
    {
        if (g.UnixFlag && g.UnixPath is not null) throw new UserError("give the Unix socket path once: -U PATH (nc's way) or --unix PATH");
        if (g.UnixFlag && g.Family != IpFamily.Any) throw new UserError("-U cannot be combined with -4 or -6");
        if (g.UnixFlag || g.UnixPath is not null) return Unix(g);
        return g.Listen ? Listening(g) : Connecting(g);
    }

    /// <summary>The connect-mode host of <c>-z HOST PORT...</c>.</summary>
    public static string ScanHost(string text, bool numeric) => CheckNumeric(ValueParsers.Host(text, "Client"), text, numeric);

    /// <summary>
    /// nc's <c>-U [-l] PATH</c> (the path is the positional) or <c>--unix PATH</c>. With <c>-s PATH</c> a client
    /// binds its own socket to that path first (ncat's <c>-U --udp -s client.sock server.sock</c>).
    /// </summary>
    private static CatEndpoints Unix(Given g)
    {
        string usage = g.Nc ? "[Usage]: sockit nc -U [-l] PATH (with -U the positional is the socket path)" : "give either -U PATH or HOST PORT, not both";
        string path;
        if (g.UnixFlag)
            path = g.Args.Length == 1 ? EndpointOptions.CheckUnixPath(g.Args[0], "-U") : throw new UserError(usage);
        else
            path = g.Args.Length == 0 ? g.UnixPath! : throw new UserError(usage);
        if (g.Port is not null) throw new UserError("-p is a port; a Unix socket has none (-s PATH binds a client's own path)");
        EndpointSpec? source = null;
        if (g.Source is not null)
        {
            if (g.Listen) throw new UserError("with -l the listen path is the argument; -s PATH is a client's own path");
            source = EndpointSpec.Unix(EndpointOptions.CheckUnixPath(g.Source, "-s"), g.Type);
        }
        return new CatEndpoints(EndpointSpec.Unix(path, g.Type), source, PortDefaulted: false);
    }

    /// <summary><c>-l PORT</c>, <c>-l ADDR PORT</c>, <c>-l -p PORT</c>, <c>-l -s ADDR -p PORT</c>; nc also <c>-l</c> and <c>-l ADDR</c> (port 31337).</summary>
    private static CatEndpoints Listening(Given g)
    {
        string[] args = g.Args;
        if (args.Length > 0 && g.Port is not null && !(g.Nc && args.Length == 1 && !IsPortLike(args[0])))
            throw new UserError("give the listen port once: PORT or -p PORT");
        (string? host, string? port) = args.Length switch
        {
            2 => (args[0], args[1]),
            1 when g.Nc && !IsPortLike(args[0]) => (args[0], g.Port),
            1 => (g.Source, args[0]),
            _ => (g.Source, g.Port),
        };
        if (args.Length > 0 && host == args[0] && g.Source is not null) throw new UserError("give the listen address once: ADDR PORT or -s ADDR");
        if (port is null && !g.Nc) throw new UserError("[Usage]: -l needs a PORT (or -p PORT)");
        int number = port is null ? NcDefaultPort : ValueParsers.Port(port, "Server", allowZero: true);
        EndpointSpec endpoint = EndpointSpec.Ip(host is null ? null : ValueParsers.Address(host), number, g.Type, g.Family);
        return new CatEndpoints(endpoint, null, PortDefaulted: port is null);
    }

    private static CatEndpoints Connecting(Given g)
    {
        string[] args = g.Args;
        if (args.Length != 2 && !(g.Nc && args.Length == 1))
            throw new UserError("[Usage]: " + (g.Nc ? CatCommand.NcUsage : CatCommand.Usage));
        string host = CheckNumeric(ValueParsers.Host(args[0], "Client"), args[0], g.Numeric);
        int port = args.Length == 2 ? ValueParsers.Port(args[1], "Client", allowZero: false) : NcDefaultPort;
        EndpointSpec? source = g.Source is not null || g.Port is not null
            ? EndpointSpec.Ip(g.Source is null ? null : ValueParsers.Address(g.Source, "Client"),
                g.Port is null ? 0 : ValueParsers.Port(g.Port, "Client", allowZero: true), g.Type, g.Family)
            : null;
        return new CatEndpoints(EndpointSpec.Ip(host, port, g.Type, g.Family), source, PortDefaulted: args.Length == 1);
    }

    private static string CheckNumeric(string host, string given, bool numeric)
        => numeric && !IPAddress.TryParse(host, out _)
            ? throw new UserError($"[Client resolve error]: -n given and '{given}' is not a numeric address")
            : host;

    /// <summary>
    /// ncat reads a lone <c>-l</c> positional as the port when it is a number, else as the address. Anything
    /// that starts like a number and has no '.' or ':' is taken as a port (so <c>0x50</c> is a bad port, not
    /// the address 0.0.0.80).
    /// </summary>
    private static bool IsPortLike(string text)
        => text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+') && text.IndexOfAny(['.', ':']) < 0;
}
