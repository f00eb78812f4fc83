using Sockit.Cli.Commands;
using Sockit.Hosting;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Cli.Relay;

/// <summary>
/// <c>sockit relay -l [ADDR:]PORT HOST PORT</c>: the library's <see cref="RelayListener"/> with a far end that
/// connects to HOST PORT for every client, its lines on stderr.
/// </summary>
internal static class Forwarder
{
    public static async Task<int> RunAsync(ForwardSettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        RelayListener listener;
        try
        {
            var listen = new HostOptions
            {
                Endpoint = s.Listen,
                Backlog = 4096,
                ShutdownGrace = TimeSpan.FromSeconds(2),
                Log = log.Verbose ? log.Info : null,
                Trace = s.Trace,
                Access = s.Access,
            };
            listener = RelayListener.Start(listen, new RelayListenerOptions
            {
                FarName = s.Target.ToString(),
                MaxConnections = s.MaxConnections,
                Relay = new RelayOptions { BufferSize = s.BufferSize, IdleTimeout = s.IdleTimeout },
                Errors = RelayLog.Error,
            }, RelayListener.ConnectTo(s.Target, new ConnectOptions { Timeout = s.ConnectTimeout, Trace = s.Trace }));
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Server", "bind") is { } userError)
        {
            throw userError;
        }
        await using (listener)
        {
            await listener.RunAsync(cancel);
        }
        return ExitCodes.Success;
    }
}
