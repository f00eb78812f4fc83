using System.Net.Sockets;
using Sockit.Transports;

namespace Sockit.Diagnostics;

/// <summary>
/// Seed-style one-line errors for expected failures: <c>[Server bind error]: Address already in use</c>. The one
/// place such a line is worded, for the CLI's messages and the library's relay hosts alike.
/// </summary>
public static class ErrorText
{
    /// <summary>The line for an expected failure; <c>null</c> for anything unexpected (a bug, not the user's input).</summary>
    /// <param name="error">What was thrown.</param>
    /// <param name="role">"Server", "Client", "Relay", ...: the first word of the prefix.</param>
    /// <param name="defaultCall">The call to name when the exception does not say which call failed.</param>
    /// <param name="unixPath">The Unix socket path involved, if any, for a precise "no such file" message.</param>
    public static string? Line(Exception error, string role, string defaultCall, string? unixPath = null)
    {
        return error switch
        {
            // Linux says ENOENT for a missing socket file; .NET reports it as "address not available", which
            // would send the user looking in the wrong place.
            SocketException { SocketErrorCode: SocketError.AddressNotAvailable } s when MissingFile(unixPath)
                => $"[{role} {CallOf(s, defaultCall)} error]: {unixPath}: No such file or directory",
            SocketException s when s.SocketErrorCode == SocketError.HostNotFound || FailedCall(s) == "getaddrinfo"
                => $"[{role} resolve error]: {SocketNames.Describe(s.SocketErrorCode)}",
            SocketException s => $"[{role} {CallOf(s, defaultCall)} error]: {SocketNames.Describe(s.SocketErrorCode)}",
            TimeoutException t => $"[{role} {defaultCall} error]: {t.Message}",
            IOException { InnerException: SocketException s } => $"[{role} {CallOf(s, defaultCall)} error]: {SocketNames.Describe(s.SocketErrorCode)}",
            IOException io => $"[{role} {defaultCall} error]: {io.Message}",
            FormatException f => $"[{role} address error]: {f.Message}",
            _ => null,
        };
    }

    /// <summary>
    /// The Berkeley name of the socket call that failed (<c>bind</c>, <c>connect</c>, <c>getaddrinfo</c>, ...) when
    /// <paramref name="error"/> came from one of Sockit's socket calls; <c>null</c> otherwise.
    /// </summary>
    public static string? FailedCall(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Data[SocketCalls.FailedCallKey] as string;
    }

    private static bool MissingFile(string? unixPath)
        => unixPath is not null && !unixPath.StartsWith('@') && !File.Exists(unixPath);

    private static string CallOf(Exception error, string fallback)
        => FailedCall(error) ?? fallback;
}
