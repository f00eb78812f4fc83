namespace Sockit.Relay;

/// <summary>How <see cref="ExecEnd"/> starts and stops its program.</summary>
public sealed record ExecOptions
{
    /// <summary>Default <see cref="Grace"/>: two seconds.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Variables added to (or replacing) the ones the program inherits from us, such as ncat's
    /// <c>NCAT_REMOTE_ADDR</c> (<see cref="ExecEnvironment.Ncat"/>). Values come from the caller, never from
    /// bytes a peer sent.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// When the end is disposed while the program still runs: how long it gets to exit after its stdin and
    /// stdout are closed, and again after SIGTERM, before SIGKILL. After it exits, also how long the relay
    /// waits for more output while something it started still holds its stdout open (counted from when
    /// output stops arriving).
    /// </summary>
    public TimeSpan Grace { get; init; } = DefaultGrace;
}
