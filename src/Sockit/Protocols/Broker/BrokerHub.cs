using Sockit.Protocols.Grumpy;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Protocols.Broker;

/// <summary>
/// Connection brokering (ncat's <c>--broker</c>) and chat (<c>--chat</c>): what each member sends goes to every
/// other member, in one order for all; with a <see cref="ChatFormat"/>, as prefixed lines with join and leave
/// notices. Members are any <see cref="DuplexEnd"/>: TCP, Unix, TLS, or anything else a host accepts.
/// </summary>
/// <remarks>
/// Memory stays bounded however slowly a member reads: each member has its own queue of shared, pooled chunks,
/// charged by their size in memory; one the next message would push past <see cref="BrokerOptions.SendQueueLimit"/>
/// has <see cref="BrokerOptions.DropGrace"/> to catch up and is then dropped (<see cref="RelayEndReason.FellBehind"/>),
/// while the others wait and lose nothing. Fanning out copies and allocates nothing per message; chat prefixes are
/// made once per member. A member's EOF ends its membership (as in ncat); what was queued for it is still sent.
/// </remarks>
/// <example>
/// <code>
/// await using var hub = new BrokerHub(new BrokerOptions { Chat = ChatFormat.Seed });
/// await using var host = StreamHost.Start(new HostOptions { Endpoint = EndpointSpec.Ip(null, 10001) }, hub.Handler);
/// await host.RunAsync(stoppingToken);
/// </code>
/// </example>
public sealed class BrokerHub : IAsyncDisposable
{
    private readonly BrokerOptions _options;
    private readonly BrokerLoop _loop;
    private readonly MemberNumbers _numbers;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly Timer? _idleSweep;

    /// <summary>Starts the hub's fan-out; members join through <see cref="ServeAsync"/>.</summary>
    public BrokerHub(BrokerOptions? options = null)
    {
        _options = options ?? new BrokerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.SendQueueLimit, 1, nameof(options));
        _loop = new BrokerLoop(_options);
        _numbers = new MemberNumbers(_options.FirstNumber);
        _running = Task.Run(() => _loop.RunAsync(_stop.Token));
        if (_options.IdleTimeout is { } idle)
        {
            TimeSpan every = TimeSpan.FromMilliseconds(Math.Clamp(idle.TotalMilliseconds / 4, 10, 1000));
            _idleSweep = new Timer(static s => ((BrokerHub)s!).SweepIdle(), this, every, every);
        }
    }

    /// <summary>Members now.</summary>
    public int Count => _loop.Present.Length;

    /// <summary>The hub as a <see cref="Hosting.StreamHost"/> handler: every accepted connection is a member.</summary>
    public ConnectionHandler Handler => CreateHandler(log: null);

    /// <summary>
    /// The hub as a <see cref="Hosting.StreamHost"/> handler that logs <c>RECEIVED CONNECTION FROM ...</c> when a member
    /// joins and, when it leaves, what it sent and received and why it ended (never a line per message).
    /// </summary>
    public ConnectionHandler CreateHandler(Action<string>? log) => async (connection, abort) =>
    {
        log?.Invoke(GrumpyText.Received(connection.Name));
        RelayResult result = await ServeAsync(connection, abort).ConfigureAwait(false);
        log?.Invoke(RelayText.Summary(connection.Name, result));
    };

    /// <summary>
    /// Serves <paramref name="connection"/> as a member until its input ends (EOF, reset), it is dropped for falling
    /// behind or for idling, or <paramref name="cancel"/>. Returns bytes sent to it (A to B) and received from it.
    /// </summary>
    public async Task<RelayResult> ServeAsync(DuplexEnd connection, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancel, _stop.Token);
        using var member = new BroadcastMember(connection, _loop.FanOut.Space, stopping.Token);
        var me = new Participant(connection, _numbers.Take(), member);
        Task sending = member.SendLoopAsync(shutdownAtInputEnd: true);
        (RelayEndReason reason, Exception? error) = (RelayEndReason.Cancelled, null);
        try
        {
            if (await PostAndWaitAsync(me, BrokerInbox.Kind.Join).ConfigureAwait(false))
                (reason, error) = await BrokerReader.RunAsync(_loop, me, member.Stopping).ConfigureAwait(false);
        }
        finally
        {
            if (!await PostAndWaitAsync(me, BrokerInbox.Kind.Leave).ConfigureAwait(false))
            {
                _loop.FanOut.Leave(member);
                member.Close();
            }
            _numbers.Release(me.Number);
            await FlushAsync(member, sending).ConfigureAwait(false);
        }
        long received = Volatile.Read(ref me.Received);
        if (member.Dropped) return new RelayResult(member.Sent, received, RelayEndReason.FellBehind);
        if (me.IdleExpired) return new RelayResult(member.Sent, received, RelayEndReason.IdleTimeout);
        if (member.SendError is { } failed && reason is RelayEndReason.Cancelled or RelayEndReason.BothEof)
            return new RelayResult(member.Sent, received, RelayErrors.Classify(failed, reading: false), failed);
        return new RelayResult(member.Sent, received, reason, error);
    }

    /// <summary>
    /// Reads <paramref name="input"/> (stdin under <c>sockit nc --broker</c>) from the first member's arrival until its
    /// EOF, and sends it to every member, as ncat's broker does with its stdin (<c>&lt;user0&gt;</c> in chat). It
    /// receives nothing. Returns bytes read from it (B to A).
    /// </summary>
    public async Task<RelayResult> ServeInputAsync(DuplexEnd input, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancel, _stop.Token);
        var me = new Participant(input, 0, member: null);
        try
        {
            await _loop.FirstJoined.WaitAsync(stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new RelayResult(0, 0, RelayEndReason.Cancelled);
        }
        (RelayEndReason reason, Exception? error) = await BrokerReader.RunAsync(_loop, me, stopping.Token).ConfigureAwait(false);
        return new RelayResult(0, Volatile.Read(ref me.Received), reason, error);
    }

    /// <summary>Stops the fan-out; members still served end as cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_idleSweep is not null) await _idleSweep.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task<bool> PostAndWaitAsync(Participant me, BrokerInbox.Kind what)
    {
        if (!_loop.Inbox.Post(new BrokerInbox.Item(what, me, null))) return false;
        await me.Handled.WaitAsync().ConfigureAwait(false);
        return true;
    }

    // What was queued before the member's input ended is still its to receive, within the flush timeout.
    private async Task FlushAsync(BroadcastMember member, Task sending)
    {
        if (!sending.IsCompleted && !member.Closed)
        {
            using var timeout = new CancellationTokenSource(_options.FlushTimeout);
            try
            {
                await sending.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        member.Close();
        await sending.ConfigureAwait(false);
    }

    private void SweepIdle()
    {
        long now = Environment.TickCount64;
        long idleMs = (long)_options.IdleTimeout!.Value.TotalMilliseconds;
        foreach (Participant p in _loop.Present) p.CheckIdle(now, idleMs);
    }
}
