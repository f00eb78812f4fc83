using System.Globalization;

namespace Sockit.Relay;

/// <summary>How an <see cref="ExecEnd"/>'s program ended.</summary>
/// <param name="ExitCode">
/// The exit status as a shell reports it: the program's own status, or 128 + N when signal N ended it.
/// </param>
/// <param name="Signal">The signal that ended it, when it was one we sent (SIGTERM 15, SIGKILL 9); otherwise <c>null</c>.</param>
public readonly record struct ExecExit(int ExitCode, int? Signal)
{
    /// <summary><c>exited with status 0</c> or <c>killed by signal 15</c>, for logs.</summary>
    public override string ToString() => Signal is { } signal
        ? "killed by signal " + signal.ToString(CultureInfo.InvariantCulture)
        : "exited with status " + ExitCode.ToString(CultureInfo.InvariantCulture);
}
