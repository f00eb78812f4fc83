using System.Net;

namespace Sockit.Access;

/// <summary>
/// Which clients a listener serves, as ncat's <c>--allow</c>/<c>--deny</c> decide it: a client that matches a deny
/// rule is refused; when an allow list was given (even an empty file), a client that matches none of its rules is
/// refused; every other client is served. Addresses compare in canonical 128-bit form, so an IPv4 client seen by a
/// dual-stack listener as <c>::ffff:a.b.c.d</c> matches its IPv4 entries (and an IPv4 entry denies it). Build one
/// with <see cref="AccessPolicyBuilder"/>. Thread-safe; a check allocates nothing.
/// </summary>
public sealed class AccessPolicy
{
    private readonly AccessRule[] _allow;
    private readonly AccessRule[] _deny;

    internal AccessPolicy(AccessRule[] allow, AccessRule[] deny, bool hasAllowList)
    {
        _allow = allow;
        _deny = deny;
        HasAllowList = hasAllowList;
    }

    /// <summary>The policy that serves everyone (no allow list, nothing denied).</summary>
    public static AccessPolicy Open { get; } = new([], [], hasAllowList: false);

    /// <summary>The allow rules, in the order given.</summary>
    public IReadOnlyList<AccessRule> AllowRules => _allow;

    /// <summary>The deny rules, in the order given.</summary>
    public IReadOnlyList<AccessRule> DenyRules => _deny;

    /// <summary>True when an allow list was given: then only the clients it matches are served.</summary>
    public bool HasAllowList { get; }

    /// <summary>True when the policy refuses nobody.</summary>
    public bool IsOpen => !HasAllowList && _deny.Length == 0;

    /// <summary>Whether <paramref name="address"/> may be served.</summary>
    public bool IsAllowed(IPAddress address) => Check(address).Allowed;

    /// <summary>Whether <paramref name="address"/> may be served, and the rule that decided.</summary>
    public AccessDecision Check(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IsOpen) return AccessDecision.Allow;
        UInt128 canonical = CanonicalAddress.Of(address);
        foreach (AccessRule rule in _deny)
            if (rule.Matches(canonical)) return AccessDecision.DeniedBy(rule);
        if (!HasAllowList) return AccessDecision.Allow;
        foreach (AccessRule rule in _allow)
            if (rule.Matches(canonical)) return AccessDecision.Allow;
        return AccessDecision.NotAllowListed;
    }

    /// <summary>
    /// The decision for a peer's address: an <see cref="IPEndPoint"/> is checked; a peer without an IP address
    /// (a Unix socket's) is allowed, since no rule can name it. Listeners refuse to combine a restrictive policy
    /// with a Unix socket, so that case does not arise there.
    /// </summary>
    public AccessDecision Check(EndPoint? peer) => peer is IPEndPoint ip ? Check(ip.Address) : AccessDecision.Allow;

    /// <summary>
    /// The listener's gate: true when <paramref name="peer"/> may be served; otherwise tells
    /// <paramref name="onRefused"/> (when set) and returns false. The one check every listener makes.
    /// </summary>
    internal bool Admits(EndPoint? peer, Action<EndPoint, AccessDecision>? onRefused)
    {
        AccessDecision decision = Check(peer);
        if (decision.Allowed) return true;
        onRefused?.Invoke(peer!, decision);
        return false;
    }

    /// <summary>Refuses a restrictive policy on a Unix socket listener, whose clients have no address to check.</summary>
    /// <exception cref="ArgumentException">The policy restricts and <paramref name="endpoint"/> is a Unix socket.</exception>
    internal static void CheckListener(Endpoints.EndpointSpec endpoint, AccessPolicy? policy)
    {
        if (endpoint.IsUnix && policy is { IsOpen: false })
            throw new ArgumentException(UnixRefusal, nameof(policy));
    }

    /// <summary>Why allow/deny lists and a Unix socket listener do not mix.</summary>
    public const string UnixRefusal = "--allow/--deny filter IP clients; a Unix socket's clients have no address (limit them with --mode)";
}
