using System.Text;
using Sockit.Relay;

namespace Sockit.Protocols.Broker;

/// <summary>
/// The one loop of a <see cref="BrokerHub"/> that fans messages out and applies joins and leaves, in the order the
/// participants posted them, so every member sees one order of events. Pacing and dropping are <see cref="FanOut"/>'s.
/// </summary>
internal sealed class BrokerLoop(BrokerOptions options)
{
    private readonly TaskCompletionSource _firstJoined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Participant[] _present = [];

    public FanOut FanOut { get; } = new(options.SendQueueLimit, options.DropGrace);

    public BrokerInbox Inbox { get; } = new();

    public ChunkSizes Sizes { get; } = new(Math.Max(1024, options.BufferSize));

    public ChatFormat? Chat => options.Chat;

    /// <summary>Members joined now (a snapshot).</summary>
    public Participant[] Present => Volatile.Read(ref _present);

    /// <summary>Completes when the first member has joined (ncat reads its stdin only from then on).</summary>
    public Task FirstJoined => _firstJoined.Task;

    public async Task RunAsync(CancellationToken stop)
    {
        using CancellationTokenRegistration wake = stop.UnsafeRegister(static s =>
        {
            var loop = (BrokerLoop)s!;
            loop.Inbox.Arrived.Set();
            loop.FanOut.Space.Set();
        }, this);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                while (Inbox.TryTake(out BrokerInbox.Item item))
                {
                    try
                    {
                        await HandleAsync(item, stop).ConfigureAwait(false);
                    }
                    finally
                    {
                        item.Chunk?.Release();
                        item.From.Handled.Set();
                    }
                }
                await Inbox.Arrived.WaitAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            Inbox.Stop();
            FanOut.Dispose();
        }
    }

    private ValueTask HandleAsync(BrokerInbox.Item item, CancellationToken stop) => item.What switch
    {
        BrokerInbox.Kind.Message => FanOut.DeliverAsync(item.Chunk!, item.From.Member, stop),
        BrokerInbox.Kind.Join => JoinAsync(item.From, stop),
        _ => LeaveAsync(item.From, stop),
    };

    private async ValueTask JoinAsync(Participant newcomer, CancellationToken stop)
    {
        Participant[] others = Present;
        FanOut.Join(newcomer.Member!);
        Volatile.Write(ref _present, [.. others, newcomer]);
        _firstJoined.TrySetResult();
        if (Chat is null) return;
        Tell(newcomer.Member!, Chat.Greeting(newcomer, others));
        await SayAsync(Chat.Joined(newcomer, others), except: newcomer.Member, stop).ConfigureAwait(false);
    }

    private async ValueTask LeaveAsync(Participant leaver, CancellationToken stop)
    {
        FanOut.Leave(leaver.Member!);
        leaver.Member!.EndInput();
        Volatile.Write(ref _present, Array.FindAll(Present, p => p != leaver));
        if (Chat is not null) await SayAsync(Chat.Left(leaver), except: null, stop).ConfigureAwait(false);
    }

    // Announcements are per join or leave, never per message: making their text may allocate.
    private void Tell(BroadcastMember member, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        for (int at = 0; at < bytes.Length; at += Sizes.Largest)
        {
            BroadcastChunk chunk = Sizes.Copy(bytes.AsSpan(at, Math.Min(Sizes.Largest, bytes.Length - at)));
            member.Enqueue(chunk);
            chunk.Release();
        }
    }

    private async ValueTask SayAsync(string text, BroadcastMember? except, CancellationToken stop)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        for (int at = 0; at < bytes.Length; at += Sizes.Largest)
        {
            BroadcastChunk chunk = Sizes.Copy(bytes.AsSpan(at, Math.Min(Sizes.Largest, bytes.Length - at)));
            try
            {
                await FanOut.DeliverAsync(chunk, except, stop).ConfigureAwait(false);
            }
            finally
            {
                chunk.Release();
            }
        }
    }
}
