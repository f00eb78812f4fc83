namespace Sockit.Cli;

/// <summary>
/// Process exit codes, the same for every command (docs/exit-codes.md lists what each command returns when; a
/// test keeps that table equal to these constants). The seed exits with EXIT_FAILURE (1) for every error; so do we.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The work was done; servers also exit 0 when Ctrl-C or SIGTERM stops them (that is how they end).</summary>
    public const int Success = 0;

    /// <summary>Anything went wrong (a bad command line, a refused connection, no reply): one line on stderr says what.</summary>
    public const int Failure = 1;

    /// <summary>Ctrl-C or SIGTERM cut a cat/nc stream relay short, so not everything may have moved: 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Every code with its meaning in one line, for the man page's EXIT STATUS.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> Meanings { get; } =
    [
        (Success, "Success; a server stopped by Ctrl-C or SIGTERM also exits 0."),
        (Failure, "Failure: a bad command line, a refused or failed connection, no reply, a checksum mismatch; one line on stderr says what."),
        (Interrupted, "A cat or nc stream relay was interrupted by Ctrl-C or SIGTERM before both directions ended."),
    ];
}
