namespace Sockit.Access;

/// <summary>What an <see cref="AccessPolicy"/> said about one client, and why.</summary>
public readonly struct AccessDecision
{
    private AccessDecision(bool allowed, AccessRule? rule)
    {
        Allowed = allowed;
        Rule = rule;
    }

    internal static AccessDecision Allow => new(true, null);

    internal static AccessDecision DeniedBy(AccessRule rule) => new(false, rule);

    internal static AccessDecision NotAllowListed => new(false, null);

    /// <summary>True when the client may be served.</summary>
    public bool Allowed { get; }

    /// <summary>The deny rule that matched; null when the client was allowed, or refused for matching no allow rule.</summary>
    public AccessRule? Rule { get; }

    /// <summary>Why, for a log line: <c>denied by --deny 127.0.0.1</c>, <c>not in the allow list</c> or <c>allowed</c>.</summary>
    public string Reason => Allowed ? "allowed" : Rule is { } rule ? $"denied by {rule}" : "not in the allow list (--allow/--allowfile)";

    /// <inheritdoc/>
    public override string ToString() => Reason;
}
