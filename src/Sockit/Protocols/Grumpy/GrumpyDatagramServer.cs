using System.Net;
using System.Text;
using Sockit.Transports;

namespace Sockit.Protocols.Grumpy;

/// <summary>
/// The grumpy server over datagrams (UDP over IPv4/IPv6, or Unix SOCK_DGRAM): every datagram is one message,
/// logged and answered with the grumpy reply by sendto. There is no connection, so nothing to accept, time out
/// or close; each datagram is handled on its own, so many peers are served at once.
/// </summary>
/// <remarks>
/// Of <see cref="GrumpyServerOptions"/> it uses <c>Endpoint</c> (its type is taken as SOCK_DGRAM), <c>Reply</c>,
/// <c>MaxMessageBytes</c> (the largest datagram kept whole), <c>MaxDatagramsInFlight</c>, <c>MessageTimeout</c> (how long one answer may wait
/// for room in the sender's queue, which a Unix sender that stopped reading can fill), <c>ShutdownGrace</c>,
/// <c>UnixMode</c>, <c>Access</c>, <c>Log</c> and <c>Trace</c>. <c>Backlog</c> has no meaning without listen().
/// </remarks>
public sealed class GrumpyDatagramServer : IAsyncDisposable
{
    private readonly DatagramServer _server;
    private readonly GrumpyServerOptions _options;
    private readonly byte[] _reply;
    private readonly Action<string> _log;

    private GrumpyDatagramServer(DatagramServer server, GrumpyServerOptions options)
    {
        _server = server;
        _options = options;
        _reply = Encoding.UTF8.GetBytes(options.Reply + "\n");
        _log = options.Log ?? (_ => { });
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public EndPoint LocalEndPoint => _server.LocalEndPoint;

    /// <summary>The bound port, or 0 for a Unix socket.</summary>
    public int Port => _server.Port;

    /// <summary>Binds, then logs <c>SERVER AT ... LISTENING FOR DATAGRAMS</c>. Call <see cref="RunAsync"/> to start serving.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">socket or bind failed.</exception>
    public static GrumpyDatagramServer Start(GrumpyServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxMessageBytes < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxMessageBytes must be at least 1");
        GrumpyDatagramServer? grumpy = null;
        var server = DatagramServer.Bind(options.Endpoint, new DatagramServerOptions
        {
            MaxDatagramBytes = options.MaxMessageBytes,
            ShutdownGrace = options.ShutdownGrace,
            Trace = options.Trace,
            UnixMode = options.UnixMode,
            MaxInFlight = options.MaxDatagramsInFlight,
            OnDatagramError = (datagram, error) => grumpy?._log(GrumpyText.ReplyFailed(datagram.PeerName, Diagnostics.SocketNames.Describe(error))),
            OnDropped = dropped => grumpy?._log(GrumpyText.DatagramsDropped(dropped, options.MaxDatagramsInFlight)),
            Access = options.Access,
            OnRefused = (peer, decision) => grumpy?._log(GrumpyText.DatagramRefused(peer, decision)),
        });
        grumpy = new GrumpyDatagramServer(server, options);
        grumpy._log(GrumpyText.ListeningForDatagrams(server.DisplayName));
        return grumpy;
    }

    /// <summary>Serves until <paramref name="stop"/> fires, lets answers in flight finish (bounded), then returns.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        await _server.RunAsync(AnswerAsync, stop).ConfigureAwait(false);
        _log(GrumpyText.Stopped);
    }

    private async ValueTask AnswerAsync(ReceivedDatagram datagram, CancellationToken abort)
    {
        _log(GrumpyText.ReceivedDatagram(datagram.PeerName));
        _log(GrumpyText.Said(datagram.PeerHost, datagram.Data.Span));
        if (datagram.Truncated) _log(GrumpyText.DatagramCut(datagram.PeerName, _options.MaxMessageBytes));
        if (!datagram.CanReply)
        {
            _log(GrumpyText.Unanswerable(datagram.PeerName));
            return;
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(abort);
        limit.CancelAfter(_options.MessageTimeout);
        try
        {
            await datagram.ReplyAsync(_reply, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!abort.IsCancellationRequested)
        {
            _log(GrumpyText.ReplyFailed(datagram.PeerName, $"no room in its queue within {_options.MessageTimeout.TotalSeconds:0.###} s"));
        }
    }

    /// <summary>Closes the socket (and its Unix socket file).</summary>
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
