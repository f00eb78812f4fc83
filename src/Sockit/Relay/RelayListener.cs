using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Hosting;
using Sockit.Transports;

namespace Sockit.Relay;

/// <summary>
/// A listener whose every client is relayed, both ways and with half-closes carried, to a far end of its own made by
/// a <see cref="FarEndFactory"/>: a TCP forwarder (<see cref="ConnectTo"/>), an exec listener, later TLS or a proxy.
/// Clients are served concurrently; a far end that cannot be made closes that client with one error line. A far end
/// that is a program (<see cref="ExecEnd"/>) is relayed as <see cref="ExecRelay"/> does: its exit ends the client's relay.
/// </summary>
/// <example>
/// <code>
/// var listen = new HostOptions { Endpoint = EndpointSpec.Ip(null, 8080), Log = Console.Error.WriteLine };
/// var options = new RelayListenerOptions { FarName = "127.0.0.1:80" };
/// await using var forwarder = RelayListener.Start(listen, options, RelayListener.ConnectTo(EndpointSpec.Ip("127.0.0.1", 80)));
/// await forwarder.RunAsync(stoppingToken);
/// </code>
/// </example>
public sealed class RelayListener : ListenerHost
{
    private readonly RelayListenerOptions _options;
    private readonly FarEndFactory _farEnd;
    private readonly Action<string>? _log;
    private readonly ConnectionHandler _serve;
    private readonly ConnectionCap _cap;

    private RelayListener(StreamServer server, RelayListenerOptions options, FarEndFactory farEnd, Action<string>? log, Security.TlsServerOptions? tls) : base(server)
    {
        _options = options;
        _farEnd = farEnd;
        _log = log;
        _serve = Secured(ServeAsync, tls);
        _cap = new ConnectionCap(options.MaxConnections, log);
    }

    /// <summary>
    /// Binds and listens now, so bind errors surface here, then logs <c>Listening on ..., relaying to ...</c>
    /// to <paramref name="listen"/>'s <c>Log</c>, which also receives each client's lines.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">socket, bind or listen failed.</exception>
    /// <exception cref="IOException">A Unix path is held by a live server or a non-socket file.</exception>
    /// <exception cref="FormatException">The bind address does not parse.</exception>
    public static RelayListener Start(HostOptions listen, RelayListenerOptions options, FarEndFactory farEnd)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(farEnd);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1, nameof(options));
        Action<string>? errors = options.Errors;
        StreamServer server = Listen(listen, errors is null ? null : (c, e) => errors($"[Relay error]: {c.Name}: {e.Message}"));
        listen.Log?.Invoke($"Listening on {server.DisplayName}, relaying to {options.FarName}");
        return new RelayListener(server, options, farEnd, listen.Log, listen.Tls);
    }

    /// <summary>A factory that connects to <paramref name="target"/> for every client (a TCP or Unix forwarder).</summary>
    public static FarEndFactory ConnectTo(EndpointSpec target, ConnectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        return async (_, abort) => await StreamConnector.ConnectAsync(target, options, abort).ConfigureAwait(false);
    }

    /// <summary>Relays every client until <paramref name="stop"/> fires, then drains (bounded) and returns.</summary>
    public Task RunAsync(CancellationToken stop) => Server.RunAsync(_serve, stop);

    private async ValueTask ServeAsync(DuplexEnd client, CancellationToken abort)
    {
        if (!_cap.TryEnter(client.Name)) return;
        try
        {
            Action<string>? steps = _options.OneLinePerClient ? null : _log;
            steps?.Invoke($"Connection from {client.Name}");
            DuplexEnd far;
            try
            {
                far = await _farEnd(client, abort).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return;
            }
            catch (FarEndRefusedException refused)
            {
                _log?.Invoke(refused.Message);
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
                steps?.Invoke($"{client.Name} -> {far.Name}: connected");
                RelayResult result = await EndRelay.RunAsync(client, far, _options.Relay, abort).ConfigureAwait(false);
                _log?.Invoke(RelayText.Summary($"{client.Name} -> {far.Name}", result));
            }
        }
        finally
        {
            _cap.Leave();
        }
    }
}
