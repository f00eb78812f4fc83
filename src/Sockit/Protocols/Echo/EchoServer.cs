using System.Net;
using Sockit.Relay;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Protocols.Grumpy;
using Sockit.Transports;

namespace Sockit.Protocols.Echo;

/// <summary>Settings for <see cref="EchoServer"/>.</summary>
public sealed record EchoServerOptions
{
    /// <summary>Where to listen. Port 0 picks a free port.</summary>
    public required EndpointSpec Endpoint { get; init; }

    /// <summary>listen(2) backlog.</summary>
    public int Backlog { get; init; } = 5;

    /// <summary>How long in-flight connections may take to finish once shutdown starts.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Permission bits for a Unix socket file; <c>null</c> leaves the umask's.</summary>
    public UnixFileMode? UnixMode { get; init; }

    /// <summary>Receives each whole log line: listening, and one or two per connection (never per message). Must be thread-safe.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives every socket call made, when set.</summary>
    public SocketTrace? Trace { get; init; }
}

/// <summary>
/// An echo server: <see cref="EchoHandler"/> over a <see cref="StreamServer"/>. It logs the seed's
/// <c>SERVER AT ... LISTENING FOR CONNECTIONS</c>, then per connection <c>RECEIVED CONNECTION FROM ...</c>
/// and <c>ECHOED N BYTES TO ...</c>.
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly StreamServer _listener;
    private readonly Action<string> _log;

    private EchoServer(StreamServer listener, Action<string> log)
    {
        _listener = listener;
        _log = log;
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public EndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>The bound port, or 0 for a Unix socket.</summary>
    public int Port => _listener.Port;

    /// <summary>Binds and listens, then logs the LISTENING line. Call <see cref="RunAsync"/> to serve.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">socket, bind or listen failed.</exception>
    public static EchoServer Start(EchoServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Action<string> log = options.Log ?? (_ => { });
        var listener = StreamServer.Listen(options.Endpoint, new StreamServerOptions
        {
            Backlog = options.Backlog,
            ShutdownGrace = options.ShutdownGrace,
            Trace = options.Trace,
            UnixMode = options.UnixMode,
            OnConnectionError = (connection, error) => log(GrumpyText.Failed(connection.Name, GrumpyServer.Describe(error))),
        });
        log(GrumpyText.Listening(listener.DisplayName));
        return new EchoServer(listener, log);
    }

    /// <summary>Serves until <paramref name="stop"/> fires, then lets in-flight connections finish (bounded) and returns.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        await _listener.RunAsync(ServeOneAsync, stop).ConfigureAwait(false);
        _log(GrumpyText.Stopped);
    }

    private async ValueTask ServeOneAsync(DuplexEnd connection, CancellationToken abort)
    {
        _log(GrumpyText.Received(connection.Name));
        long echoed = await EchoHandler.RunAsync(connection, abort).ConfigureAwait(false);
        _log(Echoed(connection.Name, echoed));
    }

    /// <summary><c>ECHOED 1048576 BYTES TO 127.0.0.1:57257</c>, logged when a connection ends normally.</summary>
    public static string Echoed(string peer, long bytes) => $"ECHOED {bytes} BYTES TO {peer}";

    /// <summary>Closes the listening socket.</summary>
    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
