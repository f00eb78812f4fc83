using System.Globalization;
using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Scan;

namespace Sockit.Cli.Output;

/// <summary>The lines <c>sockit scan</c> prints: <c>80/tcp open</c> and the summary.</summary>
internal static class ScanText
{
    /// <summary>
    /// One port: <c>80/tcp open</c>, <c>81/tcp closed</c>, <c>82/tcp filtered (ETIMEDOUT)</c>; a filtered
    /// port names the error behind it.
    /// </summary>
    public static string Line(PortScanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string port = result.Port.ToString(CultureInfo.InvariantCulture);
        return result.State switch
        {
            PortState.Open => $"{port}/tcp open",
            PortState.Closed => $"{port}/tcp closed",
            _ => result.Error is SocketError error ? $"{port}/tcp filtered ({SocketNames.Errno(error)})" : $"{port}/tcp filtered",
        };
    }

    /// <summary>
    /// <c>scanned 1024 ports on HOST in 0.52 s: 3 open, 1021 closed, 0 filtered</c>; when HOST is a name,
    /// the address scanned follows it in parentheses.
    /// </summary>
    public static string Summary(ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string address = SocketNames.Address(report.Address);
        string host = report.Host.Trim('[', ']') == address ? address : $"{report.Host} ({address})";
        string count = report.Results.Count == 1 ? "1 port" : $"{report.Results.Count} ports";
        return string.Create(CultureInfo.InvariantCulture,
            $"scanned {count} on {host} in {report.Elapsed.TotalSeconds:0.00} s: {report.Open} open, {report.Closed} closed, {report.Filtered} filtered");
    }
}
