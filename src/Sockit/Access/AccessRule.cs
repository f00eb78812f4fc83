namespace Sockit.Access;

/// <summary>
/// One entry of an allow or deny list as the user wrote it (an address, a CIDR range or a host name), with where it
/// came from, so that a refusal can name the rule that decided it.
/// </summary>
public sealed class AccessRule
{
    private readonly AccessRange[] _ranges;

    internal AccessRule(string text, string origin, AccessRange[] ranges, string? hostName)
    {
        Text = text;
        Origin = origin;
        _ranges = ranges;
        HostName = hostName;
    }

    /// <summary>The entry as written: <c>127.0.0.0/8</c>, <c>::1</c>, <c>trusted.example</c>.</summary>
    public string Text { get; }

    /// <summary>Where it was written: <c>--deny</c>, or <c>--denyfile PATH:LINE</c>.</summary>
    public string Origin { get; }

    /// <summary>The host name, when the entry is one; it is resolved once, when the policy is built.</summary>
    public string? HostName { get; }

    /// <summary>How many address ranges the entry stands for (a name may resolve to several addresses).</summary>
    public int RangeCount => _ranges.Length;

    internal bool Matches(UInt128 canonical)
    {
        foreach (AccessRange range in _ranges)
            if (range.Contains(canonical)) return true;
        return false;
    }

    internal AccessRule WithRanges(AccessRange[] ranges) => new(Text, Origin, ranges, HostName);

    /// <summary>The origin and the entry: <c>--deny 127.0.0.1</c>, <c>--allowfile hosts.txt:3 10.0.0.0/8</c>.</summary>
    public override string ToString() => $"{Origin} {Text}";
}
