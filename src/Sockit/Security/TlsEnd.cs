using System.Buffers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Sockit.Relay;

namespace Sockit.Security;

/// <summary>
/// A <see cref="DuplexEnd"/> whose bytes travel through TLS over another end: the TLS layer is a decorator, not a
/// second kind of connection, so it goes over TCP, Unix sockets or anything else that is an end. Made by
/// <see cref="TlsLayer"/> once the handshake has succeeded.
/// </summary>
/// <remarks>
/// Half-close: <see cref="CompleteWritesAsync"/> sends TLS close_notify (<see cref="SslStream.ShutdownAsync"/>,
/// which only writes the alert and leaves reading possible) and then half-closes the end underneath
/// (shutdown(SHUT_WR) on a socket). Reading goes on until the peer's close_notify or its FIN. TLS 1.3 defines
/// close_notify as closing one direction only; many TLS 1.2 peers (and OpenSSL's s_client/s_server) take it as
/// the end of the whole session and stop sending.
/// </remarks>
public sealed class TlsEnd : DuplexEnd
{
    private readonly DuplexEnd _inner;
    private readonly SslStream _ssl;
    private int _writesCompleted;
    private int _disposed;
    private volatile bool _peerClosed;

    private readonly bool _isServer;

    // The client completed its handshake and reset the connection (under our session tickets): nothing more can reach it.
    private readonly bool _peerLeft;

    internal TlsEnd(DuplexEnd inner, SslStream ssl, X509Certificate2? peerCertificate, bool isServer, bool peerLeft = false)
    {
        _isServer = isServer;
        _peerLeft = peerLeft;
        _inner = inner;
        _ssl = ssl;
        PeerCertificate = peerCertificate;
    }

    /// <inheritdoc />
    public override string Name => _inner.Name;

    /// <inheritdoc />
    public override System.Net.EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    /// <inheritdoc />
    public override System.Net.EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    /// <inheritdoc />
    public override string PeerHost => _inner.PeerHost;

    /// <summary>The negotiated protocol version: TLSv1.2 or TLSv1.3.</summary>
    public string Protocol => _ssl.SslProtocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        var other => other.ToString(),
    };

    /// <summary>The negotiated cipher suite by its IANA name.</summary>
    public string CipherSuite => _ssl.NegotiatedCipherSuite.ToString();

    /// <summary>The protocol chosen by ALPN, or <c>null</c> when none was.</summary>
    public string? ApplicationProtocol
        => _ssl.NegotiatedApplicationProtocol.Protocol.IsEmpty ? null : _ssl.NegotiatedApplicationProtocol.ToString();

    /// <summary>On a server, the name the client asked for by SNI (<c>null</c> if none); on a client, the name verified.</summary>
    public string? ServerName => string.IsNullOrEmpty(_ssl.TargetHostName) ? null : _ssl.TargetHostName;

    /// <summary>The peer's certificate, or <c>null</c> when it sent none (a client that was not asked for one).</summary>
    public X509Certificate2? PeerCertificate { get; }

    /// <summary>One line for <c>-v</c>: protocol, cipher, ALPN, SNI (on a server), the peer certificate's subject and fingerprint.</summary>
    public string Describe()
    {
        string alpn = ApplicationProtocol is { } p ? $", ALPN {p}" : "";
        string sni = _isServer && ServerName is { } n ? $", SNI {n}" : "";
        string peer = PeerCertificate is { } c ? $", peer certificate {c.Subject} {CertificatePin.Of(c)}" : ", no peer certificate";
        return $"{Protocol} {CipherSuite}{alpn}{sni}{peer}";
    }

    /// <summary>How long a close waits for the peer to close too, once our close_notify is out (see <see cref="DisposeAsync"/>).</summary>
    internal static TimeSpan LingerLimit { get; } = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        // A zero-byte read (wait for data without a buffer) also returns 0: only a real read's 0 is the peer's close.
        ValueTask<int> read = _ssl.ReadAsync(buffer, cancel);
        if (buffer.IsEmpty) return read;
        if (!read.IsCompletedSuccessfully) return Awaited(read);
        if (read.Result == 0) _peerClosed = true;
        return read;
    }

    private async ValueTask<int> Awaited(ValueTask<int> read)
    {
        int n = await read.ConfigureAwait(false);
        if (n == 0) _peerClosed = true;
        return n;
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel) => _ssl.WriteAsync(data, cancel);

    /// <inheritdoc />
    public override async ValueTask CompleteWritesAsync()
    {
        if (Interlocked.Exchange(ref _writesCompleted, 1) != 0 || _peerLeft) return;
        try
        {
            await _ssl.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The peer is gone or the session already failed: the FIN below is all that is left to say.
        }
        await _inner.CompleteWritesAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the TLS session and the end beneath. After a half-close whose peer has not closed yet, it first
    /// reads and drops what still arrives, until the peer's close or <see cref="LingerLimit"/>: TLS 1.3 servers
    /// send session tickets nobody reads on a send-only session, and closing a socket with unread bytes sends
    /// a reset, which destroys what the peer has not read yet of ours.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (Volatile.Read(ref _writesCompleted) != 0 && !_peerClosed) await LingerAsync().ConfigureAwait(false);
        await _ssl.DisposeAsync().ConfigureAwait(false);
        await _inner.DisposeAsync().ConfigureAwait(false);
    }

    private async Task LingerAsync()
    {
        byte[] sink = ArrayPool<byte>.Shared.Rent(16 * 1024);
        using var limit = new CancellationTokenSource(LingerLimit);
        try
        {
            while (await _ssl.ReadAsync(sink, limit.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException or NotSupportedException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // The peer reset, went silent, or a read is still pending elsewhere: close now.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sink);
        }
    }
}
