using System.Buffers;
using System.Text;
using Sockit.Relay;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Security;
using Sockit.Transports;

namespace Sockit.Protocols.Grumpy;

/// <summary>Settings for <see cref="GrumpyClient.RunAsync"/>; the defaults are the seed's behaviour.</summary>
public sealed record GrumpyClientOptions
{
    /// <summary>The seed's greeting: <c>Hello server, would you like to chat?</c></summary>
    public const string DefaultMessage = GrumpyText.Hello;

    /// <summary>The server to reach. Its host may be an IP literal or a name.</summary>
    public required EndpointSpec Server { get; init; }

    /// <summary>What to send (a newline is added).</summary>
    public string Message { get; init; } = DefaultMessage;

    /// <summary>Limit for connecting and, separately, for the reply to arrive.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest reply read; the rest is not read.</summary>
    public int MaxReplyBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// TLS over the connection when set: the server's certificate is checked for the host connected to (for a
    /// Unix socket, <c>localhost</c>) unless the options say otherwise.
    /// </summary>
    public TlsClientOptions? Tls { get; init; }

    /// <summary>Receives each whole output line (connected, said). Must be thread-safe.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives every socket call made, when set.</summary>
    public SocketTrace? Trace { get; init; }
}

/// <summary>How the exchange ended.</summary>
/// <param name="Reply">The reply bytes, line ending included.</param>
/// <param name="End">Why reading the reply stopped.</param>
public sealed record GrumpyExchange(byte[] Reply, MessageEnd End);

/// <summary>
/// The seed's client: connect, say hello, print what the server said, close.
/// </summary>
public static class GrumpyClient
{
    /// <summary>Runs one exchange. Connection errors surface as <see cref="System.Net.Sockets.SocketException"/>.</summary>
    /// <exception cref="TlsException">The TLS handshake failed or the server's certificate was refused.</exception>
    /// <exception cref="TimeoutException">Connecting or the reply took longer than <see cref="GrumpyClientOptions.Timeout"/>.</exception>
    public static async Task<GrumpyExchange> RunAsync(GrumpyClientOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Action<string> log = options.Log ?? (_ => { });

        DuplexEnd plain = await StreamConnector.ConnectAsync(options.Server,
            new ConnectOptions { Timeout = options.Timeout, Trace = options.Trace }, cancel).ConfigureAwait(false);
        await using DuplexEnd connection = options.Tls is null ? plain
            : await TlsLayer.ConnectAsync(plain, options.Server.IsUnix ? "localhost" : options.Server.Host!, options.Tls, cancel).ConfigureAwait(false);
        log(ConnectedLine(options.Server));
        await connection.WriteAsync(Greeting(options), cancel).ConfigureAwait(false);

        byte[] buffer = ArrayPool<byte>.Shared.Rent(options.MaxReplyBytes);
        try
        {
            MessageRead read = await MessageReader.ReadAsync(connection, buffer.AsMemory(0, options.MaxReplyBytes), options.Timeout, cancel).ConfigureAwait(false);
            return Finish(options, log, buffer.AsSpan(0, read.Length), read.End);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Runs one exchange on the calling thread, for one-shot programs: with the same output, result and errors as
    /// <see cref="RunAsync"/>, but on Linux without TLS it makes blocking socket calls bounded by kernel timeouts
    /// (SO_SNDTIMEO for connecting, SO_RCVTIMEO for the reply) and starts no thread, timer or socket event loop, so
    /// a process that only does this starts as fast as the runtime allows. Otherwise (TLS, other systems, or the
    /// environment variable <c>SOCKIT_PORTABLE=1</c>) it waits for <see cref="RunAsync"/>.
    /// </summary>
    /// <exception cref="TlsException">The TLS handshake failed or the server's certificate was refused.</exception>
    /// <exception cref="TimeoutException">Connecting or the reply took longer than <see cref="GrumpyClientOptions.Timeout"/>.</exception>
    public static GrumpyExchange Run(GrumpyClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GrumpyOneShot.Fits(options) ? GrumpyOneShot.Run(options) : RunAsync(options).GetAwaiter().GetResult();
    }

    internal static string ConnectedLine(EndpointSpec server)
        => GrumpyText.Connected(server.IsUnix ? server.UnixPath! : HostAndPort(server.Host!, server.Port));

    internal static byte[] Greeting(GrumpyClientOptions options) => Encoding.UTF8.GetBytes(options.Message + "\n");

    /// <summary>The exchange once the reply is read: logged as the server's words, or the timeout's error when nothing came.</summary>
    internal static GrumpyExchange Finish(GrumpyClientOptions options, Action<string> log, ReadOnlySpan<byte> reply, MessageEnd end)
    {
        if (end == MessageEnd.TimedOut && reply.IsEmpty)
            throw new TimeoutException($"no reply within {options.Timeout.TotalSeconds:0.###} s");
        log(GrumpyText.Said(options.Server.IsUnix ? options.Server.UnixPath! : options.Server.Host!, MessageText.ForLog(reply)));
        return new GrumpyExchange(reply.ToArray(), end);
    }

    // The server as the user typed it, with an IPv6 literal in brackets so the port stays readable: [::1]:10001.
    private static string HostAndPort(string host, int port)
        => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";
}
