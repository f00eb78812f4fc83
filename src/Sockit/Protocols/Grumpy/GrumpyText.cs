namespace Sockit.Protocols.Grumpy;

/// <summary>The seed's words: what the grumpy server and its client say and print.</summary>
internal static class GrumpyText
{
    /// <summary>The server's one reply (a newline is added on the wire).</summary>
    public const string Reply = "I'm a grumpy server, don't connect, I don't want no friends!";

    /// <summary>The client's one request (a newline is added on the wire).</summary>
    public const string Hello = "Hello server, would you like to chat?";

    /// <summary><c>SERVER AT 0.0.0.0:10001 LISTENING FOR CONNECTIONS</c></summary>
    public static string Listening(string where) => $"SERVER AT {where} LISTENING FOR CONNECTIONS";

    /// <summary><c>RECEIVED CONNECTION FROM 127.0.0.1:57257</c></summary>
    public static string Received(string peer) => $"RECEIVED CONNECTION FROM {peer}";

    /// <summary><c>127.0.0.1 said: Hello server, would you like to chat?</c></summary>
    public static string Said(string host, string message) => $"{host} said: {message}";

    /// <summary>
    /// <see cref="Said(string, string)"/> of <see cref="MessageText.ForLog"/>, built in one go for the common short
    /// printable-ASCII line (no intermediate message string); anything else takes the general path.
    /// </summary>
    public static string Said(string host, ReadOnlySpan<byte> message)
    {
        const string said = " said: ";
        ReadOnlySpan<byte> text = MessageText.TrimLineEnding(message);
        int length = host.Length + said.Length + text.Length;
        if (length > 512 || text.IndexOfAnyExceptInRange((byte)' ', (byte)'~') >= 0)
            return Said(host, MessageText.ForLog(message));
        Span<char> line = stackalloc char[length];
        host.CopyTo(line);
        said.CopyTo(line[host.Length..]);
        System.Text.Encoding.ASCII.GetChars(text, line[(host.Length + said.Length)..]);
        return new string(line);
    }

    /// <summary><c>CLIENT CONNECTED TO SERVER AT 127.0.0.1:10001</c> (the server as the user typed it).</summary>
    public static string Connected(string where) => $"CLIENT CONNECTED TO SERVER AT {where}";

    /// <summary>Logged when a message reached the size limit and the rest was not read.</summary>
    public static string Cut(string peer, int limit) => $"MESSAGE FROM {peer} CUT AT {limit} BYTES";

    /// <summary>Logged when a client went quiet for the idle timeout (the grumpy server answers it first, echo does not).</summary>
    public static string Idle(string peer, TimeSpan after, bool answered)
        => $"TIMED OUT WAITING FOR {peer}: IDLE FOR {Seconds(after)}; {(answered ? "ANSWERED AND DROPPED" : "DROPPED")}";

    /// <summary>Logged when a client said no complete message within the message deadline.</summary>
    public static string TimedOut(string peer, TimeSpan after) => $"TIMED OUT WAITING FOR {peer} AFTER {Seconds(after)}; ANSWERED AND DROPPED";

    /// <summary>Logged when a client sent more after its message line; those bytes are not answered.</summary>
    public static string Ignored(string peer, long bytes) => $"IGNORED {bytes} BYTES FROM {peer} AFTER ITS MESSAGE";

    /// <summary>A client refused by --allow/--deny, closed before anything was read.</summary>
    public static string Refused(System.Net.EndPoint peer, Access.AccessDecision decision)
        => $"REFUSED CONNECTION FROM {Diagnostics.SocketNames.EndPoint(peer)}: {decision.Reason}";

    /// <summary>A datagram dropped by --allow/--deny, unanswered.</summary>
    public static string DatagramRefused(System.Net.EndPoint peer, Access.AccessDecision decision)
        => $"DROPPED DATAGRAM FROM {Diagnostics.SocketNames.EndPoint(peer)}: {decision.Reason}";

    /// <summary>Logged when one client's exchange fails; the server keeps serving.</summary>
    public static string Failed(string peer, string why) => $"CONNECTION FROM {peer} FAILED: {why}";

    /// <summary><c>SERVER AT 0.0.0.0:10001 LISTENING FOR DATAGRAMS</c> (the grumpy server over UDP or Unix SOCK_DGRAM).</summary>
    public static string ListeningForDatagrams(string where) => $"SERVER AT {where} LISTENING FOR DATAGRAMS";

    /// <summary><c>RECEIVED DATAGRAM FROM 127.0.0.1:57257</c></summary>
    public static string ReceivedDatagram(string peer) => $"RECEIVED DATAGRAM FROM {peer}";

    /// <summary>Logged when a datagram was longer than the size limit; the kernel dropped the rest.</summary>
    public static string DatagramCut(string peer, int limit) => $"DATAGRAM FROM {peer} CUT AT {limit} BYTES";

    /// <summary>Logged for a Unix datagram sender that never bound an address: no answer can reach it.</summary>
    public static string Unanswerable(string peer) => $"CANNOT ANSWER {peer}: THE SENDER HAS NO ADDRESS (BIND THE CLIENT SOCKET)";

    /// <summary>Logged when sending the answer to one datagram fails; the server keeps serving.</summary>
    public static string ReplyFailed(string peer, string why) => $"REPLY TO {peer} FAILED: {why}";

    /// <summary>Logged at most once a second (and at shutdown) while datagrams arrive faster than they are answered.</summary>
    public static string DatagramsDropped(long count, int inFlight) => $"DROPPED {count} DATAGRAMS: {inFlight} ALREADY IN FLIGHT";

    /// <summary>Logged when the server has stopped accepting and every exchange has ended.</summary>
    public const string Stopped = "SERVER STOPPED";

    private static string Seconds(TimeSpan span)
        => span.TotalSeconds >= 1 && span.TotalSeconds == Math.Floor(span.TotalSeconds)
            ? $"{span.TotalSeconds:0} s"
            : $"{span.TotalMilliseconds:0} ms";
}
