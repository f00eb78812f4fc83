using System.Text.RegularExpressions;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>
/// Checks that <c>--trace</c> output holds lines matching the given patterns in that order (other lines may sit
/// between them). A pattern may capture a named group, e.g. <c>(?&lt;L&gt;\d+)</c> for a file descriptor, and later
/// patterns refer to its value as <c>{L}</c>, so "the fd accept returned is the one that is closed" is checked too.
/// </summary>
public static class TraceLines
{
    public static IReadOnlyDictionary<string, string> AssertInOrder(string trace, params string[] patterns)
    {
        string[] lines = trace.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var captured = new Dictionary<string, string>();
        int next = 0;
        foreach (string pattern in patterns)
        {
            string resolved = Regex.Replace(pattern, @"\{(\w+)\}", m => captured.TryGetValue(m.Groups[1].Value, out string? v)
                ? Regex.Escape(v)
                : throw new InvalidOperationException($"pattern uses {{{m.Groups[1].Value}}} before capturing it"));
            var regex = new Regex("^" + resolved + "$");
            int found = -1;
            for (int i = next; i < lines.Length && found < 0; i++)
                if (regex.IsMatch(lines[i])) found = i;
            if (found < 0)
                throw new Xunit.Sdk.XunitException($"no trace line matching /{resolved}/ after line {next}.\ntrace:\n{trace}");
            Match match = regex.Match(lines[found]);
            foreach (Group group in match.Groups)
                if (!int.TryParse(group.Name, out _)) captured[group.Name] = group.Value;
            next = found + 1;
        }
        return captured;
    }
}
