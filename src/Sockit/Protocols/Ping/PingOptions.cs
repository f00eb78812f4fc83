using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Protocols.Ping;

/// <summary>Settings for <see cref="Pinger.RunAsync"/>; the defaults are ping's.</summary>
public sealed record PingOptions
{
    /// <summary>Host name or IP literal to ping.</summary>
    public required string Host { get; init; }

    /// <summary>Restricts the host name to one family (<c>-4</c>/<c>-6</c>).</summary>
    public IpFamily Family { get; init; } = IpFamily.Any;

    /// <summary>Echo requests to send; 0 sends until cancelled.</summary>
    public int Count { get; init; } = 4;

    /// <summary>Time between requests.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long each reply may take before its request counts as lost.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Data bytes after the 8-byte ICMP header (ping's -s; 56 makes 64-byte messages).</summary>
    public int PayloadBytes { get; init; } = 56;

    /// <summary>Receives each output line (header, replies, timeouts, summary). Must be thread-safe.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives every socket call made, when set.</summary>
    public SocketTrace? Trace { get; init; }
}
