using System.CommandLine;
using Sockit.Access;

namespace Sockit.Cli.Commands;

/// <summary>
/// ncat's <c>--allow</c>, <c>--deny</c>, <c>--allowfile</c> and <c>--denyfile</c>, shared by every command that
/// listens (serve, cat/nc -l, relay). Each may be repeated and the lists add up; a client matching a deny entry is
/// refused, and when an allow list is given a client matching none of it is refused (docs/access-control.md).
/// Each command gets its own instances.
/// </summary>
internal sealed class AccessOptions
{
    private readonly Option<string[]> _allow = new("--allow") { Description = "Serve only these clients: addresses, CIDR ranges, host names (comma-separated; repeatable; IP listeners only, not --unix)", HelpName = "HOSTS" };
    private readonly Option<string[]> _deny = new("--deny") { Description = "Refuse these clients: addresses, CIDR ranges, host names (comma-separated; repeatable; IP listeners only, not --unix)", HelpName = "HOSTS" };
    private readonly Option<string[]> _allowFile = new("--allowfile") { Description = "Serve only the clients listed in FILE (entries per line, # comments)", HelpName = "FILE" };
    private readonly Option<string[]> _denyFile = new("--denyfile") { Description = "Refuse the clients listed in FILE (entries per line, # comments)", HelpName = "FILE" };

    public void AddTo(Command command)
    {
        foreach (Option<string[]> option in new[] { _allow, _deny, _allowFile, _denyFile })
        {
            option.Arity = ArgumentArity.OneOrMore;
            command.Options.Add(option);
        }
    }

    /// <summary>True when any of the four was given.</summary>
    public bool Given(ParseResult r) => Values(r, _allow).Length + Values(r, _deny).Length + Values(r, _allowFile).Length + Values(r, _denyFile).Length > 0;

    /// <summary>
    /// The lists as given, their inline entries already checked (a bad one is one line, exit 1); null when none
    /// was given. The files are read and host names resolved by <see cref="BuildAsync"/>, when the command runs.
    /// </summary>
    /// <param name="r">The parsed command line.</param>
    /// <param name="refusal">Why this listener cannot take the lists (a Unix socket, a client mode), or null.</param>
    public AccessPolicyBuilder? Plan(ParseResult r, string? refusal)
    {
        if (!Given(r)) return null;
        if (refusal is not null) throw new UserError(refusal);
        var lists = new AccessPolicyBuilder();
        try
        {
            foreach (string entries in Values(r, _allow)) lists.Allow(entries);
            foreach (string entries in Values(r, _deny)) lists.Deny(entries);
        }
        catch (AccessListException e)
        {
            throw new UserError(e.Message);
        }
        foreach (string path in Values(r, _allowFile)) lists.AllowFile(CheckPath(path, "--allowfile"));
        foreach (string path in Values(r, _denyFile)) lists.DenyFile(CheckPath(path, "--denyfile"));
        return lists;
    }

    /// <summary>The policy: files read, names resolved once; null for no lists. A failure is one line, exit 1.</summary>
    public static async Task<AccessPolicy?> BuildAsync(AccessPolicyBuilder? lists, CancellationToken cancel)
    {
        if (lists is null) return null;
        try
        {
            return await lists.BuildAsync(cancel: cancel);
        }
        catch (AccessListException e)
        {
            throw new UserError(e.Message);
        }
    }

    private static string CheckPath(string path, string option) => path.Length == 0 ? throw new UserError($"{option} needs a file") : path;

    private static string[] Values(ParseResult r, Option<string[]> option) => r.GetValue(option) ?? [];
}
