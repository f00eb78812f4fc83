using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Transports;

namespace Sockit.Endpoints;

/// <summary>What a forward lookup found: the canonical name and every address, in resolver order.</summary>
/// <param name="Name">The name that was looked up.</param>
/// <param name="CanonicalName">The name the resolver calls canonical (the end of any alias chain); <paramref name="Name"/> when it gave none.</param>
/// <param name="Addresses">Every address found, without repeats, in resolver order.</param>
public sealed record ResolvedName(string Name, string CanonicalName, IReadOnlyList<IPAddress> Addresses);

/// <summary>
/// Name to addresses (getaddrinfo, like the seed's gethostbyname but for both families) and address to
/// name (getnameinfo, like gethostbyaddr). Each lookup is shown on a <see cref="SocketTrace"/> as the call it is.
/// </summary>
public static class NameLookup
{
    /// <summary>Every address of <paramref name="name"/> in <paramref name="family"/>, with the canonical name.</summary>
    /// <exception cref="SocketException">The name does not resolve (HostNotFound also when no address of the family exists).</exception>
    public static async Task<ResolvedName> ForwardAsync(string name, IpFamily family = IpFamily.Any, SocketTrace? trace = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        AddressFamily filter = family switch
        {
            IpFamily.IPv4 => AddressFamily.InterNetwork,
            IpFamily.IPv6 => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };
        IPHostEntry entry = await SocketCalls.For(trace).GetHostEntryAsync(name, filter, cancel).ConfigureAwait(false);
        IPAddress[] addresses = entry.AddressList
            .Where(a => filter == AddressFamily.Unspecified || a.AddressFamily == filter)
            .Distinct()
            .ToArray();
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        string canonical = string.IsNullOrEmpty(entry.HostName) ? name : entry.HostName;
        return new ResolvedName(name, canonical, addresses);
    }

    /// <summary>The name <paramref name="address"/> is known by (never the number back).</summary>
    /// <exception cref="SocketException">No name is known for the address.</exception>
    public static async Task<string> ReverseAsync(IPAddress address, SocketTrace? trace = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        IPHostEntry entry = await SocketCalls.For(trace).GetNameInfoAsync(address, cancel).ConfigureAwait(false);
        if (string.IsNullOrEmpty(entry.HostName) || entry.HostName == address.ToString())
            throw new SocketException((int)SocketError.HostNotFound);
        return entry.HostName;
    }

    /// <summary>
    /// Every socket address <paramref name="remote"/> may be reached at, in resolver order, as
    /// <see cref="StreamConnector"/> would try them: a literal and a Unix path are taken as they are, a host name
    /// is looked up (getaddrinfo) within the endpoint's family.
    /// </summary>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    /// <exception cref="FormatException">The host is empty, a literal of the wrong family, or the Unix path is too long.</exception>
    public static Task<IReadOnlyList<EndPoint>> ResolveAsync(EndpointSpec remote, SocketTrace? trace = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return SocketFactory.ResolveAsync(remote, SocketCalls.For(trace), cancel);
    }
}
