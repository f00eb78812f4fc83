using System.Net;
using System.Net.Sockets;
using Sockit.Endpoints;
using Sockit.Transports;

namespace Sockit.Protocols.Ping;

/// <summary>
/// ping: ICMP echo requests at an interval over a raw socket (or Linux's unprivileged ping socket), each reply
/// matched to its request and timed, then ping's statistics.
/// </summary>
public static class Pinger
{
    /// <summary>
    /// Pings until <see cref="PingOptions.Count"/> requests are answered or timed out, or until
    /// <paramref name="cancel"/> fires (Ctrl-C): then it stops early and still returns the statistics.
    /// Writes the header, one line per reply or timeout, and the summary to <see cref="PingOptions.Log"/>.
    /// </summary>
    /// <exception cref="IcmpPermissionException">Neither a raw nor a ping socket may be opened.</exception>
    /// <exception cref="SocketException">The host does not resolve, or a send fails.</exception>
    /// <exception cref="FormatException">The host is an address of the family not asked for.</exception>
    public static async Task<PingStatistics> RunAsync(PingOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(options.PayloadBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.PayloadBytes, 65_000);
        var calls = SocketCalls.For(options.Trace);
        Action<string> log = options.Log ?? (_ => { });

        IReadOnlyList<EndPoint> resolved = await SocketFactory.ResolveAsync(
            EndpointSpec.Ip(options.Host, 0, SocketType.Raw, options.Family), calls, cancel).ConfigureAwait(false);
        var target = (IPEndPoint)resolved[0];
        using IcmpChannel channel = SocketFactory.OpenIcmp(target.AddressFamily, calls);
        log(PingText.Header(options.Host, target.Address, options.PayloadBytes));
        return await new PingSession(options, channel, target, log).RunAsync(cancel).ConfigureAwait(false);
    }
}
