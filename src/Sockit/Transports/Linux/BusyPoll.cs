using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;

namespace Sockit.Transports.Linux;

/// <summary>
/// The <see cref="EventLoop"/>'s <c>epoll_wait</c> with a bounded spin in front: after a turn that handled events,
/// it polls without sleeping (timeout 0) for up to the budget before it sleeps, so a client that answers within the
/// budget (a ping-pong) is served without the sleep and wake-up in between, at the CPU of the polls.
/// </summary>
/// <remarks>
/// Adaptive, so that an idle or slow-paced server pays nothing: a spin that expires empty switches spinning off,
/// and only a blocking wait that returns with events within the budget (a peer that a spin would have caught)
/// switches it on again. A spin also ends at the loop's next timer (its timeout) and at any event, the stop signal
/// (the eventfd) included, so stop, grace and timers behave as without it.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class BusyPoll
{
    /// <summary>Overrides the protocol's default budget (microseconds; 0 never spins) when no <see cref="Hosting.HostOptions.BusyPoll"/> is set: for benchmarks.</summary>
    public const string Variable = "SOCKIT_BUSY_POLL_US";

    private readonly long _budget; // Stopwatch ticks; 0 = never spin
    private bool _worked, _cold;

    public BusyPoll(TimeSpan budget) => _budget = (long)Math.Min(long.MaxValue / 2.0, Math.Max(0, budget.TotalSeconds) * Stopwatch.Frequency);

    /// <summary>The budget that applies: <paramref name="chosen"/> when set, else <see cref="Variable"/> when it parses, else the protocol's default.</summary>
    public static TimeSpan Budget(TimeSpan? chosen, TimeSpan protocolDefault)
        => chosen ?? (long.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out long us)
            ? TimeSpan.FromMicroseconds(us) : protocolDefault);

    /// <summary><c>epoll_wait</c> for up to <paramref name="timeoutMs"/> (-1: no timeout), spinning first when the last turn did work.</summary>
    public int Wait(int epoll, byte[] events, int timeoutMs)
    {
        if (_budget > 0 && _worked && !_cold && timeoutMs != 0)
        {
            long start = Stopwatch.GetTimestamp();
            long end = start + (timeoutMs < 0 ? _budget : Math.Min(_budget, timeoutMs * Stopwatch.Frequency / 1000));
            int n;
            do n = LinuxSockets.Wait(epoll, events, 0);
            while (n == 0 && Stopwatch.GetTimestamp() < end);
            if (n != 0) return n;
            _cold = true; // nothing came within the budget: sleep from now on, until a sleep is short again
            _worked = false;
            return 0; // the loop's turn then expires what is due and comes back with a fresh timeout
        }
        long before = _cold ? Stopwatch.GetTimestamp() : 0;
        int got = LinuxSockets.Wait(epoll, events, timeoutMs);
        _worked = got > 0;
        if (_cold && _worked && Stopwatch.GetTimestamp() - before <= _budget) _cold = false;
        return got;
    }
}
