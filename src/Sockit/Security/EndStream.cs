using System.Runtime.ExceptionServices;
using Sockit.Relay;

namespace Sockit.Security;

/// <summary>
/// A <see cref="DuplexEnd"/> seen as the <see cref="Stream"/> that <see cref="System.Net.Security.SslStream"/>
/// needs underneath it. Only the asynchronous calls are real: the TLS layer never uses the synchronous ones.
/// Flushing is a no-op because every write reaches the end whole. The end is not disposed with the stream:
/// <see cref="TlsEnd"/> owns both and closes the end itself, after the TLS close.
/// </summary>
/// <remarks>
/// A write that finds the peer gone (reset, broken pipe) while <see cref="Handshaking"/> is recorded rather than
/// thrown: a client that leaves right after its Finished (openssl s_time, health checks) resets the connection under
/// the server's TLS 1.3 session tickets, and thrown through SslStream's asynchronous frames that one failure cost a
/// tenth of a handshake's CPU. The next read during the handshake throws it as it was; <see cref="TlsLayer"/> decides
/// after the handshake whether it mattered (<see cref="PeerLeft"/>).
/// </remarks>
internal sealed class EndStream(DuplexEnd end) : Stream
{
    private ExceptionDispatchInfo? _lostWrite;

    /// <summary>Set while the handshake runs; cleared by <see cref="TlsLayer"/> once it is over.</summary>
    public bool Handshaking { get; set; } = true;

    /// <summary>A handshake write found the peer gone: reads after the handshake see the end of data.</summary>
    public bool PeerLeft => _lostWrite is not null;

    /// <summary>Throws the recorded write failure, if any.</summary>
    public void ThrowIfPeerLeft() => _lostWrite?.Throw();

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_lostWrite is null) return end.ReadAsync(buffer, cancellationToken);
        if (Handshaking) _lostWrite.Throw();
        return ValueTask.FromResult(0);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!Handshaking) return end.WriteAsync(buffer, cancellationToken);
        ValueTask write = end.WriteAsync(buffer, cancellationToken);
        return write.IsCompletedSuccessfully ? ValueTask.CompletedTask : RecordingPeerGoneAsync(write);
    }

    private async ValueTask RecordingPeerGoneAsync(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception e) when (RelayErrors.IsReset(e))
        {
            _lostWrite = ExceptionDispatchInfo.Capture(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the TLS layer reads asynchronously");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the TLS layer writes asynchronously");

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
