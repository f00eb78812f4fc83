using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Transports;

namespace Sockit.Access;

/// <summary>
/// Collects allow and deny lists (ncat's <c>--allow</c>, <c>--deny</c>, <c>--allowfile</c>, <c>--denyfile</c>; each
/// may be given many times, and the lists add up), then builds the <see cref="AccessPolicy"/>, resolving host names
/// once. Entries are read as <see cref="AccessEntries"/> describes; a bad entry fails at once, naming it.
/// </summary>
/// <example>
/// <code>
/// AccessPolicy policy = await new AccessPolicyBuilder().Allow("127.0.0.0/8, ::1").Deny("127.0.0.2").BuildAsync();
/// bool served = policy.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1")); // true: mapped IPv4 matches 127.0.0.0/8
/// </code>
/// </example>
public sealed class AccessPolicyBuilder
{
    private readonly List<AccessRule> _allow = [];
    private readonly List<AccessRule> _deny = [];
    private readonly List<(string Path, bool Allow)> _files = [];
    private bool _hasAllowList;

    /// <summary>True when nothing was added: the policy would be <see cref="AccessPolicy.Open"/>.</summary>
    public bool IsEmpty => !_hasAllowList && _deny.Count == 0 && _files.Count == 0;

    /// <summary>Adds allow entries (commas or spaces between them).</summary>
    /// <exception cref="AccessListException">An entry is not an address, a CIDR range or a host name.</exception>
    public AccessPolicyBuilder Allow(string entries, string origin = "--allow")
    {
        _hasAllowList = true;
        Add(_allow, entries, origin, lineNumbers: false);
        return this;
    }

    /// <summary>Adds deny entries (commas or spaces between them).</summary>
    /// <exception cref="AccessListException">An entry is not an address, a CIDR range or a host name.</exception>
    public AccessPolicyBuilder Deny(string entries, string origin = "--deny")
    {
        Add(_deny, entries, origin, lineNumbers: false);
        return this;
    }

    /// <summary>Adds a file of allow entries, read when the policy is built (one or more per line, <c>#</c> comments).
    /// Even an empty file makes an allow list: then nobody is served.</summary>
    public AccessPolicyBuilder AllowFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _hasAllowList = true;
        _files.Add((path, true));
        return this;
    }

    /// <summary>Adds a file of deny entries, read when the policy is built (one or more per line, <c>#</c> comments).</summary>
    public AccessPolicyBuilder DenyFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _files.Add((path, false));
        return this;
    }

    /// <summary>Reads the files, resolves every host name once (all its addresses, both families) and builds the policy.</summary>
    /// <param name="resolver">Looks names up; getaddrinfo when null.</param>
    /// <param name="cancel">Stops the reading and the lookups.</param>
    /// <exception cref="AccessListException">A file cannot be read, holds a bad entry, or a name does not resolve.</exception>
    public async Task<AccessPolicy> BuildAsync(HostResolver? resolver = null, CancellationToken cancel = default)
    {
        if (IsEmpty) return AccessPolicy.Open;
        List<AccessRule> allow = [.. _allow], deny = [.. _deny];
        foreach ((string path, bool isAllow) in _files)
            Add(isAllow ? allow : deny, await ReadAsync(path, isAllow, cancel).ConfigureAwait(false), $"{(isAllow ? "--allowfile" : "--denyfile")} {path}", lineNumbers: true);
        resolver ??= static (host, family, ct) => Dns.GetHostAddressesAsync(host, family, ct);
        return new AccessPolicy(await ResolveAsync(allow, resolver, cancel).ConfigureAwait(false),
            await ResolveAsync(deny, resolver, cancel).ConfigureAwait(false), _hasAllowList);
    }

    private static void Add(List<AccessRule> rules, string entries, string origin, bool lineNumbers)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach ((string entry, int line) in AccessEntries.Split(entries))
            rules.Add(AccessEntries.Parse(entry, lineNumbers ? $"{origin}:{line}" : origin));
    }

    private static async Task<string> ReadAsync(string path, bool allow, CancellationToken cancel)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AccessListException($"cannot read {(allow ? "--allowfile" : "--denyfile")} '{path}': {e.Message}", e);
        }
    }

    private static async Task<AccessRule[]> ResolveAsync(List<AccessRule> rules, HostResolver resolver, CancellationToken cancel)
    {
        var resolved = new AccessRule[rules.Count];
        for (int i = 0; i < rules.Count; i++)
        {
            AccessRule rule = rules[i];
            resolved[i] = rule.HostName is { } name ? rule.WithRanges(await LookUpAsync(rule, name, resolver, cancel).ConfigureAwait(false)) : rule;
        }
        return resolved;
    }

    private static async Task<AccessRange[]> LookUpAsync(AccessRule rule, string name, HostResolver resolver, CancellationToken cancel)
    {
        IPAddress[] found;
        try
        {
            found = await resolver(name, AddressFamily.Unspecified, cancel).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new AccessListException($"{rule.Origin}: host '{name}' does not resolve: {SocketNames.ResolverError(e.SocketErrorCode)}", e);
        }
        if (found.Length == 0) throw new AccessListException($"{rule.Origin}: host '{name}' does not resolve: no address");
        return [.. found.Select(AccessRange.Single).Distinct()];
    }
}
