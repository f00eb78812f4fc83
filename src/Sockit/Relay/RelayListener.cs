using System.Net;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Transports;

namespace Sockit.Relay;

/// <summary>
/// A listener whose every client is relayed, both ways and with half-closes carried, to a far end of its own made by
/// a <see cref="FarEndFactory"/>: a TCP forwarder (<see cref="ConnectTo"/>), an exec listener, later TLS or a proxy.
/// Clients are served concurrently; a far end that cannot be made closes that client with one error line.
/// </summary>
/// <example>
/// <code>
/// var options = new RelayListenerOptions { Listen = EndpointSpec.Ip(null, 8080), FarName = "127.0.0.1:80" };
/// await using var forwarder = RelayListener.Start(options, RelayListener.ConnectTo(EndpointSpec.Ip("127.0.0.1", 80)));
/// await forwarder.RunAsync(stoppingToken);
/// </code>
/// </example>
public sealed class RelayListener : IAsyncDisposable
{
    private readonly StreamServer _server;
    private readonly RelayListenerOptions _options;
    private readonly FarEndFactory _farEnd;
    private int _active;

    private RelayListener(StreamServer server, RelayListenerOptions options, FarEndFactory farEnd)
    {
        _server = server;
        _options = options;
        _farEnd = farEnd;
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public EndPoint LocalEndPoint => _server.LocalEndPoint;

    /// <summary>The bound port, or 0 for a Unix socket.</summary>
    public int Port => _server.Port;

    /// <summary>The listening address as the seed prints it (see <see cref="StreamServer.DisplayName"/>).</summary>
    public string DisplayName => _server.DisplayName;

    /// <summary>Binds and listens now, so bind errors surface here.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">socket, bind or listen failed.</exception>
    /// <exception cref="IOException">A Unix path is held by a live server or a non-socket file.</exception>
    /// <exception cref="FormatException">The bind address does not parse.</exception>
    public static RelayListener Start(RelayListenerOptions options, FarEndFactory farEnd)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(farEnd);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1, nameof(options));
        Action<string>? errors = options.Errors;
        var server = StreamServer.Listen(options.Listen, new StreamServerOptions
        {
            Backlog = options.Backlog,
            ShutdownGrace = options.ShutdownGrace,
            Trace = options.Trace,
            UnixMode = options.UnixMode,
            OnConnectionError = errors is null ? null : (c, e) => errors($"[Relay error]: {c.Name}: {e.Message}"),
        });
        options.Log?.Invoke($"Listening on {server.DisplayName}, relaying to {options.FarName}");
        return new RelayListener(server, options, farEnd);
    }

    /// <summary>A factory that connects to <paramref name="target"/> for every client (a TCP or Unix forwarder).</summary>
    public static FarEndFactory ConnectTo(EndpointSpec target, ConnectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        return async (_, abort) => await StreamConnector.ConnectAsync(target, options, abort).ConfigureAwait(false);
    }

    /// <summary>Relays every client until <paramref name="stop"/> fires, then drains (bounded) and returns.</summary>
    public Task RunAsync(CancellationToken stop) => _server.RunAsync(ServeAsync, stop);

    private async ValueTask ServeAsync(DuplexEnd client, CancellationToken abort)
    {
        if (Interlocked.Increment(ref _active) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _active);
            _options.Log?.Invoke($"Connection from {client.Name} refused: --max-conns {_options.MaxConnections} reached");
            return;
        }
        try
        {
            _options.Log?.Invoke($"Connection from {client.Name}");
            DuplexEnd far;
            try
            {
                far = await _farEnd(client, abort).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (ErrorText.Line(e, "Relay", "connect") is { } line)
            {
                // A timeout's text names the far end already.
                _options.Errors?.Invoke($"{line}{(e is TimeoutException ? "" : $" ({_options.FarName})")}; client {client.Name} closed");
                return;
            }
            await using (far.ConfigureAwait(false))
            {
                _options.Log?.Invoke($"{client.Name} -> {far.Name}: connected");
                RelayResult result = await DuplexRelay.RunAsync(client, far, _options.Relay, abort).ConfigureAwait(false);
                _options.Log?.Invoke(RelayText.Summary($"{client.Name} -> {far.Name}", result));
            }
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>Closes the listening socket.</summary>
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
