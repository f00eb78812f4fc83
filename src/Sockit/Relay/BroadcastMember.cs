
namespace Sockit.Relay;

/// <summary>
/// One connection of a <see cref="BroadcastHub"/>: its queue of broadcast chunks not yet sent (bounded by
/// the hub, counted in bytes) and the loop that sends them. Its own reader lives in the hub.
/// </summary>
internal sealed class BroadcastMember : IDisposable
{
    private readonly Queue<BroadcastChunk> _queue = new();
    private readonly Lock _gate = new();
    private readonly WakeSignal _wake = new();
    private readonly CancellationTokenSource _stop;
    private readonly WakeSignal _space;
    private long _queued;
    private long _sent;
    private bool _inputEnded;
    private bool _closed;

    public BroadcastMember(DuplexEnd connection, WakeSignal space, CancellationToken cancel)
    {
        Connection = connection;
        _space = space;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
    }

    public DuplexEnd Connection { get; }

    /// <summary>Cancelled when the member leaves, is dropped, or its sending fails: its reader stops too.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Memory held by chunks queued and not yet sent (<see cref="BroadcastChunk.Cost"/>).</summary>
    public long Queued => Volatile.Read(ref _queued);

    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Closed: no longer sending (it left, was dropped, or sending failed).</summary>
    public bool Closed => Volatile.Read(ref _closed);

    /// <summary>Past the queue limit and given the grace to catch up (the broadcast loop's own mark).</summary>
    public bool Lagging { get; set; }

    /// <summary>Dropped for falling behind the broadcast.</summary>
    public bool Dropped { get; private set; }

    /// <summary>Why sending failed, if it did.</summary>
    public Exception? SendError { get; private set; }

    /// <summary>Queues <paramref name="chunk"/> for sending (one more reference to it); false once closed.</summary>
    public bool Enqueue(BroadcastChunk chunk)
    {
        lock (_gate)
        {
            if (_closed || _inputEnded) return false;
            chunk.AddReference();
            _queue.Enqueue(chunk);
            _queued += chunk.Cost;
        }
        _wake.Set();
        return true;
    }

    /// <summary>The broadcast input ended: send what is queued, then half-close (when asked) and stop sending.</summary>
    public void EndInput()
    {
        lock (_gate) _inputEnded = true;
        _wake.Set();
    }

    /// <summary>Fell behind: stop sending, drop what is queued, and stop the reader (the slot is freed).</summary>
    public void Drop()
    {
        Dropped = true;
        Close();
    }

    /// <summary>Stops sending and reading; chunks still queued are released unsent.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            while (_queue.TryDequeue(out BroadcastChunk? chunk)) chunk.Release();
            _queued = 0;
        }
        _wake.Set();
        _space.Set();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Sends queued chunks in order until closed, or until the input ended and the queue is empty.</summary>
    public async Task SendLoopAsync(bool shutdownAtInputEnd)
    {
        while (true)
        {
            BroadcastChunk? chunk;
            bool ended;
            lock (_gate)
            {
                if (_closed) return;
                _queue.TryDequeue(out chunk);
                ended = _inputEnded;
            }
            if (chunk is null)
            {
                if (ended) break;
                await _wake.WaitAsync().ConfigureAwait(false);
                continue;
            }
            bool failed = false;
            try
            {
                await Connection.WriteAsync(chunk.Data, _stop.Token).ConfigureAwait(false);
                Volatile.Write(ref _sent, _sent + chunk.Length);
            }
            catch (Exception e) when (RelayErrors.IsStreamFailure(e) || e is OperationCanceledException)
            {
                if (e is not OperationCanceledException) SendError = e;
                failed = true;
            }
            finally
            {
                lock (_gate)
                {
                    if (!_closed) _queued -= chunk.Cost;
                }
                chunk.Release();
                _space.Set();
            }
            if (failed)
            {
                Close();
                return;
            }
        }
        if (!shutdownAtInputEnd) return;
        try
        {
            await Connection.CompleteWritesAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (RelayErrors.IsStreamFailure(e))
        {
        }
    }

    public void Dispose() => _stop.Dispose();
}
