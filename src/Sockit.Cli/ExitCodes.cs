namespace Sockit.Cli;

/// <summary>Process exit codes. The seed exits with EXIT_FAILURE (1) for every error; so do we.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
}
