using System.Buffers;
using System.Net;
using System.Text;
using Sockit.Relay;
using Sockit.Hosting;
using Sockit.Transports;
using Sockit.Transports.Linux;

namespace Sockit.Protocols.Grumpy;

/// <summary>
/// The seed's grumpy server: accept, read the client's message, log it, send the grumpy reply, close.
/// Unlike the seed it serves clients concurrently, reads whole messages (to newline, EOF or a limit) and
/// answers and drops a client whose message is not complete within a deadline (or, optionally, that goes silent).
/// </summary>
/// <example>
/// <code>
/// await using var server = GrumpyServer.Start(new GrumpyServerOptions { Endpoint = EndpointSpec.Ip(null, 0), Log = Console.WriteLine });
/// await server.RunAsync(stoppingToken);
/// </code>
/// </example>
public sealed class GrumpyServer : IAsyncDisposable, ILoopServed
{
    // After answering, keep reading (and discarding) this long so that closing with unread input does not
    // turn into a TCP reset that could destroy the reply before the client reads it.
    internal static readonly TimeSpan LingerLimit = TimeSpan.FromSeconds(2);

    private StreamHost _host = null!; // set by Start, right after construction: the host needs this server's handler
    private readonly GrumpyServerOptions _options;
    private readonly byte[] _reply;
    private readonly CancellationSourcePool _timeouts = new(1024);
    // Null when nobody listens: then no log line is even formatted.
    private readonly Action<string>? _log;

