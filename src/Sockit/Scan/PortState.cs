using System.Net;
using System.Net.Sockets;

namespace Sockit.Scan;

/// <summary>What a TCP connect to one port found.</summary>
public enum PortState
{
    /// <summary>The connection was accepted (the three-way handshake completed).</summary>
    Open,
    /// <summary>The host answered with a reset (ECONNREFUSED): it is there, nobody listens.</summary>
    Closed,
    /// <summary>No answer within the timeout, or an error such as EHOSTUNREACH: something drops or blocks the packets.</summary>
    Filtered,
}

/// <summary>The outcome for one port.</summary>
/// <param name="Port">The port probed.</param>
/// <param name="State">Open, closed or filtered.</param>
/// <param name="Error">
/// The socket error behind a closed or filtered port (<see cref="SocketError.ConnectionRefused"/>,
/// <see cref="SocketError.TimedOut"/> for no answer in time, ...); <c>null</c> when open.
/// </param>
public sealed record PortScanResult(int Port, PortState State, SocketError? Error = null);

/// <summary>A finished scan: every port in ascending order, with how long it took.</summary>
/// <param name="Host">The host as the caller gave it.</param>
/// <param name="Address">The address actually scanned (the first the host resolved to).</param>
/// <param name="Results">One result per port, in ascending port order.</param>
/// <param name="Elapsed">Wall-clock time of the scan, name lookup included.</param>
public sealed record ScanReport(string Host, IPAddress Address, IReadOnlyList<PortScanResult> Results, TimeSpan Elapsed)
{
    /// <summary>Number of open ports.</summary>
    public int Open => Count(PortState.Open);

    /// <summary>Number of closed ports.</summary>
    public int Closed => Count(PortState.Closed);

    /// <summary>Number of filtered ports.</summary>
    public int Filtered => Count(PortState.Filtered);

    private int Count(PortState state) => Results.Count(r => r.State == state);
}
