using Sockit.Diagnostics;

namespace Sockit.Scan;

/// <summary>Settings for <see cref="PortScanner.ScanAsync"/>.</summary>
public sealed record ScanOptions
{
    /// <summary>Default for <see cref="Concurrency"/>: well under the usual 1024 open-file limit.</summary>
    public const int DefaultConcurrency = 100;

    /// <summary>Most connects in flight at once (at least 1).</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>How long one connect may take before its port counts as filtered.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Receives every socket call made, when set (lines from concurrent connects interleave whole).</summary>
    public SocketTrace? Trace { get; init; }

    /// <summary>
    /// Called as each port's result is known, in completion order and possibly from several threads at once;
    /// for live output such as nc's <c>-z -v</c>. Must be thread-safe.
    /// </summary>
    public Action<PortScanResult>? OnResult { get; init; }
}
