using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Cli.Relay;

/// <summary>
/// <c>sockit relay -l [ADDR:]PORT HOST PORT</c>: the library's <see cref="RelayListener"/> with a far end that
/// connects to HOST PORT for every client, its lines on stderr.
/// </summary>
internal static class Forwarder
{
    public static Task<int> RunAsync(ForwardSettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        return HostRun.ServeAsync(
            () => RelayListener.Start(HostRun.Options(s.Listen, log, s.Trace) with { Access = s.Access }, new RelayListenerOptions
            {
                FarName = s.Target.ToString(),
                MaxConnections = s.MaxConnections,
                Relay = new RelayOptions { BufferSize = s.BufferSize, IdleTimeout = s.IdleTimeout },
                Errors = RelayLog.Error,
            }, RelayListener.ConnectTo(s.Target, new ConnectOptions { Timeout = s.ConnectTimeout, Trace = s.Trace })),
            (listener, stop) => listener.RunAsync(stop), cancel);
    }
}
