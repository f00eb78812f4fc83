using System.CommandLine;
using System.Net.Sockets;
using Sockit.Cli.Relay;
using Sockit.Cli.Tls;
using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Cli.Commands;

/// <summary>The flags of <c>sockit cat</c> (and of <c>sockit nc</c>, which adds nc's spellings).</summary>
internal sealed class CatOptions(bool nc)
{
    private readonly EndpointOptions _endpoint = new(unixShortAlias: !nc);
    private readonly Option<bool> _unixFlag = new("-U", "--unixsock") { Description = "Unix domain socket: the positional is its PATH (nc and ncat's -U)" };
    private readonly ExecFlags _exec = new();
    private readonly BrokerFlags _broker = new();
    private readonly Option<bool> _listen = new("--listen", "-l") { Description = "Listen for a connection instead of making one" };
    private readonly Option<bool> _keepOpen = new("--keep-open", "-k") { Description = "With -l: accept many clients; stdin goes to all of them" };
    private readonly Option<bool> _udp = new("--udp", "-u") { Description = "UDP datagrams instead of a TCP stream" };
    private readonly Option<string?> _wait = new("--wait", "-w") { Description = "Connect timeout", HelpName = "SECS" };
    private readonly Option<string?> _idle = new("--idle-timeout", "-i") { Description = "End when nothing moves either way for this long", HelpName = "SECS" };
    private readonly Option<string?> _quit = new("--quit-after", "-q") { Description = "End this long after stdin's EOF, even if the peer is still sending", HelpName = "SECS" };
    private readonly Option<bool> _verbose = new("--verbose", "-v") { Description = "Who connected, bytes each way and why it ended, on stderr" };
    private readonly Option<bool> _sendOnly = new("--send-only") { Description = "Only send stdin; ignore what arrives, end at stdin's EOF" };
    private readonly Option<bool> _recvOnly = new("--recv-only") { Description = "Only receive; never read stdin" };
    private readonly Option<bool> _crlf = new("--crlf", "-C") { Description = "Send line endings as CRLF" };
    private readonly Option<string?> _source = new("--source", "-s") { Description = "Local address to bind (with -l: the address to listen on)", HelpName = "ADDR" };
    private readonly Option<string?> _port = new("--source-port", "-p") { Description = "Local port to bind (with -l and no PORT: the port to listen on)", HelpName = "PORT" };
    private readonly Option<bool> _numeric = new("--numeric", "-n", "--nodns") { Description = "No DNS: HOST must be an IP address" };
    private readonly Option<bool> _noShutdown = new("--no-shutdown") { Description = "At stdin's EOF keep the send side open (no shutdown(SHUT_WR))" };
    private readonly Option<int> _maxConns = new("--max-conns", "-m") { Description = "With -k: most clients at once", DefaultValueFactory = _ => 100, HelpName = "N" };
    private readonly Option<string> _sendQueue = new("--send-queue") { Description = "With -k: most stdin bytes waiting for one client; a client further behind is dropped", DefaultValueFactory = _ => "1MiB", HelpName = "SIZE" };
    private readonly Option<string> _buffer = new("--buffer") { Description = "Copy buffer per direction", DefaultValueFactory = _ => "64KiB", HelpName = "SIZE" };
    private readonly Option<bool> _trace = TraceOption.Create();
    private readonly Option<bool> _shutdownOnEof = new("-N") { Description = "Shut down the send side at stdin's EOF (the default; accepted for nc)" };
    private readonly Option<bool> _scan = new("-z") { Description = "Zero-I/O: only report whether each PORT accepts a connection (HOST PORT...; 80, 20-30)" };
    private readonly Option<string?> _hexDump = new("--hex-dump", "-x") { Description = "Hex dump of every byte sent and received to FILE, '-' for stderr (ncat's -x)", HelpName = "FILE" };
    private readonly Option<bool> _sha256 = new("--sha256") { Description = "At the end, print the SHA-256 of the bytes sent and of those received on stderr" };
    private readonly Option<string?> _expectSha256 = new("--expect-sha256") { Description = "Exit 1 with one line if what was received does not have this SHA-256", HelpName = "HEX" };
    private readonly Option<bool> _noProgress = new("--no-progress") { Description = "No progress meter (shown only on a terminal, when stdin or stdout is a file)" };
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Write every byte sent and received, in order, to FILE (ncat's -o)", HelpName = "FILE" };

    private readonly TlsOptions _tls = new();
    private readonly ProxyOptions _proxy = new(nc);
    private readonly AccessOptions _access = new();

    public void AddTo(Command command)
    {
        _endpoint.AddTo(command);
        _tls.AddTo(command);
        _proxy.AddTo(command);
        _access.AddTo(command);
        foreach (Option option in new Option[] { _listen, _keepOpen, _udp, _wait, _idle, _quit, _verbose, _sendOnly, _recvOnly, _crlf,
                     _source, _port, _numeric, _noShutdown, _maxConns, _sendQueue, _buffer, _output, _hexDump, _sha256, _expectSha256, _noProgress, _trace })
            command.Options.Add(option);
        _exec.AddTo(command);
        _broker.AddTo(command);
        if (nc)
            foreach (Option option in new Option[] { _shutdownOnEof, _scan, _unixFlag })
                command.Options.Add(option);
    }

    public CatSettings Settings(ParseResult r, string[] args)
    {
        bool listen = r.GetValue(_listen), keepOpen = r.GetValue(_keepOpen), udp = r.GetValue(_udp);
        if (keepOpen && !listen) throw new UserError("-k needs -l (keep listening for more clients)");
        if (keepOpen && udp) throw new UserError("-k is for stream listeners; a UDP listener already answers every peer");
        if (r.GetValue(_sendOnly) && r.GetValue(_recvOnly)) throw new UserError("--send-only and --recv-only cannot be used together");
        TlsSettings? tls = _tls.Settings(r);
        if (tls is not null && udp) throw new UserError("--ssl is for streams (TCP or Unix); DTLS over UDP is not supported");
        if (r.GetValue(_maxConns) < 1) throw new UserError("invalid --max-conns: must be at least 1");
        IpFamily family = _endpoint.Family(r);
        string? unix = _endpoint.UnixPath(r);
        bool unixFlag = nc && r.GetValue(_unixFlag);
        string? source = r.GetValue(_source), portText = r.GetValue(_port);
        bool numeric = r.GetValue(_numeric);
        bool scan = nc && r.GetValue(_scan);
        IReadOnlyList<int>? scanPorts = scan ? ZeroIoScan.Ports(args, listen, udp, unix is not null || unixFlag, source is not null || portText is not null) : null;
        if (!scan && args.Length > 2) throw new UserError("[Usage]: " + (nc ? CatCommand.NcUsage : CatCommand.Usage));
        string? hexDump = r.GetValue(_hexDump);
        if (hexDump is not null && !_proxy.OpenBsdStyle(r) && LooksLikeProxy(hexDump))
            throw new UserError($"[Usage]: -x is a hex dump FILE here (ncat), not OpenBSD nc's proxy; '{hexDump}' looks like HOST:PORT (write ./{hexDump} for a file of that name; for a proxy add -X 5, -X 4 or -X connect, or use --proxy)");
        string? expectSha256 = r.GetValue(_expectSha256);
        if (expectSha256 is not null && (expectSha256.Length != 64 || !expectSha256.All(char.IsAsciiHexDigit)))
            throw new UserError($"invalid --expect-sha256 '{expectSha256}': give the 64 hex digits of a SHA-256");

        string? accessRefusal = !listen || scan ? "--allow/--deny are for listeners (-l): they choose which clients are served"
            : unix is not null || unixFlag ? Sockit.Access.AccessPolicy.UnixRefusal : null;
        Sockit.Access.AccessPolicyBuilder? accessLists = _access.Plan(r, accessRefusal);

        CatEndpoints where = scanPorts is not null
            ? new CatEndpoints(EndpointSpec.Ip(CatEndpoints.ScanHost(args[0], numeric), scanPorts[0], SocketType.Stream, family), null, false)
            : CatEndpoints.From(new CatEndpoints.Given(nc, args, listen, EndpointOptions.Type(udp), family, unix, unixFlag, source, portText, numeric));

        return _proxy.Apply(r, _broker.Apply(r, _exec.Apply(r, new CatSettings
        {
            Endpoint = where.Endpoint,
            PortDefaulted = where.PortDefaulted,
            Listen = listen,
            KeepOpen = keepOpen,
            Udp = udp,
            Source = where.Source,
            ConnectTimeout = Seconds(r.GetValue(_wait), "-w"),
            IdleTimeout = Seconds(r.GetValue(_idle), "-i"),
            QuitAfterEof = QuitAfter(r.GetValue(_quit)),
            Verbose = r.GetValue(_verbose),
            SendOnly = r.GetValue(_sendOnly),
            RecvOnly = r.GetValue(_recvOnly),
            Crlf = r.GetValue(_crlf),
            NoShutdown = r.GetValue(_noShutdown),
            MaxConnections = r.GetValue(_maxConns),
            BufferSize = Math.Max(2, ValueParsers.Size(r.GetValue(_buffer)!, "--buffer")),
            SendQueueLimit = ValueParsers.Size(r.GetValue(_sendQueue)!, "--send-queue"),
            Trace = r.GetValue(_trace) ? new SocketTrace(RelayLog.Error) : null,
            SessionLog = r.GetValue(_output),
            HexDump = hexDump,
            Sha256 = r.GetValue(_sha256),
            ExpectSha256 = expectSha256,
            Progress = !r.GetValue(_noProgress),
            ScanPorts = scanPorts,
            Tls = tls,
            AccessLists = accessLists,
        })), hexDump);
    }

    /// <summary><c>proxy:1080</c>, <c>10.0.0.1:3128</c>, <c>[::1]:1080</c>: an nc user's proxy, not a file path.</summary>
    private static bool LooksLikeProxy(string value)
    {
        int colon = value.LastIndexOf(':');
        return colon > 0 && colon < value.Length - 1 && !value.Contains('/', StringComparison.Ordinal)
            && value[(colon + 1)..].All(char.IsAsciiDigit);
    }

    private static TimeSpan? Seconds(string? text, string option) => text is null ? null : ValueParsers.Duration(text, option);

    /// <summary>-q 0 quits right at stdin's EOF; a negative value (nc's "wait forever") is the same as not giving it.</summary>
    private static TimeSpan? QuitAfter(string? text) => text switch
    {
        null => null,
        "0" => TimeSpan.Zero,
        _ when text.StartsWith('-') => null,
        _ => ValueParsers.Duration(text, "-q"),
    };
}
