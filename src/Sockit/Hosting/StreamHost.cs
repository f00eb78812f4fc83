using Sockit.Diagnostics;
using Sockit.Protocols.Grumpy;
using Sockit.Transports;

namespace Sockit.Hosting;

/// <summary>
/// Runs one protocol handler for every connection of a listener: binds, logs the seed's
/// <c>SERVER AT ... LISTENING FOR CONNECTIONS</c>, serves until stopped, drains (bounded) and logs
/// <c>SERVER STOPPED</c>. A protocol is then its <see cref="ConnectionHandler"/> plus its own settings.
/// </summary>
/// <example>
/// <code>
/// await using var host = StreamHost.Start(new HostOptions { Endpoint = EndpointSpec.Ip(null, 7) }, EchoHandler.Create(Console.WriteLine));
/// await host.RunAsync(stoppingToken);
/// </code>
/// </example>
public sealed class StreamHost : ListenerHost
{
    private readonly ConnectionHandler _handler;
    private readonly Action<string>? _log;

    private StreamHost(StreamServer listener, ConnectionHandler handler, Action<string>? log) : base(listener)
    {
        _handler = handler;
        _log = log;
    }

    /// <summary>Binds and listens now, then logs the LISTENING line. Call <see cref="RunAsync"/> to serve.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">socket, bind or listen failed.</exception>
    /// <exception cref="IOException">A Unix path is held by a live server or a non-socket file.</exception>
    /// <exception cref="FormatException">The bind address does not parse.</exception>
    public static StreamHost Start(HostOptions options, ConnectionHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        Action<string>? log = options.Log;
        StreamServer listener = Listen(options, log is null ? null : (connection, error) => log(GrumpyText.Failed(connection.Name, SocketNames.Describe(error))));
        log?.Invoke(GrumpyText.Listening(listener.DisplayName));
        return new StreamHost(listener, Secured(handler, options.Tls), log);
    }

    /// <summary>Serves until <paramref name="stop"/> fires, then lets in-flight connections finish (bounded) and returns.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        await Server.RunAsync(_handler, stop).ConfigureAwait(false);
        _log?.Invoke(GrumpyText.Stopped);
    }

    /// <summary>
    /// As <see cref="RunAsync"/>, with the listener served by <paramref name="serve"/> (a protocol's own event loop)
    /// instead of the handler; it must close the listener and drain before it returns.
    /// </summary>
    internal async Task RunWithAsync(Func<StreamServer, Task> serve)
    {
        await serve(Server).ConfigureAwait(false);
        _log?.Invoke(GrumpyText.Stopped);
    }
}