    private GrumpyServer(GrumpyServerOptions options)
    {
        _options = options;
        _reply = Encoding.UTF8.GetBytes(options.Reply + "\n");
        _log = options.Log;
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public EndPoint LocalEndPoint => _host.LocalEndPoint;

    /// <summary>The bound port, or 0 for a Unix socket.</summary>
    public int Port => _host.Port;

    /// <summary>
    /// Binds and listens, then logs <c>SERVER AT ... LISTENING FOR CONNECTIONS</c>.
    /// Call <see cref="RunAsync"/> to start serving.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">socket, bind or listen failed.</exception>
    public static GrumpyServer Start(GrumpyServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxMessageBytes < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxMessageBytes must be at least 1");
        var server = new GrumpyServer(options);
        server._host = StreamHost.Start(new HostOptions
        {
            Endpoint = options.Endpoint,
            Backlog = options.Backlog,
            ShutdownGrace = options.ShutdownGrace,
            UnixMode = options.UnixMode,
            Tls = options.Tls,
            Log = options.Log,
            Trace = options.Trace,
            Access = options.Access,
            OnRefused = options.Log is { } log ? (peer, decision) => log(GrumpyText.Refused(peer, decision)) : null,
            MaxConnections = options.MaxConnections,
            Portable = options.Portable,
        }, server.ServeOneAsync);
        return server;
    }

    /// <summary>
    /// Serves until <paramref name="stop"/> fires, then lets in-flight exchanges finish (bounded) and returns. On Linux
    /// a plain-TCP listener is served by the event loop (<see cref="GrumpyLoopProtocol"/>), elsewhere per connection.
    /// </summary>
    public Task RunAsync(CancellationToken stop) => _host.RunAsync(stop);

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    LoopProtocol ILoopServed.CreateLoopProtocol() => new GrumpyLoopProtocol(_options, _reply);

    // The waits of one exchange are awaited here, in one method, rather than in helpers of their own: every
    // async helper that really waits (for the client's data, for its close) costs a state machine box per exchange.
    // Its state machine box is pooled: the host's StreamServer awaits the handler's ValueTask exactly once, as pooling requires.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ServeOneAsync(DuplexEnd connection, CancellationToken abort)
    {
        _log?.Invoke(GrumpyText.Received(connection.Name));
        CancellationTokenSource limits = RentTimeout(abort, out CancellationTokenRegistration aborting);
        try
        {
            var timer = new MessageTimer(limits, _options.MessageTimeout, _options.IdleTimeout);
            // Borrow the message buffer only once the client has sent something: a silent client (or ten
            // thousand of them) then holds no buffer while it waits out the timeout. A zero-byte read waits.
            MessageEnd? gaveUp = null;
            MessageEnd ifFired = timer.Arm();
            try
            {
                await connection.ReadAsync(Memory<byte>.Empty, timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!abort.IsCancellationRequested)
            {
                gaveUp = ifFired;
            }
            byte[] buffer = ArrayPool<byte>.Shared.Rent(_options.MaxMessageBytes);
            try
            {
                MessageRead read = gaveUp is { } end
                    ? new MessageRead(0, 0, end)
                    : await MessageReader.ReadArmedAsync(connection, buffer.AsMemory(0, _options.MaxMessageBytes), timer, abort).ConfigureAwait(false);
                LogMessage(connection, buffer.AsSpan(0, read.Length), read);
                await connection.WriteAsync(_reply, abort).ConfigureAwait(false);
                await connection.CompleteWritesAsync().ConfigureAwait(false);
                if (read.End is MessageEnd.Newline or MessageEnd.Limit)
                {
                    // Read and discard until the client closes, for at most LingerLimit. The message timer's token
                    // source is re-armed for this when it has not fired (one token source per connection, not two).
                    CancellationTokenSource? own = null;
                    CancellationTokenRegistration ownAborting = default;
                    CancellationTokenSource linger = limits.TryReset() ? limits : own = RentTimeout(abort, out ownAborting);
                    long unread = 0;
                    try
                    {
                        linger.CancelAfter(LingerLimit);
                        int n;
                        while ((n = await connection.ReadAsync(buffer, linger.Token).ConfigureAwait(false)) > 0)
                            unread += n;
                    }
                    catch (OperationCanceledException) when (!abort.IsCancellationRequested)
                    {
                    }
                    catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
                    {
                        // The client reset after reading the reply (over TLS the reset comes as an IOException): nothing more to do.
                    }
                    finally
                    {
                        ownAborting.Dispose();
                        if (own is not null) _timeouts.Return(own);
                    }
                    if (read.End == MessageEnd.Newline && read.Extra + unread > 0)
                        _log?.Invoke(GrumpyText.Ignored(connection.Name, read.Extra + unread));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        finally
        {
            aborting.Dispose();
            _timeouts.Return(limits);
        }
    }

    /// <summary>
    /// A pooled token source that <paramref name="abort"/> cancels too: what a linked source does, without a new
    /// source, timer and registration list per connection. Give it back with <c>aborting.Dispose()</c>, then
    /// <see cref="CancellationSourcePool.Return"/>.
    /// </summary>
    private CancellationTokenSource RentTimeout(CancellationToken abort, out CancellationTokenRegistration aborting)
    {
        CancellationTokenSource source = _timeouts.Rent();
        aborting = abort.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source);
        return source;
    }

    private void LogMessage(DuplexEnd connection, ReadOnlySpan<byte> message, MessageRead read)
    {
        if (_log is not null) LogMessage(_log, _options, connection.Name, connection.PeerHost, message, read);
    }

    /// <summary>The lines logged for one message read (both paths): what it said, and why reading stopped when that was not a newline.</summary>
    internal static void LogMessage(Action<string> log, GrumpyServerOptions options, string name, string host, ReadOnlySpan<byte> message, MessageRead read)
    {
        if (read.End is not (MessageEnd.TimedOut or MessageEnd.Silent) || !message.IsEmpty)
            log(GrumpyText.Said(host, message));
        if (read.End == MessageEnd.Limit)
            log(GrumpyText.Cut(name, options.MaxMessageBytes));
        if (read.End == MessageEnd.TimedOut)
            log(GrumpyText.TimedOut(name, options.MessageTimeout));
        if (read.End == MessageEnd.Silent && options.IdleTimeout is { } idle)
            log(GrumpyText.Idle(name, idle, answered: true));
    }

    /// <summary>Bytes allocated so far on the Linux event loop's thread; null on the portable path (or before <see cref="RunAsync"/>).</summary>
    internal long? LoopAllocatedBytes => _host.LoopAllocatedBytes;

    /// <summary>Closes the listening socket (and stops the event loop, when one serves it).</summary>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
