using System.Buffers;
using System.Text;
using Sockit.Relay;
using Sockit.Diagnostics;
using Sockit.Endpoints;
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
    /// <exception cref="TimeoutException">Connecting or the reply took longer than <see cref="GrumpyClientOptions.Timeout"/>.</exception>
    public static async Task<GrumpyExchange> RunAsync(GrumpyClientOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Action<string> log = options.Log ?? (_ => { });

        await using DuplexEnd connection = await StreamConnector.ConnectAsync(options.Server,
            new ConnectOptions { Timeout = options.Timeout, Trace = options.Trace }, cancel).ConfigureAwait(false);
        string host = options.Server.IsUnix ? options.Server.UnixPath! : options.Server.Host!;
        log(GrumpyText.Connected(options.Server.IsUnix ? host : HostAndPort(host, options.Server.Port)));
        await connection.WriteAsync(Encoding.UTF8.GetBytes(options.Message + "\n"), cancel).ConfigureAwait(false);

        byte[] buffer = ArrayPool<byte>.Shared.Rent(options.MaxReplyBytes);
        try
        {
            MessageRead read = await MessageReader.ReadAsync(connection, buffer.AsMemory(0, options.MaxReplyBytes), options.Timeout, cancel).ConfigureAwait(false);
            if (read.End == MessageEnd.TimedOut && read.Length == 0)
                throw new TimeoutException($"no reply within {options.Timeout.TotalSeconds:0.###} s");
            log(GrumpyText.Said(host, MessageText.ForLog(buffer.AsSpan(0, read.Length))));
            return new GrumpyExchange(buffer.AsSpan(0, read.Length).ToArray(), read.End);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The server as the user typed it, with an IPv6 literal in brackets so the port stays readable: [::1]:10001.
    private static string HostAndPort(string host, int port)
        => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";
}
