using Sockit.Connections;

namespace Sockit.Relay;

/// <summary>A <see cref="StreamConnection"/> as a relay end. Completing writes half-closes it (unless told not to).</summary>
public sealed class ConnectionEnd(StreamConnection connection, bool shutdownOnEof = true, bool ownsConnection = true) : DuplexEnd
{
    /// <inheritdoc />
    public override string Name => connection.PeerName;

    /// <summary>The wrapped connection.</summary>
    public StreamConnection Connection => connection;

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel) => connection.ReadAsync(buffer, cancel);

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel) => connection.WriteAsync(data, cancel);

    /// <inheritdoc />
    public override ValueTask CompleteWritesAsync() => shutdownOnEof ? connection.ShutdownWriteAsync() : ValueTask.CompletedTask;

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => ownsConnection ? connection.DisposeAsync() : ValueTask.CompletedTask;
}
