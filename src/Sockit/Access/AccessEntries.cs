using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sockit.Endpoints;

namespace Sockit.Access;

/// <summary>
/// Reads allow/deny entries: a list is split at commas and white space (ncat's <c>--allow a,b</c>, nmap's list
/// files), <c>#</c> starts a comment to the end of the line. Each entry is an IPv4 or IPv6 address in any spelling
/// .NET reads (<c>127.1</c>, <c>2130706433</c>, <c>[::1]</c>), a CIDR range with the network written in full
/// (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>), or a host name, resolved later, once.
/// </summary>
internal static class AccessEntries
{
    private static readonly char[] Separators = [',', ' ', '\t', '\r', '\v', '\f'];

    /// <summary>The entries of <paramref name="text"/> with their 1-based line numbers.</summary>
    public static IEnumerable<(string Entry, int Line)> Split(string text)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int comment = line.IndexOf('#', StringComparison.Ordinal);
            if (comment >= 0) line = line[..comment];
            foreach (string entry in line.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
                yield return (entry, i + 1);
        }
    }

    /// <summary>One entry; a host name comes back with no ranges yet (see <see cref="AccessRule.HostName"/>).</summary>
    /// <exception cref="AccessListException">The entry is none of the forms above; the message names <paramref name="origin"/>.</exception>
    public static AccessRule Parse(string entry, string origin)
    {
        try
        {
            int slash = entry.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0) return new AccessRule(entry, origin, [Range(entry[..slash], entry[(slash + 1)..])], null);
            if (entry.IndexOfAny(['*', '-']) >= 0 && entry.All(c => char.IsAsciiDigit(c) || c is '.' or '-' or '*'))
                throw new FormatException("octet ranges (nmap's 192.168.0.1-20, 10.*.0.1) are not supported; write a CIDR range such as 192.168.0.0/24");
            string host = HostText.Check(entry);
            return IPAddress.TryParse(host, out IPAddress? address)
                ? new AccessRule(entry, origin, [AccessRange.Single(address)], null)
                : new AccessRule(entry, origin, [], host);
        }
        catch (FormatException e)
        {
            throw new AccessListException($"{origin}: invalid entry '{entry}': {e.Message}", e);
        }
    }

    private static AccessRange Range(string network, string prefixText)
    {
        IPAddress address = HostText.Literal(network);
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        int max = v4 ? 32 : 128;
        if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
            || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix > max)
            throw new FormatException($"the prefix length after '/' is a number from 0 to {max}");
        // "10/8" would read as 0.0.0.10/8 (inet_aton's one-number form): a range wants its network in full.
        if (v4 && network.Split('.').Length != 4)
            throw new FormatException("write the network address in full, as in 10.0.0.0/8");
        return AccessRange.Of(address, prefix);
    }
}
