using System.Globalization;
using System.Runtime.Versioning;
using Sockit.Transports.Linux;

namespace Sockit.Relay.Splice;

/// <summary>
/// One direction moved by splice(2) through a pipe of its own: socket (or pipe, or file) into the pipe, pipe into
/// the sink, never through user space. Used when neither end is decorated (nothing needs to see the bytes) and
/// <c>SOCKIT_SPLICE</c> is not <c>0</c>; the direction switches to it after its first full read, as HAProxy's
/// splice-auto does, so a short exchange never pays for a pipe. Every call is non-blocking; an EAGAIN waits on
/// the <see cref="SpliceReactor"/>, never spins. What ends it and how is what <see cref="DirectionPump"/>'s
/// portable loop reports: EOF, a reset, a read or write error, a cancellation.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class SpliceRoute
{
    /// <summary>False when the environment sets <c>SOCKIT_SPLICE=0</c>: every relay then copies through user space.</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("SOCKIT_SPLICE") != "0";

    private readonly SpliceableFile _source, _sink;
    private readonly int _pipeSize;
    private long _sourceOffset, _sinkOffset;

    private SpliceRoute(SpliceableFile source, SpliceableFile sink, int pipeSize)
    {
        _source = source;
        _sink = sink;
        _pipeSize = pipeSize;
    }

    /// <summary>The route from <paramref name="source"/> to <paramref name="sink"/> when both can splice (one at least a socket); else null.</summary>
    public static SpliceRoute? For(DuplexEnd source, DuplexEnd sink, int bufferSize)
    {
        if (!Enabled || source.SpliceSource is not { } from || sink.SpliceSink is not { } to) return null;
        if (from.Kind != SpliceKind.Socket && to.Kind != SpliceKind.Socket) return null;
        return new SpliceRoute(from, to, bufferSize);
    }

    /// <summary>
    /// Moves bytes until the source's EOF (an outcome that <see cref="DirectionOutcome.ReachedEof"/>; the caller
    /// half-closes), a failure or <paramref name="cancel"/>. Null when splice(2) refuses these descriptors before
    /// a byte moved: the caller goes on with the portable loop.
    /// </summary>
    public async Task<DirectionOutcome?> RunAsync(DirectionPump pump, ActivityClock clock, CancellationToken cancel)
    {
        int readFd, writeFd, capacity;
        try
        {
            capacity = SpliceCalls.OpenPipe(_pipeSize, out readFd, out writeFd);
        }
        catch (IOException)
        {
            return null; // out of descriptors: the portable loop needs none
        }
        bool sourceEntered = false, sinkEntered = false;
        try
        {
            _source.Enter(reading: true);
            sourceEntered = true;
            _sink.Enter(reading: false);
            sinkEntered = true;
            (_sourceOffset, _sinkOffset) = (_source.Position, _sink.Position);
            // A cancellation (idle timeout, the other direction's failure, SIGTERM) wakes a waiting direction.
            using CancellationTokenRegistration wake = cancel.UnsafeRegister(static state => ((SpliceRoute)state!).WakeAll(), this);
            bool moved = false;
            while (true)
            {
                if (cancel.IsCancellationRequested) return new(pump.Bytes, RelayEndReason.Cancelled);
                int seen = _source.Readiness?.Readable.Sequence ?? 0;
                long n = Fill(writeFd, capacity, out int errno);
                if (n == 0) return new(pump.Bytes, RelayEndReason.BothEof);
                if (n < 0)
                {
                    if (errno == LinuxSockets.EINTR) continue;
                    if (errno == LinuxSockets.EAGAIN && _source.Readiness is { } readiness)
                    {
                        await readiness.Readable.WaitAsync(seen, cancel).ConfigureAwait(false);
                        continue;
                    }
                    if (errno == LinuxSockets.EINVAL && !moved) return null;
                    Exception e = _source.Failure(errno);
                    return new(pump.Bytes, RelayErrors.Classify(e, reading: true), e);
                }
                clock.Touch();
                // Drain the pipe completely before the next fill: the portable loop's "write all of it".
                while (n > 0)
                {
                    if (cancel.IsCancellationRequested) return new(pump.Bytes, RelayEndReason.Cancelled);
                    seen = _sink.Readiness?.Writable.Sequence ?? 0;
                    long m = Drain(readFd, n, out errno);
                    if (m > 0)
                    {
                        n -= m;
                        moved = true;
                        pump.Add(m);
                        clock.Touch();
                        continue;
                    }
                    if (errno == LinuxSockets.EINTR) continue;
                    if (errno == LinuxSockets.EAGAIN && _sink.Readiness is { } readiness)
                    {
                        await readiness.Writable.WaitAsync(seen, cancel).ConfigureAwait(false);
                        continue;
                    }
                    Exception e = _sink.Failure(m == 0 ? 32 : errno); // 0 from a sink: it is gone (EPIPE)
                    return new(pump.Bytes, RelayErrors.Classify(e, reading: false), e);
                }
            }
        }
        catch (IOException)
        {
            return null; // the reactor would not watch these descriptors; nothing has moved
        }
        finally
        {
            if (sinkEntered) _sink.Leave(_sinkOffset, reading: false);
            if (sourceEntered) _source.Leave(_sourceOffset, reading: true);
            _ = LinuxSockets.Close(readFd);
            _ = LinuxSockets.Close(writeFd);
        }
    }

    private void WakeAll()
    {
        _source.Readiness?.Readable.Wake();
        _sink.Readiness?.Writable.Wake();
    }

    private long Fill(int pipe, int capacity, out int errno)
    {
        long n = SpliceCalls.Splice(_source.Fd, ref _sourceOffset, _source.UsesOffset, pipe, ref _sinkOffset, false, capacity, out errno);
        _source.Trace?.Invoke(Line(_source.Fd, pipe, capacity, n, errno));
        return n;
    }

    private long Drain(int pipe, long length, out int errno)
    {
        long n = SpliceCalls.Splice(pipe, ref _sourceOffset, false, _sink.Fd, ref _sinkOffset, _sink.UsesOffset, length, out errno);
        _sink.Trace?.Invoke(Line(pipe, _sink.Fd, length, n, errno));
        return n;
    }

    private static string Line(int from, int to, long length, long n, int errno)
        => string.Create(CultureInfo.InvariantCulture, $"splice({from}, NULL, {to}, NULL, {length}, SPLICE_F_MOVE|SPLICE_F_NONBLOCK) = {(n >= 0 ? n.ToString(CultureInfo.InvariantCulture) : "-1 " + ErrnoName(errno))}");

    private static string ErrnoName(int errno) => errno switch
    {
        LinuxSockets.EAGAIN => "EAGAIN",
        LinuxSockets.EINTR => "EINTR",
        LinuxSockets.EINVAL => "EINVAL",
        32 => "EPIPE",
        104 => "ECONNRESET",
        _ => "errno " + errno.ToString(CultureInfo.InvariantCulture),
    };
}
