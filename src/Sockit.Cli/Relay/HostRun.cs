using Sockit.Cli.Commands;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Hosting;

namespace Sockit.Cli.Relay;

/// <summary>What the relay-style listeners (<c>sockit relay</c>, <c>sockit proxy</c>) share: how they listen and how they run.</summary>
internal static class HostRun
{
    /// <summary>A deep backlog (bursts wait in the kernel), a 2 s drain, <c>-v</c> lines to stderr.</summary>
    public static HostOptions Options(EndpointSpec listen, RelayLog log, SocketTrace? trace) => new()
    {
        Endpoint = listen,
        Backlog = 4096,
        ShutdownGrace = TimeSpan.FromSeconds(2),
        Log = log.Verbose ? log.Info : null,
        Trace = trace,
    };

    /// <summary>Starts the host (a bind failure is one line), serves until <paramref name="cancel"/>, then exits 0.</summary>
    public static async Task<int> ServeAsync<THost>(Func<THost> start, Func<THost, CancellationToken, Task> run, CancellationToken cancel)
        where THost : IAsyncDisposable
    {
        THost host;
        try
        {
            host = start();
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Server", "bind") is { } userError)
        {
            throw userError;
        }
        await using (host)
        {
            await run(host, cancel);
        }
        return ExitCodes.Success;
    }
}
