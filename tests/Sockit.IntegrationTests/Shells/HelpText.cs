using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Shells;

/// <summary>
/// The commands and options as <c>sockit --help</c> and <c>sockit COMMAND --help</c> list them: an oracle made by
/// the help writer, independent of the completion and man-page generators it checks.
/// </summary>
public static class HelpText
{
    private static readonly Lazy<Task<IReadOnlyList<string>>> CommandNames = new(() => ReadCommandsAsync());

    /// <summary>Every command under <c>sockit</c>, from the "Commands:" section of <c>sockit --help</c>.</summary>
    public static Task<IReadOnlyList<string>> CommandsAsync() => CommandNames.Value;

    /// <summary>Every spelling of every option of <c>sockit WORDS</c> ("-b", "--bind", ...), from its "Options:" section.</summary>
    public static async Task<IReadOnlyList<string>> OptionsAsync(params string[] words)
        => [.. Section(await HelpAsync([.. words, "--help"]), "Options:")
            .SelectMany(first => first.Split(", ").Select(name => name.Split(' ')[0]))];

    /// <summary>Runs sockit with <paramref name="arguments"/> and returns its stdout, failing unless it exits 0.</summary>
    public static async Task<IReadOnlyList<string>> HelpAsync(params string[] arguments)
    {
        await using var sockit = RunningProcess.Sockit(arguments);
        Assert.Equal(0, await sockit.WaitForExitAsync());
        return sockit.StdoutLines;
    }

    private static async Task<IReadOnlyList<string>> ReadCommandsAsync()
        => [.. Section(await HelpAsync("--help"), "Commands:").Select(first => first.Split(' ')[0])];

    // The first column of each row of a help section: a row starts with two spaces then the name; a wrapped
    // description continues on lines indented further, and the section ends at a blank line.
    private static IEnumerable<string> Section(IReadOnlyList<string> help, string title)
    {
        int start = help.ToList().IndexOf(title);
        Assert.True(start >= 0, $"no '{title}' section in:\n{string.Join('\n', help)}");
        foreach (string line in help.Skip(start + 1).TakeWhile(l => l.Length > 0))
        {
            if (line.Length < 3 || line[..2] != "  " || line[2] == ' ') continue;
            int gap = line.IndexOf("  ", 2, StringComparison.Ordinal);
            yield return gap < 0 ? line[2..] : line[2..gap];
        }
    }
}
