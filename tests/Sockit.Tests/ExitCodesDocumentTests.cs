using System.Globalization;
using System.Reflection;
using Sockit.Cli;

namespace Sockit.Tests;

/// <summary>docs/exit-codes.md documents exactly the constants of <see cref="ExitCodes"/>, and the man page's meanings cover them all.</summary>
public sealed class ExitCodesDocumentTests
{
    [Fact]
    public void TheDocumentedTableIsTheCodesConstants()
    {
        var constants = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);
        Assert.Equal(constants.OrderBy(p => p.Value), DocumentedCodes().OrderBy(p => p.Value));
    }

    [Fact]
    public void TheManPageMeaningsCoverEveryCode()
    {
        int[] constants = [.. typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!).Order()];
        Assert.Equal(constants, ExitCodes.Meanings.Select(m => m.Code).Order());
    }

    // The first table of docs/exit-codes.md: "| 0 | `Success` | meaning |".
    private static Dictionary<string, int> DocumentedCodes()
    {
        string path = Path.Combine(RepoRoot(), "docs", "exit-codes.md");
        var rows = File.ReadLines(path)
            .SkipWhile(l => !l.StartsWith("| Code | Name |", StringComparison.Ordinal)).Skip(2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries));
        return rows.ToDictionary(cells => cells[2].Trim('`'), cells => int.Parse(cells[1], CultureInfo.InvariantCulture));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sockit.slnx"))) return dir.FullName;
        throw new InvalidOperationException("no Sockit.slnx above " + AppContext.BaseDirectory);
    }
}
