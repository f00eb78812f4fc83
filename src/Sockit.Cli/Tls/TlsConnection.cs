using System.Net;
using Sockit.Connections;
using Sockit.Security;

namespace Sockit.Cli.Tls;

/// <summary>
/// A TLS end seen as the <see cref="StreamConnection"/> that the keep-open hub still takes. A bridge only: it goes
/// when StreamConnection folds into DuplexEnd (issue 9), after which the <see cref="TlsEnd"/> is used directly.
/// </summary>
internal sealed class TlsConnection(StreamConnection plain, TlsEnd tls) : StreamConnection
{
    public override EndPoint? RemoteEndPoint => plain.RemoteEndPoint;

    public override string PeerName => plain.PeerName;

    public override string PeerHost => plain.PeerHost;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel) => tls.ReadAsync(buffer, cancel);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel) => tls.WriteAsync(data, cancel);

    public override ValueTask ShutdownWriteAsync() => tls.CompleteWritesAsync();

    public override ValueTask DisposeAsync() => tls.DisposeAsync();
}
