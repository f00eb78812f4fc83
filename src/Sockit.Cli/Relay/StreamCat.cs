using Sockit.Cli.Commands;
using Sockit.Cli.Tls;
using Sockit.Proxies;
using Sockit.Relay;
using Sockit.Security;
using Sockit.Transports;

namespace Sockit.Cli.Relay;

/// <summary>One stream connection (TCP or Unix), made or accepted, relayed to stdin/stdout until both directions end.</summary>
internal static class StreamCat
{
    public const int Interrupted = ExitCodes.Interrupted;

    public static RelayOptions Options(CatSettings s, RelayLog log) => new()
    {
        BufferSize = s.BufferSize,
        IdleTimeout = s.IdleTimeout,
        QuitAfterInputEof = s.QuitAfterEof,
        CopyAToB = !s.RecvOnly,
        CopyBToA = !s.SendOnly,
        OnEof = side => log.Info(side == "A" ? "stdin: end of input" : "peer: end of data"),
    };

    public static async Task<int> ConnectAsync(CatSettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        TlsSide? tls = TlsSide.Client(s.Tls, log.Info);
        await using StdioSession stdio = StdioSession.Open(s);
        await using DuplexEnd connection = await OpenConnectionAsync(s, cancel);
        log.Info($"Connected to {connection.Name}");
        return await RelayAsync(connection, stdio, s, Options(s, log), log, blockingCalls: false, tls, cancel);
    }

    /// <summary>Connects to the settings' endpoint (from -s/-p when given, within -w); failures are one-line user errors.</summary>
    public static async Task<DuplexEnd> OpenConnectionAsync(CatSettings s, CancellationToken cancel)
    {
        try
        {
            var options = new ConnectOptions { Timeout = s.ConnectTimeout, LocalEndPoint = s.Source, Trace = s.Trace };
            return s.Proxy is null
                ? await StreamConnector.ConnectAsync(s.Endpoint, options, cancel)
                : await ProxyConnector.ConnectAsync(s.Proxy, s.Endpoint, options, cancel);
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Client", "connect") is { } userError)
        {
            throw userError;
        }
    }

    public static async Task<int> ListenOnceAsync(CatSettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        TlsSide? tls = TlsSide.Server(s.Tls, RelayLog.Error, log.Info);
        await using StdioSession stdio = StdioSession.Open(s);
        await using StreamServer server = CatListener.Listen(s, log);
        int exitCode = ExitCodes.Failure;
        int taken = 0;
        using var stopAccepting = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        await server.RunAsync(async (connection, _) =>
        {
            // nc -l serves exactly one client: the first one wins, any racing second one is closed.
            if (Interlocked.Exchange(ref taken, 1) != 0) return;
            await stopAccepting.CancelAsync();
            log.Info($"Connection from {connection.Name}");
            // nc and ncat exit at the client's EOF. We finish sending stdin instead (nothing piped in is lost),
            // except from a terminal: nothing is pending there, and waiting would only wait for a Ctrl-D.
            RelayOptions options = Options(s, log) with { EndAtBEof = !Console.IsInputRedirected };
            exitCode = await RelayAsync(connection, stdio, s, options, log, blockingCalls: true, tls, cancel);
        }, stopAccepting.Token);
        if (taken == 0) return ExitCodes.Success;
        return exitCode;
    }

    // blockingCalls: relay with two threads blocked in recv/send (see below). Only for an accepted
    // connection: the runtime has made a connected socket non-blocking already (its connect was
    // asynchronous), where blocking calls are emulated through the event loop and measured no faster.
    private static async Task<int> RelayAsync(DuplexEnd connection, StdioSession stdio, CatSettings s, RelayOptions options, RelayLog log, bool blockingCalls, TlsSide? tls, CancellationToken cancel)
    {
        await using TlsEnd? secured = tls is null ? null : await tls.SecureAsync(connection, s.Endpoint.Host ?? "localhost", cancel);
        if (tls is not null && secured is null) return ExitCodes.Failure;
        DuplexEnd net = secured ?? connection;
        if (s.NoShutdown) net = new NoHalfCloseEnd(net);
        if (blockingCalls && secured is null)
        {
            // One connection, two directions: each on a thread of its own, blocked in recv/send like nc
            // rather than hopping through the runtime's event loop on every read (docs/benchmarks.md).
            options = options with { DedicatedThreads = true };
        }
        RelayResult result = await DuplexRelay.RunAsync(stdio.End, net, options, cancel);
        log.Summary(connection.Name, result);
        // Interrupted mid-relay: not everything may have moved, so say so the way shells do (128 + SIGINT).
        return stdio.Finish(result.Reason == RelayEndReason.Cancelled ? Interrupted : Outcome(result, "Relay"), s.Sha256);
    }

    /// <summary>Exit 0 for a clean end; a reset or I/O error is one line on stderr and exit 1.</summary>
    public static int Outcome(RelayResult result, string role)
    {
        if (result.Clean || result.Reason == RelayEndReason.Cancelled) return ExitCodes.Success;
        string detail = result.Error is null ? RelayLog.Describe(result.Reason)
            : SocketErrorText.ToUserError(result.Error, role, result.Reason == RelayEndReason.WriteError ? "send" : "recv")?.Message
              ?? $"[{role} error]: {result.Error.Message}";
        if (result.Reason == RelayEndReason.PeerReset && result.Error is not null)
            detail = $"[{role} error]: connection reset by peer after {result.BytesAToB} bytes sent, {result.BytesBToA} received";
        RelayLog.Error(detail);
        return ExitCodes.Failure;
    }
}
