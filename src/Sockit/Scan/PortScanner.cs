using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sockit.Endpoints;
using Sockit.Transports;

namespace Sockit.Scan;

/// <summary>
/// A TCP connect scan: one full connect per port, at most <see cref="ScanOptions.Concurrency"/> at a time,
/// each classified as open (connected), closed (ECONNREFUSED) or filtered (no answer in time, or an error
/// such as EHOSTUNREACH). Connected sockets are closed at once; nothing is sent.
/// </summary>
public static class PortScanner
{
    /// <summary>
    /// Resolves <paramref name="host"/> once (its <see cref="EndpointSpec.Port"/> is ignored; its family setting
    /// applies) and probes every port of <paramref name="ports"/> on the first address found.
    /// </summary>
    /// <returns>The report, with one result per entry of <paramref name="ports"/>, in the same order.</returns>
    /// <exception cref="ArgumentException"><paramref name="host"/> is a Unix socket or has no host, or an option is out of range.</exception>
    /// <exception cref="SocketException">The name does not resolve, or a socket cannot be created (e.g. no IPv6, or out of file descriptors).</exception>
    /// <exception cref="FormatException">An IP literal does not match the requested family.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled.</exception>
    public static async Task<ScanReport> ScanAsync(EndpointSpec host, IReadOnlyList<int> ports, ScanOptions? options = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(ports);
        options ??= new ScanOptions();
        if (host.IsUnix || host.Host is null) throw new ArgumentException("a port scan needs an IP host", nameof(host));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options));
        foreach (int port in ports)
            if (port is < 1 or > 65535) throw new ArgumentException($"port {port} is not from 1 to 65535", nameof(ports));

        var calls = SocketCalls.For(options.Trace);
        long started = Stopwatch.GetTimestamp();
        IReadOnlyList<EndPoint> found = await SocketFactory.ResolveAsync(host with { Port = 0, Type = SocketType.Stream }, calls, cancel).ConfigureAwait(false);
        IPAddress address = ((IPEndPoint)found[0]).Address;

        var results = new PortScanResult[ports.Count];
        // Never more sockets at once than the descriptor limit allows: at EMFILE every probe would fail (and the
        // runtime, unable to start a thread, may abort the process).
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(options.Concurrency, DescriptorBudget.Connections()), CancellationToken = cancel };
        await Parallel.ForEachAsync(Enumerable.Range(0, ports.Count), parallel, async (i, token) =>
        {
            PortScanResult result = await ProbeAsync(new IPEndPoint(address, ports[i]), calls, options.Timeout, token).ConfigureAwait(false);
            results[i] = result;
            options.OnResult?.Invoke(result);
        }).ConfigureAwait(false);
        return new ScanReport(host.Host, address, results, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>One connect, classified. Errors that are not about the port (socket() failing) propagate.</summary>
    internal static async Task<PortScanResult> ProbeAsync(IPEndPoint target, SocketCalls calls, TimeSpan timeout, CancellationToken cancel)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            Socket socket = await SocketFactory.ConnectOneAsync(target, SocketType.Stream, calls, limit.Token).ConfigureAwait(false);
            calls.Close(socket);
            return new PortScanResult(target.Port, PortState.Open);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return new PortScanResult(target.Port, PortState.Filtered, SocketError.TimedOut);
        }
        catch (SocketException e) when (e.Data[SocketCalls.FailedCallKey] as string == "connect")
        {
            PortState state = e.SocketErrorCode == SocketError.ConnectionRefused ? PortState.Closed : PortState.Filtered;
            return new PortScanResult(target.Port, state, e.SocketErrorCode);
        }
    }
}
