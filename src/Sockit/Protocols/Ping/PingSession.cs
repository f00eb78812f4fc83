using System.Diagnostics;
using System.Net;
using Sockit.Transports;

namespace Sockit.Protocols.Ping;

/// <summary>
/// One ping run on an open ICMP socket: a send loop paced by the interval, a receive loop matching replies
/// to outstanding requests, and per-request deadlines. Replies are matched by identifier and sequence on a
/// raw socket; a ping socket rewrites the identifier (the kernel uses its own), so there sequence alone.
/// </summary>
internal sealed class PingSession(PingOptions options, IcmpChannel channel, IPEndPoint target, Action<string> log)
{
    private readonly ushort _identifier = (ushort)Environment.ProcessId;
    private readonly Lock _gate = new();
    private readonly Dictionary<ushort, (int Sequence, long SentAt)> _outstanding = [];
    private readonly List<double> _roundTrips = [];
    private readonly SemaphoreSlim _replied = new(0);
    private int _transmitted;
    private Exception? _receiveError;

    public async Task<PingStatistics> RunAsync(CancellationToken cancel)
    {
        using var stopReceiving = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task receiving = ReceiveLoopAsync(stopReceiving.Token);
        try
        {
            await SendLoopAsync(cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Ctrl-C: stop and report what we have, as ping does.
        }
        finally
        {
            await stopReceiving.CancelAsync().ConfigureAwait(false);
            try
            {
                await receiving.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            _replied.Dispose();
        }
        lock (_gate)
        {
            var statistics = new PingStatistics(options.Host, _transmitted, _roundTrips.Count, _roundTrips.ToArray());
            foreach (string line in statistics.SummaryLines()) log(line);
            return statistics;
        }
    }

    private async Task SendLoopAsync(CancellationToken cancel)
    {
        long interval = Ticks(options.Interval), timeout = Ticks(options.Timeout);
        long nextSend = Stopwatch.GetTimestamp();
        int sequence = 0;
        while (true)
        {
            if (Volatile.Read(ref _receiveError) is { } error) throw error;
            long now = Stopwatch.GetTimestamp();
            long? nextDeadline = ExpireOverdue(now, timeout);
            bool moreToSend = options.Count == 0 || sequence < options.Count;
            if (moreToSend && now >= nextSend)
            {
                await SendAsync(++sequence, cancel).ConfigureAwait(false);
                nextSend += interval;
                continue;
            }
            if (!moreToSend && nextDeadline is null) return;
            long wakeAt = Math.Min(moreToSend ? nextSend : long.MaxValue, nextDeadline ?? long.MaxValue);
            // A reply wakes us early, so the last one ends the run without waiting out its deadline.
            await _replied.WaitAsync(Stopwatch.GetElapsedTime(now, Math.Max(now, wakeAt)), cancel).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(int sequence, CancellationToken cancel)
    {
        byte[] request = IcmpEcho.Request(channel.IsIPv6, _identifier, (ushort)sequence, options.PayloadBytes);
        lock (_gate)
        {
            _outstanding[(ushort)sequence] = (sequence, Stopwatch.GetTimestamp());
            _transmitted++;
        }
        await channel.SendAsync(request, target, cancel).ConfigureAwait(false);
    }

    /// <summary>Reports requests whose time is up and forgets them; returns the earliest deadline still open.</summary>
    private long? ExpireOverdue(long now, long timeout)
    {
        List<int>? expired = null;
        long? earliest = null;
        lock (_gate)
        {
            foreach (var (key, (sequence, sentAt)) in _outstanding)
            {
                long deadline = sentAt + timeout;
                if (deadline <= now)
                {
                    (expired ??= []).Add(sequence);
                    _outstanding.Remove(key);
                }
                else if (earliest is null || deadline < earliest)
                {
                    earliest = deadline;
                }
            }
        }
        if (expired is not null)
            foreach (int sequence in expired.Order()) log(PingText.Timeout(sequence));
        return earliest;
    }

    private async Task ReceiveLoopAsync(CancellationToken stop)
    {
        byte[] buffer = new byte[65536];
        try
        {
            while (true)
            {
                (int length, IPAddress? from) = await channel.ReceiveAsync(buffer, stop).ConfigureAwait(false);
                long arrived = Stopwatch.GetTimestamp();
                if (!IcmpEcho.TryParseReply(buffer.AsSpan(0, length), channel.IsIPv6, channel.ReceivesIpHeader, out IcmpEchoReply reply))
                    continue;
                if (!channel.KernelOwnsIdentifier && reply.Identifier != _identifier) continue; // another ping process's reply
                if (from is not null && !from.Equals(target.Address)) continue;
                Accept(reply, arrived);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Volatile.Write(ref _receiveError, e);
            _replied.Release();
        }
    }

    private void Accept(IcmpEchoReply reply, long arrived)
    {
        double ms;
        lock (_gate)
        {
            if (!_outstanding.Remove(reply.Sequence, out var request)) return; // late or duplicate
            ms = Stopwatch.GetElapsedTime(request.SentAt, arrived).TotalMilliseconds;
            _roundTrips.Add(ms);
            log(PingText.Reply(target.Address, reply, ms));
        }
        _replied.Release();
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
