using System.Net;
using Sockit.Diagnostics;

namespace Sockit.Access;

/// <summary>The log lines of a refusal, the same on every listener.</summary>
public static class AccessText
{
    /// <summary><c>Connection from 127.0.0.1:40000 refused: denied by --deny 127.0.0.1</c>.</summary>
    public static string Refused(EndPoint peer, AccessDecision decision) => $"Connection from {SocketNames.EndPoint(peer)} refused: {decision.Reason}";

    /// <summary><c>Datagram from 127.0.0.1:40000 dropped: denied by --deny 127.0.0.1</c>.</summary>
    public static string Dropped(EndPoint peer, AccessDecision decision) => $"Datagram from {SocketNames.EndPoint(peer)} dropped: {decision.Reason}";

    /// <summary>The refusal callback a listener uses: the caller's own, else a <see cref="Refused"/> line to <paramref name="log"/>, else none.</summary>
    internal static Action<EndPoint, AccessDecision>? RefusalLog(Action<EndPoint, AccessDecision>? given, Action<string>? log) =>
        given ?? (log is null ? null : (peer, decision) => log(Refused(peer, decision)));
}
