using System.Net;
using System.Net.Sockets;
using Sockit.Relay;

namespace Sockit.IntegrationTests.Chaos;

/// <summary>
/// A real connection with faults injected: every read asks the connection below for a random short size, every
/// write goes out in random short pieces, some calls are delayed a little, and, when <c>resetAfter</c> is set,
/// the connection is reset (RST, by SO_LINGER 0 and close) once that many bytes have been written through it.
/// Reads and writes draw from random sources of their own, so one reader and one writer may run at once.
/// </summary>
internal sealed class FaultyConnection : DuplexEnd
{
    private readonly DuplexEnd _inner;
    private readonly Random _reads;
    private readonly Random _writes;
    private readonly Socket? _socket;
    private readonly long _resetAfter;
    private long _written;
    private int _reset;

    /// <param name="inner">The real connection.</param>
    /// <param name="seed">Seeds the faults, so a failing run can be replayed.</param>
    /// <param name="socket">The socket under <paramref name="inner"/>, needed only to reset it.</param>
    /// <param name="resetAfter">Bytes written before the reset; negative for none.</param>
    public FaultyConnection(DuplexEnd inner, int seed, Socket? socket = null, long resetAfter = -1)
    {
        _inner = inner;
        _reads = new Random(seed);
        _writes = new Random(seed ^ 0x5bd1e995);
        _socket = socket;
        _resetAfter = resetAfter;
    }

    /// <summary>True once the connection has been reset.</summary>
    public bool WasReset => Volatile.Read(ref _reset) != 0;

    public override EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public override string Name => _inner.Name;

    public override string PeerHost => _inner.PeerHost;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        await MaybeDelayAsync(_reads, cancel);
        if (buffer.IsEmpty) return await _inner.ReadAsync(buffer, cancel);
        return await _inner.ReadAsync(buffer[..ShortSize(_reads, buffer.Length)], cancel);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        while (!data.IsEmpty)
        {
            int piece = ShortSize(_writes, data.Length);
            if (_resetAfter >= 0)
            {
                long room = _resetAfter - _written;
                if (room <= 0) Reset();
                piece = (int)Math.Min(piece, room);
            }
            await MaybeDelayAsync(_writes, cancel);
            await _inner.WriteAsync(data[..piece], cancel);
            _written += piece;
            data = data[piece..];
        }
    }

    public override ValueTask CompleteWritesAsync()
    {
        if (_resetAfter >= 0 && _written >= _resetAfter) Reset();
        return _inner.CompleteWritesAsync();
    }

    public override ValueTask DisposeAsync() => _inner.DisposeAsync();

    private void Reset()
    {
        if (Interlocked.Exchange(ref _reset, 1) == 0 && _socket is not null)
        {
            _socket.LingerState = new LingerOption(true, 0);
            _socket.Dispose();
        }
        throw new SocketException((int)SocketError.ConnectionReset);
    }

    // Mostly tiny, sometimes up to the whole request: one byte at a time is where framing bugs show.
    private static int ShortSize(Random random, int asked) => random.Next(4) switch
    {
        0 => 1,
        1 => Math.Min(asked, random.Next(1, 16)),
        2 => Math.Min(asked, random.Next(1, 2048)),
        _ => random.Next(1, asked + 1),
    };

    private static Task MaybeDelayAsync(Random random, CancellationToken cancel)
        => random.Next(16) == 0 ? Task.Delay(random.Next(1, 3), cancel) : Task.CompletedTask;
}
