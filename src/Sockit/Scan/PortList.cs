using Sockit.Endpoints;

namespace Sockit.Scan;

/// <summary>
/// Parses the port lists users type for a scan: single ports, ranges and comma-separated mixes such as
/// <c>22,80,8000-8100</c>. The result is sorted and free of duplicates.
/// </summary>
public static class PortList
{
    /// <summary>Parses <paramref name="text"/> into ascending, distinct ports from 1 to 65535.</summary>
    /// <exception cref="FormatException">A part is not a port or a range; the message names it and says why.</exception>
    public static IReadOnlyList<int> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new FormatException("empty port list: give ports such as 80, 1-1024 or 22,80,8000-8100");
        var ports = new SortedSet<int>();
        foreach (string part in text.Split(','))
        {
            int dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                ports.Add(ParseOne(part, part));
                continue;
            }
            int first = ParseOne(part[..dash], part), last = ParseOne(part[(dash + 1)..], part);
            if (first > last) throw new FormatException($"invalid port range '{part}': {first} is greater than {last}");
            for (int port = first; port <= last; port++) ports.Add(port);
        }
        return [.. ports];
    }

    private static int ParseOne(string text, string part)
    {
        if (text.Length == 0)
            throw new FormatException($"invalid port '{part}': give a port such as 80 or a range such as 1-1024");
        return PortNumber.Parse(text);
    }
}
