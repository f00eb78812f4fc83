namespace Sockit.Relay;

/// <summary>
/// One connection of a <see cref="BroadcastHub"/>: its queue of broadcast chunks not yet sent (bounded by
/// the hub, counted in bytes) and the loop that sends them. Its own reader lives in the hub.
/// </summary>
internal sealed class BroadcastMember : IDisposable
{
    /// <summary>The most one coalesced write carries (a single chunk larger than this still goes whole).</summary>
    internal const int CoalesceLimit = 64 * 1024;

    private readonly Queue<BroadcastChunk> _queue = new();
    // The chunks of the write in flight: dequeued, still charged to the queue until sent.
    private readonly BroadcastChunk[] _batch = new BroadcastChunk[64];
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

    /// <summary>
    /// Sends queued chunks in order until closed, or until the input ended and the queue is empty. What has queued up
    /// while the last send was in flight goes in one write of at most <see cref="CoalesceLimit"/> bytes: a member behind
    /// by forty small chunks costs one system call, not forty. On a plain socket that write gathers the chunks' own
    /// buffers (<see cref="GatherSend"/>); what it cannot send at once, or on any other end, is copied into one pooled
    /// buffer and written the waiting way.
    /// </summary>
    public async Task SendLoopAsync(bool shutdownAtInputEnd)
    {
        while (true)
        {
            int count;
            int length;
            bool ended;
            lock (_gate)
            {
                if (_closed) return;
                (count, length) = TakeBatch();
                ended = _inputEnded;
            }
            if (count == 0)
            {
                if (ended) break;
                await _wake.WaitAsync().ConfigureAwait(false);
                continue;
            }
            bool failed = false;
            byte[]? joined = null;
            try
            {
                long sentNow = Connection.GatherSocket is { } socket && GatherSend.Supported(socket)
                    ? GatherSend.Send(socket, _batch.AsSpan(0, count))
                    : 0;
                if (sentNow < length) await Connection.WriteAsync(Rest(sentNow, count, ref joined), _stop.Token).ConfigureAwait(false);
                Volatile.Write(ref _sent, _sent + length);
            }
            catch (Exception e) when (RelayErrors.IsStreamFailure(e) || e is OperationCanceledException)
            {
                if (e is not OperationCanceledException) SendError = e;
                failed = true;
            }
            finally
            {
                if (joined is not null) FanOutBuffers.Pool.Return(joined);
                ReleaseBatch(count);
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

    // Under the gate: the first queued chunk, and those after it while they fit in one coalesced write.
    private (int Count, int Length) TakeBatch()
    {
        int count = 0, length = 0;
        while (count < _batch.Length && _queue.TryPeek(out BroadcastChunk? next) && (count == 0 || length + next.Length <= CoalesceLimit))
        {
            _batch[count++] = _queue.Dequeue();
            length += next.Length;
        }
        return (count, length);
    }

    // What is left of the batch after the first skip bytes went: straight from its chunk when the rest lies in one,
    // else copied into one pooled buffer (a coalesced write), which the caller returns.
    private ReadOnlyMemory<byte> Rest(long skip, int count, ref byte[]? joined)
    {
        int first = 0;
        while (skip >= _batch[first].Length)
        {
            skip -= _batch[first].Length;
            first++;
        }
        if (first == count - 1) return _batch[first].Data[(int)skip..];
        int length = -(int)skip;
        for (int i = first; i < count; i++) length += _batch[i].Length;
        joined = FanOutBuffers.Pool.Rent(length);
        int at = 0;
        for (int i = first; i < count; i++)
        {
            ReadOnlySpan<byte> data = _batch[i].Data.Span[(i == first ? (int)skip : 0)..];
            data.CopyTo(joined.AsSpan(at));
            at += data.Length;
        }
        return joined.AsMemory(0, at);
    }

    private void ReleaseBatch(int count)
    {
        long cost = 0;
        for (int i = 0; i < count; i++) cost += _batch[i].Cost;
        lock (_gate)
        {
            if (!_closed) _queued -= cost;
        }
        for (int i = 0; i < count; i++)
        {
            _batch[i].Release();
            _batch[i] = null!;
        }
    }

    public void Dispose() => _stop.Dispose();
}
