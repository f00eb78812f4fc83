using Sockit.Relay;

namespace Sockit.Security;

/// <summary>
/// A <see cref="DuplexEnd"/> seen as the <see cref="Stream"/> that <see cref="System.Net.Security.SslStream"/>
/// needs underneath it. Only the asynchronous calls are real: the TLS layer never uses the synchronous ones.
/// Flushing is a no-op because every write reaches the end whole. The end is not disposed with the stream:
/// <see cref="TlsEnd"/> owns both and closes the end itself, after the TLS close.
/// </summary>
internal sealed class EndStream(DuplexEnd end) : Stream
{
    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => end.ReadAsync(buffer, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => end.WriteAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => end.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => end.WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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
