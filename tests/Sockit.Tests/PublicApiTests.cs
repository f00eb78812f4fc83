using System.Reflection;
using System.Runtime.CompilerServices;
using PublicApiGenerator;
using Sockit.Endpoints;

namespace Sockit.Tests;

/// <summary>
/// The public API of Sockit.Core is recorded in api/Sockit.Core.txt, so every change to it is deliberate and
/// shows in review. After an intended change (or a merge that adds API), regenerate the file with
/// <c>SOCKIT_UPDATE_API=1 dotnet test tests/Sockit.Tests -c Release --filter FullyQualifiedName~PublicApiTests</c>
/// and commit it.
/// </summary>
public sealed class PublicApiTests
{
    private const string UpdateVariable = "SOCKIT_UPDATE_API";
    private const string Regenerate = $"{UpdateVariable}=1 dotnet test tests/Sockit.Tests -c Release --filter FullyQualifiedName~PublicApiTests";

    [Fact]
    public void PublicApiMatchesTheRecordedFile()
    {
        string generated = Normalize(typeof(EndpointSpec).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }));
        string path = Path.Combine(RepoRoot(), "api", "Sockit.Core.txt");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
            return;
        }
        Assert.True(File.Exists(path), $"api/Sockit.Core.txt does not exist; write it with: {Regenerate}");
        string recorded = Normalize(File.ReadAllText(path));
        if (recorded == generated) return;
        Assert.Fail($"""
            The public API of Sockit.Core differs from api/Sockit.Core.txt. If the change is intended, regenerate the
            file and commit it with the change:
                {Regenerate}
            {FirstDifference(recorded, generated)}
            """);
    }

    [Fact]
    public void TheCliSeesOnlyThePublicApi()
    {
        // Library first, CLI thin: whatever the CLI needs, a C# user can reach too (tests and benchmarks may see more).
        string[] friends = typeof(EndpointSpec).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName).ToArray();
        Assert.Contains("Sockit.Tests", friends);
        Assert.DoesNotContain(friends, name => string.Equals(name, "sockit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void DiffersAtNamesTheFirstChangedLine()
    {
        Assert.Equal("first difference at line 2:\n  recorded:  b\n  generated: c",
            FirstDifference("a\nb\nd", "a\nc\nd"));
        Assert.Equal("first difference at line 3:\n  recorded:  (end of file)\n  generated: e",
            FirstDifference("a\nb", "a\nb\ne"));
    }

    /// <summary>The first line that differs, both ways, so the failure says what changed without a diff tool.</summary>
    private static string FirstDifference(string recorded, string generated)
    {
        string[] a = recorded.Split('\n'), b = generated.Split('\n');
        int line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line]) line++;
        string Of(string[] lines) => line < lines.Length ? lines[line] : "(end of file)";
        return $"first difference at line {line + 1}:\n  recorded:  {Of(a)}\n  generated: {Of(b)}";
    }

    // Line endings as checked out (a Windows clone may turn \n into \r\n) do not count as an API change.
    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sockit.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Sockit.slnx above {AppContext.BaseDirectory}");
    }
}
