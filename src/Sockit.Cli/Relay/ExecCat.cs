using System.Net.Sockets;
using Sockit.Cli.Tls;
using Sockit.Hosting;
using Sockit.Relay;
using Sockit.Security;

namespace Sockit.Cli.Relay;

/// <summary>
/// <c>-e PROG</c> / <c>-c CMD</c>: each connection relayed to a program of its own instead of stdin/stdout.
/// Connect mode runs one; <c>-l</c> serves the first client; <c>-l -k</c> runs one per client at once, up to
/// <c>--max-conns</c>. A signal ends every program (closed pipes, then SIGTERM and SIGKILL after a grace each).
/// With <c>--ssl</c> the program talks to the TLS end: it reads and writes plain text, the network sees TLS.
/// </summary>
internal static class ExecCat
{
    public static async Task<int> RunAsync(CatSettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        if (!s.Listen)
        {
            TlsSide? client = TlsSide.Client(s.Tls, log.Info);
            await using DuplexEnd connection = await StreamCat.OpenConnectionAsync(s, cancel);
            log.Info($"Connected to {connection.Name}");
            await using TlsEnd? secured = client is null ? null : await client.SecureAsync(connection, s.Endpoint.Host ?? "localhost", cancel);
            return ExitCode(await ServeAsync(secured ?? connection, s, log, cancel));
        }

        TlsSide? tls = TlsSide.Server(s.Tls, RelayLog.Error, log.Info);
        await using var server = CatListener.Listen(s, log);
        using var stopAccepting = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var cap = new ConnectionCap(s.MaxConnections, log.Verbose ? log.Info : null);
        int taken = 0, exitCode = ExitCodes.Success;
        await server.RunAsync(async (connection, abort) =>
        {
            if (!s.KeepOpen)
            {
                // Without -k one client is served, as nc -l: the first wins, a racing second one is closed.
                if (Interlocked.Exchange(ref taken, 1) != 0) return;
                await stopAccepting.CancelAsync();
            }
            // As in KeepOpenCat: the handshake before a --max-conns slot, and a failed one is a line, not a program.
            await using TlsEnd? secured = tls is null ? null : await tls.SecureAsync(connection, "", abort);
            if (tls is not null && secured is null)
            {
                if (!s.KeepOpen) exitCode = ExitCodes.Failure;
                return;
            }
            connection = secured ?? connection;
            if (!cap.TryEnter(connection.Name)) return;
            try
            {
                log.Info($"Connection from {connection.Name}");
                using var both = CancellationTokenSource.CreateLinkedTokenSource(cancel, abort);
                RelayResult? result = await ServeAsync(connection, s, log, both.Token);
                if (!s.KeepOpen) exitCode = ExitCode(result);
                else if (result is not null && !result.Clean && result.Reason != RelayEndReason.Cancelled) StreamCat.Outcome(result, "Relay");
            }
            finally
            {
                cap.Leave();
            }
        }, stopAccepting.Token);
        return exitCode;
    }

    private static int ExitCode(RelayResult? result)
        => result is null ? ExitCodes.Failure
            : result.Reason == RelayEndReason.Cancelled ? StreamCat.Interrupted : StreamCat.Outcome(result, "Relay");

    /// <summary>
    /// Starts the program with ncat's variables for this connection and relays until it exits or both directions
    /// end; null when it could not be started (said in one line).
    /// </summary>
    private static async Task<RelayResult?> ServeAsync(DuplexEnd connection, CatSettings s, RelayLog log, CancellationToken cancel)
    {
        var options = new ExecOptions { Environment = ExecEnvironment.Ncat(connection.LocalEndPoint, connection.RemoteEndPoint, ProtocolType.Tcp) };
        ExecEnd program;
        try
        {
            program = s.Exec!.Start(options);
        }
        catch (IOException e)
        {
            RelayLog.Error($"[Exec error]: {e.Message}");
            return null;
        }
        log.Info($"exec: pid {program.ProcessId} started");
        RelayResult result;
        try
        {
            DuplexEnd peer = s.NoShutdown ? new NoHalfCloseEnd(connection) : connection;
            result = await ExecRelay.RunAsync(program, peer, RelayOptions(s, log), options.Grace, cancel);
        }
        finally
        {
            await program.DisposeAsync();
            log.Info($"exec: pid {program.ProcessId} {await program.Exited}");
        }
        log.Summary(connection.Name, result);
        return result;
    }

    private static RelayOptions RelayOptions(CatSettings s, RelayLog log) => new()
    {
        BufferSize = s.BufferSize,
        IdleTimeout = s.IdleTimeout,
        OnEof = side => log.Info(side == "A" ? "exec: end of output" : "peer: end of data"),
    };
}
