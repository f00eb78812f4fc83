using System.Diagnostics;

namespace Sockit.Protocols.Grumpy;

/// <summary>
/// The two limits on reading one message, on one token source: a deadline for the whole message (a client
/// trickling a byte at a time cannot hold its connection past it: the slowloris defence) and, optionally, a
/// limit on silence between bytes. Before each read <see cref="Arm"/> sets the source to whichever comes first
/// and says which, so one timer serves both and nothing is allocated per read.
/// </summary>
internal readonly struct MessageTimer
{
    private readonly CancellationTokenSource _source;
    private readonly long _startedAt;
    private readonly TimeSpan _deadline;
    private readonly TimeSpan? _idle;

    /// <summary>Starts the clock; without an idle limit the deadline is armed here, once.</summary>
    public MessageTimer(CancellationTokenSource source, TimeSpan deadline, TimeSpan? idle)
    {
        _source = source;
        _startedAt = Stopwatch.GetTimestamp();
        _deadline = deadline;
        _idle = idle is { } i && i < deadline ? i : null;
        if (_idle is null) source.CancelAfter(deadline);
    }

    /// <summary>Cancelled when the armed limit passes.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Arms the source for the next read; returns the end to report if it fires.</summary>
    public MessageEnd Arm()
    {
        if (_idle is not { } idle) return MessageEnd.TimedOut;
        TimeSpan left = _deadline - Stopwatch.GetElapsedTime(_startedAt);
        if (left <= idle)
        {
            _source.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            return MessageEnd.TimedOut;
        }
        _source.CancelAfter(idle);
        return MessageEnd.Silent;
    }
}
