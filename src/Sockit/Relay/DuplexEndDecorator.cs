using System.Net;

namespace Sockit.Relay;

/// <summary>
/// A <see cref="DuplexEnd"/> over another one that forwards every member to it; a decorator overrides only what
/// it changes (CRLF on read, a log of both directions, a checksum, later a TLS or proxy layer).
/// </summary>
/// <param name="inner">The wrapped end; disposing the decorator disposes it.</param>
public abstract class DuplexEndDecorator(DuplexEnd inner) : DuplexEnd
{
    /// <summary>The wrapped end.</summary>
    protected DuplexEnd Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc />
    public override string Name => Inner.Name;

    /// <inheritdoc />
    public override EndPoint? RemoteEndPoint => Inner.RemoteEndPoint;

    /// <inheritdoc />
    public override EndPoint? LocalEndPoint => Inner.LocalEndPoint;

    /// <inheritdoc />
    public override string PeerHost => Inner.PeerHost;

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel) => Inner.ReadAsync(buffer, cancel);

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel) => Inner.WriteAsync(data, cancel);

    /// <inheritdoc />
    public override ValueTask CompleteWritesAsync() => Inner.CompleteWritesAsync();

    // Every decorator here is a pass-through that blocks only when its inner end does.
    internal override void UseBlockingCalls() => Inner.UseBlockingCalls();

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Inner.DisposeAsync();
    }
}
