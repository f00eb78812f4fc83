using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Transports;

namespace Sockit.Cli.Commands;

/// <summary>Seed-style one-line errors: <c>[Server bind error]: Address already in use</c>.</summary>
internal static class SocketErrorText
{
    /// <summary>Maps an expected failure to a <see cref="UserError"/>; returns null for anything unexpected.</summary>
    public static UserError? ToUserError(Exception error, string role, string defaultCall)
    {
        return error switch
        {
            SocketException s when s.SocketErrorCode == SocketError.HostNotFound || s.Data[SocketCalls.FailedCallKey] as string == "getaddrinfo"
                => new UserError($"[{role} resolve error]: {SocketNames.Describe(s.SocketErrorCode)}"),
            SocketException s => new UserError($"[{role} {CallOf(s, defaultCall)} error]: {SocketNames.Describe(s.SocketErrorCode)}"),
            TimeoutException t => new UserError($"[{role} {defaultCall} error]: {t.Message}"),
            IOException { InnerException: SocketException s } => new UserError($"[{role} {CallOf(s, defaultCall)} error]: {SocketNames.Describe(s.SocketErrorCode)}"),
            IOException io => new UserError($"[{role} {defaultCall} error]: {io.Message}"),
            FormatException f => new UserError($"[{role} address error]: {f.Message}"),
            _ => null,
        };
    }

    private static string CallOf(Exception error, string fallback)
        => error.Data[SocketCalls.FailedCallKey] as string ?? fallback;
}
