namespace Sockit.Relay;

/// <summary>
/// One end of a relay: something bytes are read from and written to, whose sending side can be closed on
/// its own (half-close). A socket connection, stdin+stdout, or a decorator over either.
/// </summary>
public abstract class DuplexEnd : IAsyncDisposable
{
    /// <summary>A short name for logs: the peer address, "stdio", ...</summary>
    public abstract string Name { get; }

    /// <summary>Reads at most <paramref name="buffer"/>.Length bytes; 0 means end of input.</summary>
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel);

    /// <summary>Nothing more will be written: shutdown(SHUT_WR) for a socket, close for stdout.</summary>
    public abstract ValueTask CompleteWritesAsync();

    /// <summary>Releases the end.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
