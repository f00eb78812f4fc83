using System.Net;
using System.Net.Sockets;
using Sockit.Connections;
using Sockit.Endpoints;
using Sockit.Proxies;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Addresses;

/// <summary>
/// Opens an address that connects (or runs, or opens) into a <see cref="DuplexEnd"/>: <c>tcp:</c> and <c>unix:</c>
/// through <see cref="StreamConnector"/> (Happy Eyeballs for names), <c>tls:</c> as that plus a verified TLS client handshake, <c>udp:</c> as a datagram end (one datagram per
/// read and per write), <c>exec:</c> and <c>sh:</c> as an <see cref="ExecEnd"/>, <c>file:</c>, and <c>stdio</c>.
/// Listeners are not opened here: they accept, which <see cref="AddressRelay"/> does.
/// </summary>
/// <example>
/// <code>
/// await using DuplexEnd far = await AddressOpener.OpenAsync(AddressSpec.Parse("tcp:localhost:80"), new AddressRelayOptions());
/// </code>
/// </example>
public static class AddressOpener
{
    /// <summary>
    /// Opens <paramref name="address"/>. When it is opened for a <paramref name="client"/> (an accepted connection), a
    /// program started for it sees ncat's <c>NCAT_REMOTE_ADDR</c>, <c>NCAT_LOCAL_PORT</c>, ... of that client.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="address"/> is a listener.</exception>
    /// <exception cref="SocketException">A connection was refused, a name did not resolve, a bind failed.</exception>
    /// <exception cref="TimeoutException">Nothing connected within <see cref="AddressRelayOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="IOException">A program could not be started or a file opened; the message says which.</exception>
    /// <exception cref="Sockit.Security.TlsException">A <c>tls:</c> handshake failed or the server's certificate was refused.</exception>
    public static Task<DuplexEnd> OpenAsync(AddressSpec address, AddressRelayOptions? options = null, DuplexEnd? client = null, CancellationToken cancel = default)
        => OpenForAsync(address, options ?? new AddressRelayOptions(),
            client is null ? null : new ClientAddresses(client.LocalEndPoint, client.RemoteEndPoint, ProtocolType.Tcp), cancel);

    internal static async Task<DuplexEnd> OpenForAsync(AddressSpec address, AddressRelayOptions options, ClientAddresses? client, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        switch (address.Kind)
        {
            case AddressKind.Tcp or AddressKind.Unix:
                return await ConnectStreamAsync(address, options, cancel).ConfigureAwait(false);
            case AddressKind.Tls:
                DuplexEnd plain = await ConnectStreamAsync(address, options, cancel).ConfigureAwait(false);
                return await AddressTls.ConnectAsync(plain, address, cancel).ConfigureAwait(false);
            case AddressKind.Udp:
                var calls = SocketCalls.For(options.Trace);
                Socket socket = await StreamConnector.ConnectSocketAsync(address.ToEndpoint()!, ConnectOptionsFor(address, options), calls, cancel).ConfigureAwait(false);
                return new DatagramEnd(socket, calls, options.DatagramLinger);
            case AddressKind.Exec:
                return ExecEnd.Start(address.Argv!, ExecOptionsFor(options.Exec, client));
            case AddressKind.Shell:
                return ExecEnd.StartShell(address.Command!, ExecOptionsFor(options.Exec, client));
            case AddressKind.File:
                return FileEnd.Open(address.Path!, address.Options);
            case AddressKind.Stdio:
                return options.OpenStdio?.Invoke() ?? new StdioEnd(Console.OpenStandardInput(), Console.OpenStandardOutput());
            default:
                throw new ArgumentException($"{AddressTable.Rule(address.Kind).Name}: is a listener: it accepts clients rather than being opened (see AddressRelay)", nameof(address));
        }
    }

    /// <summary>A stream to the address's destination: directly, or through its <c>proxy=</c> (the tunnel is the stream).</summary>
    private static Task<DuplexEnd> ConnectStreamAsync(AddressSpec address, AddressRelayOptions options, CancellationToken cancel)
    {
        AddressOptions o = address.Options;
        if (o.Proxy is null) return StreamConnector.ConnectAsync(address.ToEndpoint()!, ConnectOptionsFor(address, options), cancel);
        (string host, string? port) = AddressValues.SplitProxy(o.Proxy);
        var proxy = new ProxyClientOptions
        {
            Proxy = EndpointSpec.Ip(host, port is null ? ProxyKinds.DefaultPort(o.ProxyType) : PortNumber.Parse(port, allowZero: false), SocketType.Stream, o.Family),
            Kind = o.ProxyType,
            Credentials = o.ProxyAuth,
        };
        return ProxyConnector.ConnectAsync(proxy, address.ToEndpoint()!, ConnectOptionsFor(address, options), cancel);
    }

    /// <summary><c>bind=</c> and <c>sourceport=</c> as the local end to bind before connecting.</summary>
    private static ConnectOptions ConnectOptionsFor(AddressSpec address, AddressRelayOptions options)
    {
        AddressOptions o = address.Options;
        EndpointSpec? source = address.Kind == AddressKind.Unix
            ? (o.Bind is { } path ? EndpointSpec.Unix(path) : null)
            : o.Bind is not null || o.SourcePort is not null ? EndpointSpec.Ip(o.Bind, o.SourcePort ?? 0, SocketType.Stream, o.Family) : null;
        return new ConnectOptions { Timeout = options.ConnectTimeout, Trace = options.Trace, LocalEndPoint = source };
    }

    private static ExecOptions ExecOptionsFor(ExecOptions exec, ClientAddresses? client)
    {
        if (client is not { } c) return exec;
        var environment = new Dictionary<string, string>(ExecEnvironment.Ncat(c.Local, c.Remote, c.Protocol));
        foreach ((string key, string value) in exec.Environment) environment[key] = value;
        return exec with { Environment = environment };
    }
}

/// <summary>The addresses of the client an address is opened for (for a program's <c>NCAT_*</c> variables).</summary>
internal readonly record struct ClientAddresses(EndPoint? Local, EndPoint? Remote, ProtocolType Protocol);
