namespace Sockit.Cli;

/// <summary>
/// A failure meant for the user: printed as one line on stderr and turned into an exit code, never a stack
/// trace. Thrown anywhere below a command, caught once in <see cref="Program"/>.
/// </summary>
internal sealed class UserError(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
