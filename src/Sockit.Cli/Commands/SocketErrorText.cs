using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Transports;

namespace Sockit.Cli.Commands;

/// <summary>Seed-style one-line errors: <c>[Server bind error]: Address already in use</c>.</summary>
internal static class SocketErrorText
{
    /// <summary>Maps an expected failure to a <see cref="UserError"/>; returns null for anything unexpected.</summary>
    /// <param name="error">What was thrown.</param>
    /// <param name="role">"Server", "Client", ...: the first word of the seed-style prefix.</param>
    /// <param name="defaultCall">The call to name when the exception does not say which call failed.</param>
    /// <param name="unixPath">The Unix socket path involved, if any, for a precise "no such file" message.</param>
    public static UserError? ToUserError(Exception error, string role, string defaultCall, string? unixPath = null)
    {
        return error switch
        {
            // Linux says ENOENT for a missing socket file; .NET reports it as "address not available", which
            // would send the user looking in the wrong place.
            SocketException { SocketErrorCode: SocketError.AddressNotAvailable } s when MissingFile(unixPath)
                => new UserError($"[{role} {CallOf(s, defaultCall)} error]: {unixPath}: No such file or directory"),
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

    private static bool MissingFile(string? unixPath)
        => unixPath is not null && !unixPath.StartsWith('@') && !File.Exists(unixPath);

    private static string CallOf(Exception error, string fallback)
        => error.Data[SocketCalls.FailedCallKey] as string ?? fallback;
}
