using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Shells;

/// <summary>
/// docs/sockit.1, the man page <c>sockit man</c> prints: current, complete (every command and option that
/// --help lists), and rendered by man (or groff) without a warning. <c>SOCKIT_UPDATE_TRANSCRIPTS=1</c> rewrites
/// the committed page from what <c>sockit man</c> prints, for when the commands changed on purpose.
/// </summary>
public sealed class ManPageTests
{
    private static readonly string Committed = Path.Combine(Repo.Root, "docs", "sockit.1");

    private static async Task<string> PrintedAsync() => string.Join('\n', await HelpText.HelpAsync("man")) + "\n";

    [Fact]
    public async Task TheCommittedPageIsWhatSockitManPrints()
    {
        string printed = await PrintedAsync();
        if (Environment.GetEnvironmentVariable("SOCKIT_UPDATE_TRANSCRIPTS") == "1") File.WriteAllText(Committed, printed);
        Assert.True(File.Exists(Committed), "docs/sockit.1 does not exist; run this test with SOCKIT_UPDATE_TRANSCRIPTS=1 to write it");
        Assert.True(File.ReadAllText(Committed) == printed,
            "docs/sockit.1 differs from what 'sockit man' prints; if the commands changed on purpose, run this test with SOCKIT_UPDATE_TRANSCRIPTS=1 and commit docs/sockit.1");
    }

    [Fact]
    public async Task EveryCommandAndOptionAppearsInTheRenderedPage()
    {
        string page = await RenderAsync(await PrintedAsync());
        Assert.Contains("SOCKIT(1)", page, StringComparison.Ordinal);
        foreach (string command in await HelpText.CommandsAsync())
        {
            string section = Section(page, "   sockit " + command);
            foreach (string option in await HelpText.OptionsAsync(command))
                Assert.True(Words(section).Contains(option), $"the man page's section on 'sockit {command}' lacks {option}:\n{section}");
        }
        foreach (string option in await HelpText.OptionsAsync())
            Assert.Contains(option, Words(Section(page, "OPTIONS")));
    }

    [Fact]
    public async Task GroffFormatsThePageWithoutAWarning()
    {
        string page = await PrintedAsync();
        using var dir = new TempDir();
        File.WriteAllText(dir.File("sockit.1"), page);
        await using var groff = RunningProcess.Start(Peers.Require("groff"), "-man", "-ww", "-z", dir.File("sockit.1"));
        Assert.Equal(0, await groff.WaitForExitAsync());
        Assert.Equal("", groff.Stderr);
    }

    [Fact]
    public async Task ExitStatusListsEveryDocumentedCode()
    {
        string status = Section(await RenderAsync(await PrintedAsync()), "EXIT STATUS");
        foreach (string code in new[] { "0", "1", "130" })
            Assert.Contains(code, Words(status));
    }

    // man -l when man-db is installed (what a user runs), else groff; plain ASCII, wide enough that no line wraps.
    private static async Task<string> RenderAsync(string roff)
    {
        using var dir = new TempDir();
        string file = dir.File("sockit.1");
        File.WriteAllText(file, roff);
        bool man = CommandProbe.Succeeds("man", "--version");
        string shell = man
            ? $"MANWIDTH=200 MANPAGER=cat LC_ALL=C man -E ascii -l {Shell.Quote(file)} | col -b"
            : $"groff -man -Tascii -rLL=200n {Shell.Quote(file)} | col -b";
        return string.Join('\n', await ShellRun.LinesAsync("bash", shell));
    }

    // From a heading line (starting with heading) to the next line indented no further than it.
    private static string Section(string page, string heading)
    {
        string[] lines = page.Split('\n');
        int start = Array.FindIndex(lines, l => l == heading || l.StartsWith(heading + " ", StringComparison.Ordinal));
        Assert.True(start >= 0, $"no section '{heading.Trim()}' in the rendered page:\n{page}");
        int indent = heading.Length - heading.TrimStart().Length;
        var section = lines.Skip(start + 1).TakeWhile(l => l.Length == 0 || l.Length - l.TrimStart().Length > indent);
        return string.Join('\n', section.Prepend(lines[start]));
    }

    private static HashSet<string> Words(string text)
        => [.. text.Split([' ', '\n', ','], StringSplitOptions.RemoveEmptyEntries)];
}
