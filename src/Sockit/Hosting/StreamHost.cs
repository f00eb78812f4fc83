using Sockit.Diagnostics;
using Sockit.Protocols.Grumpy;
using Sockit.Transports;
using Sockit.Transports.Linux;

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
    private readonly HostOptions _options;
    // The handler's protocol when it can also run on the Linux event loop and the options let it (see EventLoop.Serves).
    private readonly ILoopServed? _loopServed;
    private object? _loop;

    private StreamHost(StreamServer listener, ConnectionHandler handler, HostOptions options, ILoopServed? loopServed) : base(listener)
    {
        _handler = handler;
        _log = options.Log;
        _options = options;
        _loopServed = loopServed;
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
        ILoopServed? loopServed = OperatingSystem.IsLinux() && handler.Target is ILoopServed served && EventLoop.Serves(options) ? served : null;
        return new StreamHost(listener, Secured(handler, options.Tls), options, loopServed);
    }

    /// <summary>
    /// Serves until <paramref name="stop"/> fires, then lets in-flight connections finish (bounded) and returns.
    /// On Linux a plain-TCP listener whose handler's protocol has an event-loop form (grumpy, echo) is served by
    /// one epoll thread on raw descriptors instead (same bytes, same log lines).
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        if (OperatingSystem.IsLinux() && _loopServed is { } served)
        {
            var loop = new EventLoop(Server, served.CreateLoopProtocol(), _options);
            Volatile.Write(ref _loop, loop);
            await loop.RunAsync(stop).ConfigureAwait(false);
        }
        else
        {
            await Server.RunAsync(_handler, stop).ConfigureAwait(false);
        }
        _log?.Invoke(GrumpyText.Stopped);
    }

    /// <summary>Bytes allocated so far on the event loop's thread; null on the portable path (or before <see cref="RunAsync"/>).</summary>
    internal long? LoopAllocatedBytes => OperatingSystem.IsLinux() && Volatile.Read(ref _loop) is EventLoop loop ? loop.AllocatedBytes : null;

    /// <summary>The event loop thread's kernel id (for its CPU time in <c>/proc/self/task</c>); null on the portable path or before it runs.</summary>
    internal int? LoopThreadId => OperatingSystem.IsLinux() && Volatile.Read(ref _loop) is EventLoop { ThreadId: > 0 } loop ? loop.ThreadId : null;
}
