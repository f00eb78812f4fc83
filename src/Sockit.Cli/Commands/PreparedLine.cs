using Sockit.Cli.Output;

namespace Sockit.Cli.Commands;

/// <summary>
/// A command line after parsing and checking: either the one line that says what is wrong with it, or the
/// work it asks for (help text counts as work). Nothing has been opened or bound yet either way.
/// </summary>
internal sealed class PreparedLine
{
    private readonly Func<CancellationToken, Task<int>>? _run;

    private PreparedLine(string? error, Func<CancellationToken, Task<int>>? run)
    {
        Error = error;
        _run = run;
    }

    /// <summary>The one stderr line for a bad command line; null when the line is good.</summary>
    public string? Error { get; }

    public static PreparedLine Failed(string line) => new(line.ReplaceLineEndings(" "), null);

    public static PreparedLine Ready(Func<CancellationToken, Task<int>> run) => new(null, run);

    /// <summary>Runs the work (or prints the error); every failure is one line on <paramref name="errorLine"/> and an exit code.</summary>
    public async Task<int> RunAsync(Action<string> errorLine, CancellationToken cancel = default)
    {
        if (_run is null)
        {
            errorLine(Error!);
            return ExitCodes.Failure;
        }
        try
        {
            return await _run(cancel);
        }
        catch (UserError e)
        {
            errorLine(e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            // Anything unexpected still gets one line, never a stack trace.
            errorLine($"sockit: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The process's way to run it: errors on stderr, queued log lines written before returning.</summary>
    public async Task<int> RunAsync()
    {
        try
        {
            return await RunAsync(LineWriter.Stderr.WriteLine);
        }
        finally
        {
            // serve queues its log lines (see LineWriter); all of them are written before the process exits.
            LineWriter.DrainAll();
        }
    }
}
