using System.Net;
using System.Net.Sockets;
using Sockit.Cli.Commands;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Scan;

namespace Sockit.Cli.Relay;

/// <summary>
/// <c>sockit nc -z HOST PORT...</c>: nc's zero-I/O mode. Each port is connected to and closed at once, one
/// after another in the order given; with -v each gets nc's line on stderr. Exit 0 when any port was open.
/// </summary>
internal static class ZeroIoScan
{
    /// <summary>Without -w, how long one connect may go unanswered (nc waits for the kernel, about two minutes).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The ports of <c>-z HOST PORT...</c>: each argument a port or a range (<c>80</c>, <c>20-30</c>), in the order given.</summary>
    public static IReadOnlyList<int> Ports(string[] args, bool listen, bool udp, bool unix, bool sourceGiven)
    {
        if (listen) throw new UserError("[Usage]: -z scans ports; it cannot be used with -l");
        if (udp) throw new UserError("[Usage]: -z scans TCP ports only; -u is not supported with it");
        if (unix) throw new UserError("[Usage]: -z scans TCP ports; it cannot be used with -U");
        if (sourceGiven) throw new UserError("[Usage]: -z does not bind a source address or port (-s, -p)");
        if (args.Length < 2) throw new UserError("[Usage]: sockit nc -z [-v] [-w SECS] HOST PORT... (PORT: 80 or 20-30)");
        var ports = new List<int>();
        foreach (string arg in args[1..])
        {
            try
            {
                ports.AddRange(PortList.Parse(arg));
            }
            catch (FormatException e)
            {
                throw new UserError($"[Scan port error]: {e.Message}");
            }
        }
        return ports;
    }

    public static async Task<int> RunAsync(CatSettings s, CancellationToken cancel)
    {
        string host = s.Endpoint.Host!;
        IPAddress address;
        try
        {
            IReadOnlyList<EndPoint> found = await NameLookup.ResolveAsync(s.Endpoint with { Port = 0 }, s.Trace, cancel);
            address = ((IPEndPoint)found[0]).Address;
        }
        catch (Exception e) when (e is not OperationCanceledException && SocketErrorText.ToUserError(e, "Client", "connect") is { } userError)
        {
            throw userError;
        }
        // nc names the host as given, then the address when they differ: "localhost (127.0.0.1)".
        string shown = SocketNames.Address(address);
        if (host.Trim('[', ']') != shown) shown = $"{host} ({shown})";
        var options = new ScanOptions
        {
            Concurrency = 1,
            Timeout = s.ConnectTimeout is { } limit && limit > TimeSpan.Zero ? limit : DefaultTimeout,
            Trace = s.Trace,
            OnResult = s.Verbose ? result => RelayLog.Error(Line(shown, result)) : null,
        };
        ScanReport report;
        try
        {
            report = await PortScanner.ScanAsync(EndpointSpec.Ip(SocketNames.Address(address), 0), s.ScanPorts!, options, cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException && SocketErrorText.ToUserError(e, "Client", "connect") is { } userError)
        {
            throw userError;
        }
        return report.Open > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>
    /// nc's lines: <c>Connection to 127.0.0.1 22 port [tcp/*] succeeded!</c>,
    /// <c>nc: connect to 127.0.0.1 port 23 (tcp) failed: Connection refused</c>, and for no answer in time
    /// <c>nc: connect to 127.0.0.1 port 24 (tcp) timed out: Operation now in progress</c>.
    /// </summary>
    public static string Line(string shownHost, PortScanResult result) => result switch
    {
        { State: PortState.Open } => $"Connection to {shownHost} {result.Port} port [tcp/*] succeeded!",
        { Error: SocketError.TimedOut } => $"nc: connect to {shownHost} port {result.Port} (tcp) timed out: Operation now in progress",
        _ => $"nc: connect to {shownHost} port {result.Port} (tcp) failed: {(result.Error is { } e ? SocketNames.Describe(e) : "unknown error")}",
    };
}
