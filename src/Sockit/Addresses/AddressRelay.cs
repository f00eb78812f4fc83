using System.Net;
using Sockit.Access;
using Sockit.Hosting;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Addresses;

/// <summary>
/// <c>sockit relay ADDR1 ADDR2</c> in the library: opens the first address, then the second, and relays the two
/// both ways until both directions end (half-close carried across). A first address that listens accepts one
/// client (socat's default) or, with <c>fork</c>, every client, each relayed to a second address of its own,
/// concurrently, at most <c>max-conns</c> at once. <c>udp-listen</c> makes each peer a session of its own.
/// </summary>
/// <example>
/// <code>
/// await using var relay = AddressRelay.Start(AddressSpec.Parse("tcp-listen:8080,fork"), AddressSpec.Parse("unix:/run/app.sock"),
///     new AddressRelayOptions { Log = Console.Error.WriteLine });
/// Console.WriteLine($"port {((IPEndPoint)relay.LocalEndPoint!).Port}");
/// await relay.RunAsync(stoppingToken);
/// </code>
/// </example>
public sealed class AddressRelay : IAsyncDisposable
{
    private readonly AddressSpec _first, _second;
    private readonly AddressRelayOptions _options;
    private readonly RelayListener? _forking;
    private readonly StreamServer? _once;
    private readonly DatagramSessions? _datagrams;
    private readonly Security.TlsServerOptions? _firstTls, _secondTls;

    private AddressRelay(AddressSpec first, AddressSpec second, AddressRelayOptions options)
    {
        _first = first;
        _second = second;
        _options = options;
        (_firstTls, _secondTls) = (AddressTls.Prepare(first, options), AddressTls.Prepare(second, options));
        switch (first.Kind)
        {
            case AddressKind.TcpListen or AddressKind.UnixListen or AddressKind.TlsListen when first.Options.Fork:
                _forking = RelayListener.Start(HostOptionsFor(first, options, Timeout.InfiniteTimeSpan) with { ShutdownGrace = options.ShutdownGrace, MaxConnections = first.Options.MaxConns, Tls = _firstTls },
                    new RelayListenerOptions
                    {
                        FarName = second.ToString(),
                        MaxConnections = first.Options.MaxConns ?? options.MaxConnections,
                        Relay = options.Relay,
                        Errors = AddressTls.InAddressTerms(options.Errors),
                    },
                    (client, abort) => new ValueTask<DuplexEnd>(AddressOpener.OpenAsync(second, options, client, abort)));
                (LocalEndPoint, DisplayName) = (_forking.LocalEndPoint, _forking.DisplayName);
                break;
            case AddressKind.TcpListen or AddressKind.UnixListen or AddressKind.TlsListen:
                _once = Listen(first, second.ToString(), options);
                (LocalEndPoint, DisplayName) = (_once.LocalEndPoint, _once.DisplayName);
                break;
            case AddressKind.UdpListen:
                _datagrams = DatagramSessions.Bind(first, second, options);
                (LocalEndPoint, DisplayName) = (_datagrams.LocalEndPoint, _datagrams.DisplayName);
                options.Log?.Invoke($"Listening on {DisplayName}, relaying to {second}");
                break;
        }
    }

    /// <summary>The first address's bound address when it listens (with the real port when 0 was asked for); <c>null</c> otherwise.</summary>
    public EndPoint? LocalEndPoint { get; }

    /// <summary>The first address's listening address as logged (<c>0.0.0.0:8080</c>, a Unix path, ... <c>(UDP)</c>); <c>null</c> when it does not listen.</summary>
    public string? DisplayName { get; }

    /// <summary>
    /// Refuses a pair that cannot be relayed, before anything is opened: <c>fork</c> on the second address, a second
    /// listener behind a forking one (each client would need a listener of its own on one address), <c>stdio</c>
    /// for several clients or on both sides, <c>udp-listen</c> second or with a listener behind it.
    /// </summary>
    /// <exception cref="AddressException">The pair is not supported; the message is one line saying why.</exception>
    public static void Check(AddressSpec first, AddressSpec second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (second.Options.Fork)
            throw new AddressException($"fork applies to the first address only: '{second}' is the second");
        if (second.Kind == AddressKind.UdpListen)
            throw new AddressException($"udp-listen: can only be the first address: '{second}' is the second");
        if (second.IsListener && (first.Options.Fork || first.Kind == AddressKind.UdpListen))
            throw new AddressException($"'{second}' cannot listen behind '{first}': each client would need a listener of its own on one address");
        if (first.Kind == AddressKind.Stdio && second.Kind == AddressKind.Stdio)
            throw new AddressException("stdio cannot be both addresses");
        if (second.Kind == AddressKind.Stdio && (first.Options.Fork || first.Kind == AddressKind.UdpListen))
            throw new AddressException($"stdio cannot serve every client of '{first}': drop fork, or give each client its own second address");
    }

