using Sockit.Diagnostics;

namespace Sockit.Cli.Commands;

/// <summary>Seed-style one-line errors as a <see cref="UserError"/> (the wording is <see cref="ErrorText"/>'s).</summary>
internal static class SocketErrorText
{
    /// <summary>Maps an expected failure to a <see cref="UserError"/>; returns null for anything unexpected.</summary>
    public static UserError? ToUserError(Exception error, string role, string defaultCall, string? unixPath = null)
        => ErrorText.Line(error, role, defaultCall, unixPath) is { } line ? new UserError(line) : null;
}
