using System.Globalization;

namespace Sockit.Cli.Relay;

/// <summary>
/// A transfer progress line such as <c>12.5 MiB / 100.0 MiB  12.3 MiB/s  ETA 7s</c>, redrawn in place with a
/// carriage return at most every <see cref="Interval"/>, and a final line with a newline. Meant for a terminal:
/// <see cref="ForStderr"/> turns itself off when stderr is redirected, so logs and pipes never see it.
/// The rate is the average since the meter was created.
/// </summary>
internal sealed class ProgressMeter
{
    /// <summary>Least time between two redraws (at most four a second).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly TextWriter _output;
    private readonly TimeProvider _clock;
    private readonly long _started;
    private readonly Lock _gate = new();
    private long _bytes;
    private long _lastRender;
    private int _lastLength;
    private bool _completed;

    /// <summary>Creates a meter that writes to <paramref name="output"/>.</summary>
    /// <param name="output">Where lines go (normally stderr).</param>
    /// <param name="totalBytes">The transfer's size when known (enables "/ total" and the ETA).</param>
    /// <param name="clock">Time source; <see cref="TimeProvider.System"/> when null (tests pass a fake one).</param>
    /// <param name="enabled">When false the meter counts but never writes anything.</param>
    public ProgressMeter(TextWriter output, long? totalBytes = null, TimeProvider? clock = null, bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _clock = clock ?? TimeProvider.System;
        TotalBytes = totalBytes;
        Enabled = enabled;
        _started = _lastRender = _clock.GetTimestamp();
    }

    /// <summary>A meter on stderr, enabled only when stderr is a terminal (not redirected).</summary>
    public static ProgressMeter ForStderr(long? totalBytes = null)
        => new(Console.Error, totalBytes, TimeProvider.System, enabled: !Console.IsErrorRedirected);

    /// <summary>Whether anything is written.</summary>
    public bool Enabled { get; }

    /// <summary>The expected size, when known.</summary>
    public long? TotalBytes { get; }

    /// <summary>Bytes counted so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Counts <paramref name="bytes"/> more and redraws if the last redraw is old enough. Thread-safe.</summary>
    public void Add(long bytes)
    {
        long total = Interlocked.Add(ref _bytes, bytes);
        if (!Enabled) return;
        long now = _clock.GetTimestamp();
        lock (_gate)
        {
            if (_completed || _clock.GetElapsedTime(_lastRender, now) < Interval) return;
            _lastRender = now;
            Draw(Format(total, TotalBytes, _clock.GetElapsedTime(_started, now)), "");
        }
    }

    /// <summary>Replaces the progress line with the final one (<see cref="FormatFinal"/>) and a newline. Only the first call writes.</summary>
    public void Complete()
    {
        if (!Enabled) return;
        lock (_gate)
        {
            if (_completed) return;
            _completed = true;
            Draw(FormatFinal(Bytes, TotalBytes, _clock.GetElapsedTime(_started)), "\n");
        }
    }

    private void Draw(string line, string end)
    {
        // Pad with spaces so a shorter line fully covers the previous one.
        int pad = Math.Max(0, _lastLength - line.Length);
        _output.Write("\r" + line + new string(' ', pad) + end);
        _output.Flush();
        _lastLength = line.Length;
    }

    /// <summary><c>12.5 MiB / 100.0 MiB  12.3 MiB/s  ETA 7s</c>; without a total: <c>12.5 MiB  12.3 MiB/s</c>.</summary>
    public static string Format(long bytes, long? totalBytes, TimeSpan elapsed)
    {
        double rate = elapsed > TimeSpan.Zero ? bytes / elapsed.TotalSeconds : 0;
        string text = totalBytes is long total ? $"{FormatSize(bytes)} / {FormatSize(total)}" : FormatSize(bytes);
        if (elapsed > TimeSpan.Zero) text += $"  {FormatRate(rate)}";
        if (totalBytes is long all && rate > 0 && all >= bytes)
            text += "  ETA " + FormatDuration(TimeSpan.FromSeconds(Math.Ceiling((all - bytes) / rate)));
        return text;
    }

    /// <summary><c>100.0 MiB in 8.1 s  12.3 MiB/s</c>; a transfer that fell short of its total shows <c>12.5 MiB / 100.0 MiB in ...</c>.</summary>
    public static string FormatFinal(long bytes, long? totalBytes, TimeSpan elapsed)
    {
        string size = totalBytes is long total && total != bytes ? $"{FormatSize(bytes)} / {FormatSize(total)}" : FormatSize(bytes);
        string text = string.Create(CultureInfo.InvariantCulture, $"{size} in {elapsed.TotalSeconds:0.0} s");
        return elapsed > TimeSpan.Zero ? $"{text}  {FormatRate(bytes / elapsed.TotalSeconds)}" : text;
    }

    /// <summary><c>512 B</c>, <c>1.5 KiB</c>, <c>12.5 MiB</c>, <c>3.0 GiB</c>, <c>1.2 TiB</c>.</summary>
    public static string FormatSize(double bytes)
    {
        if (bytes < 1024) return string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B");
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        int unit = -1;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {units[unit]}");
    }

    /// <summary><c>7s</c>, <c>2m05s</c>, <c>1h02m</c>.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        long seconds = (long)Math.Ceiling(Math.Max(0, duration.TotalSeconds));
        if (seconds < 60) return string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
        if (seconds < 3600) return string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m{seconds % 60:00}s");
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h{seconds % 3600 / 60:00}m");
    }

    private static string FormatRate(double bytesPerSecond) => FormatSize(bytesPerSecond) + "/s";
}