    /// <summary>
    /// Checks the pair (<see cref="Check"/>), then binds and listens now when the first address is a listener, so
    /// bind errors surface here and <see cref="LocalEndPoint"/> is known. Nothing else is opened until <see cref="RunAsync(CancellationToken)"/>.
    /// </summary>
    /// <exception cref="AddressException">The pair is not supported, or a TLS file of an address could not be loaded.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">socket, bind or listen failed.</exception>
    /// <exception cref="IOException">A Unix path is held by a live server or a non-socket file.</exception>
    public static AddressRelay Start(AddressSpec first, AddressSpec second, AddressRelayOptions? options = null)
    {
        Check(first, second);
        return new AddressRelay(first, second, options ?? new AddressRelayOptions());
    }

    /// <summary>Starts a relay between <paramref name="first"/> and <paramref name="second"/> and runs it (see <see cref="RunAsync(CancellationToken)"/>).</summary>
    public static async Task<RelayResult?> RunAsync(AddressSpec first, AddressSpec second, AddressRelayOptions? options, CancellationToken cancel)
    {
        await using AddressRelay relay = Start(first, second, options);
        return await relay.RunAsync(cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the relay. With one connection (no <c>fork</c>), returns its result once both directions have ended;
    /// <c>null</c> when <paramref name="stop"/> fired before a client came. A forking listener serves until
    /// <paramref name="stop"/> fires, drains (bounded by <see cref="AddressRelayOptions.ShutdownGrace"/>) and returns <c>null</c>.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">An address of the one connection could not be opened (refused, bind failed, ...).</exception>
    /// <exception cref="TimeoutException">It did not connect within <see cref="AddressRelayOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="IOException">A program or file of the one connection could not be opened.</exception>
    /// <exception cref="Security.TlsException">The one connection's TLS handshake failed.</exception>
    public async Task<RelayResult?> RunAsync(CancellationToken stop)
    {
        if (_forking is not null)
        {
            await _forking.RunAsync(stop).ConfigureAwait(false);
            return null;
        }
        if (_datagrams is not null) return await _datagrams.RunAsync(stop).ConfigureAwait(false);
        if (_once is not null) return await OneClient.ServeAsync(_once, AddressTls.Accepting(_firstTls, SecondAsync), stop).ConfigureAwait(false);
        DuplexEnd first;
        try
        {
            first = await AddressOpener.OpenForAsync(_first, _options, null, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        await using (first.ConfigureAwait(false))
        {
            _options.Log?.Invoke($"Opened {first.Name}");
            return await SecondAsync(first, stop).ConfigureAwait(false);
        }
    }

    /// <summary>Opens (or accepts once) the second address for <paramref name="first"/>, and relays the two.</summary>
    private async Task<RelayResult?> SecondAsync(DuplexEnd first, CancellationToken cancel)
    {
        if (_first.IsListener) _options.Log?.Invoke($"Connection from {first.Name}");
        if (_second.IsListener)
        {
            await using StreamServer server = Listen(_second, first.Name, _options);
            return await OneClient.ServeAsync(server, AddressTls.Accepting(_secondTls, (second, c) => RelayAsync(first, second, c)), cancel).ConfigureAwait(false);
        }
        DuplexEnd far;
        try
        {
            far = await AddressOpener.OpenAsync(_second, _options, _first.IsListener ? first : null, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return null;
        }
        await using (far.ConfigureAwait(false))
        {
            return await RelayAsync(first, far, cancel).ConfigureAwait(false);
        }
    }

    private async Task<RelayResult?> RelayAsync(DuplexEnd a, DuplexEnd b, CancellationToken cancel)
    {
        _options.Log?.Invoke($"{a.Name} -> {b.Name}: connected");
        RelayResult result = await EndRelay.RunAsync(a, b, _options.Relay, cancel).ConfigureAwait(false);
        _options.Log?.Invoke(RelayText.Summary($"{a.Name} -> {b.Name}", result));
        return result;
    }

    /// <summary>A listener that serves one client: its relay is never cut short by the listener closing.</summary>
    private static StreamServer Listen(AddressSpec address, string relayingTo, AddressRelayOptions options)
    {
        HostOptions host = HostOptionsFor(address, options, Timeout.InfiniteTimeSpan);
        StreamServer server = StreamServer.Listen(host.Endpoint, new StreamServerOptions
        {
            Backlog = host.Backlog,
            ShutdownGrace = host.ShutdownGrace,
            Trace = host.Trace,
            Access = host.Access,
            OnRefused = AccessText.RefusalLog(host.OnRefused, options.Log),
            OnConnectionError = options.Errors is { } errors ? (c, e) => errors($"[Relay error]: {c.Name}: {e.Message}") : null,
        });
        options.Log?.Invoke($"Listening on {server.DisplayName}, relaying to {relayingTo}");
        return server;
    }

    private static HostOptions HostOptionsFor(AddressSpec listener, AddressRelayOptions options, TimeSpan grace) => new()
    {
        Endpoint = listener.ToEndpoint()!,
        Backlog = options.Backlog,
        ShutdownGrace = grace,
        Log = options.Log,
        Trace = options.Trace,
        Access = options.Access,
        OnRefused = options.OnRefused,
    };

    /// <summary>Closes the listening socket, if any (and its Unix socket file).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_forking is not null) await _forking.DisposeAsync().ConfigureAwait(false);
        if (_once is not null) await _once.DisposeAsync().ConfigureAwait(false);
        if (_datagrams is not null) await _datagrams.DisposeAsync().ConfigureAwait(false);
    }
}
