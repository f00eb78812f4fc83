using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Sockit.Diagnostics;
using Sockit.Relay;

namespace Sockit.Addresses;

/// <summary>
/// One <c>udp-listen</c> peer and its own second address. The receive loop queues the peer's datagrams here (a
/// bounded queue of pooled copies: a far end slower than its peer drops datagrams, as a full socket buffer would,
/// and delays no other peer); <see cref="DatagramRelay"/> writes them to the far end in order and sends each read
/// of the far end back to the peer as one datagram.
/// </summary>
internal sealed class DatagramSession
{
    private const int QueueLength = 256;

    private readonly DatagramSessions _owner;
    private readonly Channel<(byte[] Bytes, int Length)> _queue = Channel.CreateBounded<(byte[], int)>(
        new BoundedChannelOptions(QueueLength) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly string _peerName;
    private CancellationTokenRegistration _stopReading;
    private long _dropped;

    public DatagramSession(DatagramSessions owner, EndPoint peer)
    {
        _owner = owner;
        Peer = peer;
        _peerName = SocketNames.EndPoint(peer);
    }

    public EndPoint Peer { get; }

    /// <summary>Queues a copy of one datagram from the peer (called by the receive loop only).</summary>
    public void Offer(ReadOnlySpan<byte> datagram)
    {
        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(1, datagram.Length));
        datagram.CopyTo(copy);
        if (!_queue.Writer.TryWrite((copy, datagram.Length)))
        {
            ArrayPool<byte>.Shared.Return(copy);
            Interlocked.Increment(ref _dropped);
        }
    }

    public async Task<RelayResult?> RunAsync(AddressSpec second, CancellationToken stop)
    {
        AddressRelayOptions options = _owner.Options;
        options.Log?.Invoke($"Datagrams from {_peerName}");
        try
        {
            DuplexEnd far;
            try
            {
                far = await AddressOpener.OpenForAsync(second, options, new ClientAddresses(_owner.Socket.LocalEndPoint, Peer, ProtocolType.Udp), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (ErrorText.Line(e, "Relay", "connect") is { } line)
            {
                options.Errors?.Invoke($"{line} ({second}); datagrams from {_peerName} dropped");
                return null;
            }
            await using (far.ConfigureAwait(false))
            {
                options.Log?.Invoke($"{_peerName} -> {far.Name}: connected");
                var relay = new DatagramRelay(far, options.Relay with
                {
                    IdleTimeout = options.Relay.IdleTimeout ?? options.DatagramIdleTimeout,
                    QuitAfterInputEof = options.DatagramLinger,
                    CopyAToB = true,
                    CopyBToA = true,
                    OnEof = null,
                });
                RelayResult r = await relay.RunAsync(ReceiveAsync, SendAsync, stop).ConfigureAwait(false);
                // DatagramRelay counts from the far end's side; the peer is end A here. Its far end closing is
                // this session's clean end.
                var result = new RelayResult(r.BytesBToA, r.BytesAToB, r.Reason == RelayEndReason.QuitAfterInputEof ? RelayEndReason.BothEof : r.Reason, r.Error);
                long dropped = Interlocked.Read(ref _dropped);
                options.Log?.Invoke(RelayText.Summary($"{_peerName} -> {far.Name}", result) + (dropped > 0 ? $"; {dropped} datagrams dropped (far end too slow)" : ""));
                return result;
            }
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out (byte[] Bytes, int) left)) ArrayPool<byte>.Shared.Return(left.Bytes);
            _stopReading.Dispose();
        }
    }

    // Reads without a cancellable token (the channel's reader then reuses one waiter instead of allocating one per
    // datagram); the relay's stop completes the queue instead, registered once.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(int Length, EndPoint? From)> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        if (_stopReading == default) _stopReading = cancel.Register(static q => ((ChannelWriter<(byte[], int)>)q!).TryComplete(), _queue.Writer);
        (byte[] bytes, int length) item;
        try
        {
            item = await _queue.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new OperationCanceledException(cancel);
        }
        int n = Math.Min(item.length, buffer.Length);
        item.bytes.AsSpan(0, n).CopyTo(buffer.Span);
        ArrayPool<byte>.Shared.Return(item.bytes);
        return (n, Peer);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<long> SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancel)
        => await _owner.Calls.SendToAsync(_owner.Socket, datagram, Peer, cancel).ConfigureAwait(false);
}
