using System.Net;
using System.Net.Sockets;
using Sockit.Transports;

namespace Sockit.Endpoints;

/// <summary>What a forward lookup found: the canonical name and every address, in resolver order.</summary>
internal sealed record ForwardAnswer(string Name, string CanonicalName, IReadOnlyList<IPAddress> Addresses);

/// <summary>
/// Name to addresses (getaddrinfo, like the seed's gethostbyname but for both families) and address to
/// name (getnameinfo, like gethostbyaddr). Both go through <see cref="SocketCalls"/> so <c>--trace</c> shows them.
/// </summary>
internal static class NameLookup
{
    /// <summary>Every address of <paramref name="name"/> in <paramref name="family"/>.</summary>
    /// <exception cref="SocketException">The name does not resolve (HostNotFound also when no address of the family exists).</exception>
    public static async Task<ForwardAnswer> ForwardAsync(string name, IpFamily family, SocketCalls calls, CancellationToken cancel)
    {
        AddressFamily filter = family switch
        {
            IpFamily.IPv4 => AddressFamily.InterNetwork,
            IpFamily.IPv6 => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };
        IPHostEntry entry = await calls.GetHostEntryAsync(name, filter, cancel).ConfigureAwait(false);
        IPAddress[] addresses = entry.AddressList
            .Where(a => filter == AddressFamily.Unspecified || a.AddressFamily == filter)
            .Distinct()
            .ToArray();
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        string canonical = string.IsNullOrEmpty(entry.HostName) ? name : entry.HostName;
        return new ForwardAnswer(name, canonical, addresses);
    }

    /// <summary>The name <paramref name="address"/> is known by.</summary>
    /// <exception cref="SocketException">No name is known for the address.</exception>
    public static async Task<string> ReverseAsync(IPAddress address, SocketCalls calls, CancellationToken cancel)
    {
        IPHostEntry entry = await calls.GetNameInfoAsync(address, cancel).ConfigureAwait(false);
        if (string.IsNullOrEmpty(entry.HostName) || entry.HostName == address.ToString())
            throw new SocketException((int)SocketError.HostNotFound);
        return entry.HostName;
    }

    /// <summary>
    /// The answer as lines in the style of <c>host(1)</c>: an alias line when the canonical name differs, then
    /// <c>NAME has address A</c> / <c>NAME has IPv6 address A</c> per address.
    /// </summary>
    public static IEnumerable<string> Describe(ForwardAnswer answer)
    {
        string canonical = answer.CanonicalName;
        if (!string.Equals(canonical.TrimEnd('.'), answer.Name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            yield return $"{answer.Name} is an alias for {canonical}";
        foreach (IPAddress address in answer.Addresses)
            yield return address.AddressFamily == AddressFamily.InterNetworkV6
                ? $"{canonical} has IPv6 address {address}"
                : $"{canonical} has address {address}";
    }

    /// <summary>The reverse answer as one line: <c>127.0.0.1 is localhost</c>.</summary>
    public static string DescribeReverse(IPAddress address, string name) => $"{address} is {name}";
}
