using System.Runtime.Versioning;
using Sockit.Transports.Linux;
using static Sockit.Transports.Linux.LinuxSockets;

namespace Sockit.Protocols.Grumpy;

/// <summary>
/// The grumpy exchange on the Linux <see cref="EventLoop"/>: read the message (into the loop's buffer when it
/// comes in one read, which is the rule), log it, send the reply, half-close, linger until the client closes.
/// The message deadline, the idle limit and the linger are three timer lists. What the clients and the log see
/// is the portable path's (<see cref="GrumpyServer"/>).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class GrumpyLoopProtocol : LoopProtocol
{
    private static readonly long LingerMs = EventLoop.Milliseconds(GrumpyServer.LingerLimit);

    private readonly GrumpyServerOptions _options;
    private readonly byte[] _reply;
    private readonly long _timeoutMs;
    private readonly long _idleMs;
    private readonly DueList _deadlines, _idles, _lingers;

    public GrumpyLoopProtocol(GrumpyServerOptions options, byte[] reply) : base(options.Log)
    {
        _options = options;
        _reply = reply;
        _timeoutMs = EventLoop.Milliseconds(options.MessageTimeout);
        _idleMs = options.IdleTimeout is { } idle && idle < options.MessageTimeout ? EventLoop.Milliseconds(idle) : -1;
        _deadlines = new DueList(GiveUp);
        _idles = new DueList(GiveUp);
        _lingers = new DueList(c => EndLinger((GrumpyConnection)c));
        Timers = [_deadlines, _idles, _lingers];
    }

    public override IReadOnlyList<DueList> Timers { get; }

    public override LoopConnection NewConnection() => new GrumpyConnection();

    public override void Opened(LoopConnection connection)
    {
        var c = (GrumpyConnection)connection;
        long now = Environment.TickCount64;
        _deadlines.Append(c.Deadline, now + _timeoutMs);
        if (_idleMs >= 0) _idles.Append(c.Idle, now + _idleMs);
        ReadMessage(c); // the hello often arrived with the handshake: read before waiting
    }

    public override void Ready(LoopConnection connection)
    {
        var c = (GrumpyConnection)connection;
        switch (c.Stage)
        {
            case GrumpyStage.Reading: ReadMessage(c); break;
            case GrumpyStage.Sending: SendReply(c); break;
            default: Linger(c); break;
        }
    }

    private void ReadMessage(GrumpyConnection c)
    {
        int limit = _options.MaxMessageBytes;
        byte[] scratch = Loop.Scratch;
        while (true)
        {
            byte[]? buffer = c.Buffer;
            Span<byte> into = buffer is null ? scratch.AsSpan(0, Math.Min(limit, scratch.Length)) : buffer.AsSpan(c.Filled, limit - c.Filled);
            int n = Loop.Receive(c, into);
            if (n < 0) return; // waits for more, or failed
            if (n == 0)
            {
                Answer(c, buffer is null ? default : buffer.AsSpan(0, c.Filled), new MessageRead(c.Filled, 0, MessageEnd.PeerClosed));
                return;
            }
            int newline = into[..n].IndexOf((byte)'\n');
            int before = c.Filled;
            c.Filled += n;
            ReadOnlySpan<byte> filled = buffer is null ? into[..n] : buffer.AsSpan(0, c.Filled);
            if (newline >= 0)
            {
                int length = before + newline + 1;
                Answer(c, filled[..length], new MessageRead(length, c.Filled - length, MessageEnd.Newline));
                return;
            }
            if (c.Filled == limit)
            {
                Answer(c, filled, new MessageRead(c.Filled, 0, MessageEnd.Limit));
                return;
            }
            if (buffer is null) into[..n].CopyTo(c.RentBuffer(limit)); // more reads to come: from here on the message needs a buffer of its own
            if (_idleMs >= 0) _idles.Append(c.Idle, Environment.TickCount64 + _idleMs);
        }
    }

    // The message deadline or the idle limit passed: answer with what arrived, as the portable path does.
    private void GiveUp(LoopConnection connection)
    {
        var c = (GrumpyConnection)connection;
        MessageEnd end = _idleMs < 0 || c.Deadline.Due <= c.Idle.Due ? MessageEnd.TimedOut : MessageEnd.Silent;
        Answer(c, c.Buffer is { } b ? b.AsSpan(0, c.Filled) : default, new MessageRead(c.Filled, 0, end));
    }

    private void Answer(GrumpyConnection c, ReadOnlySpan<byte> message, MessageRead read)
    {
        DueList.Remove(c.Deadline);
        DueList.Remove(c.Idle);
        c.Read = read;
        if (Log is { } log) GrumpyServer.LogMessage(log, _options, c.Name, c.PeerHost, message, read);
        c.ReturnBuffer();
        c.Stage = GrumpyStage.Sending;
        SendReply(c);
    }

    private void SendReply(GrumpyConnection c)
    {
        int n = Loop.Send(c, _reply.AsSpan(c.Sent));
        if (n < 0) return; // failed
        c.Sent += n;
        if (c.Sent < _reply.Length) return; // waits for room
        _ = Shutdown(c.Fd, ShutWrite);
        if (c.Read.End is not (MessageEnd.Newline or MessageEnd.Limit))
        {
            Loop.Finish(c);
            return;
        }
        // Read and discard until the client closes, for at most the linger limit (see GrumpyServer.LingerLimit).
        c.Stage = GrumpyStage.Lingering;
        _lingers.Append(c.Deadline, Environment.TickCount64 + LingerMs);
        Loop.Watch(c, EpollIn);
    }

    private void Linger(GrumpyConnection c)
    {
        byte[] scratch = Loop.Scratch;
        while (true)
        {
            int n = Receive(c.Fd, scratch);
            if (n > 0)
            {
                c.Unread += n;
                continue;
            }
            if (n < 0 && Errno == EINTR) continue;
            if (n < 0 && Errno == EAGAIN) return;
            EndLinger(c); // closed, or reset after reading the reply: nothing more to do
            return;
        }
    }

    private void EndLinger(GrumpyConnection c)
    {
        if (Log is { } log && c.Read.End == MessageEnd.Newline && c.Read.Extra + c.Unread > 0)
            log(GrumpyText.Ignored(c.Name, c.Read.Extra + c.Unread));
        Loop.Finish(c);
    }
}
