namespace Sockit.Diagnostics;

/// <summary>
/// Receives one line per socket call made, strace-style: <c>bind(3, 0.0.0.0:10001) = 0</c>.
/// When no trace is given the calls go straight to the socket and cost nothing extra.
/// </summary>
public sealed class SocketTrace
{
    private readonly Action<string> _write;

    /// <summary>Creates a trace that hands every formatted line to <paramref name="write"/>.</summary>
    /// <param name="write">Called once per line, possibly from several threads at once; must be thread-safe.</param>
    public SocketTrace(Action<string> write) => _write = write;

    /// <summary>Records one call line.</summary>
    public void Write(string line) => _write(line);
}
