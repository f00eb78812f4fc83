using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Learn;

/// <summary>
/// The committed transcripts under docs/learn/transcripts, and their copies embedded in docs/learn/*.md
/// between <c>&lt;!-- transcript NAME --&gt;</c> and the end of the code block that follows. A captured
/// transcript that differs from the committed one fails the test; <c>SOCKIT_UPDATE_TRANSCRIPTS=1</c> writes the
/// captured text instead (file and embedded copies), for when the output changed on purpose.
/// </summary>
public static partial class TranscriptFiles
{
    private const string UpdateVariable = "SOCKIT_UPDATE_TRANSCRIPTS";
    private static readonly Lock PagesGate = new();

    public static string Directory { get; } = Path.Combine(Repo.Root, "docs", "learn", "transcripts");

    public static string PagesDirectory { get; } = Path.Combine(Repo.Root, "docs", "learn");

    private static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>Checks (or, when updating, writes) transcript <paramref name="name"/> and every page that embeds it.</summary>
    public static void AssertMatches(string name, Transcript transcript)
    {
        string captured = transcript.ToString();
        string path = Path.Combine(Directory, name);
        if (Updating)
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(path, captured);
        }
        else if (!File.Exists(path))
        {
            throw new Xunit.Sdk.XunitException($"docs/learn/transcripts/{name} does not exist; run the tests with {UpdateVariable}=1 to write it.\ncaptured:\n{captured}");
        }
        else if (File.ReadAllText(path) is var committed && committed != captured)
        {
            throw new Xunit.Sdk.XunitException(
                $"docs/learn/transcripts/{name} differs from what the commands print now. If the change is intended, run the tests with {UpdateVariable}=1 and commit the result.\n--- committed\n{committed}\n--- captured\n{captured}");
        }
        Embedded(name, captured);
    }

    /// <summary>The transcript names embedded in the pages, with the page that embeds each.</summary>
    public static IEnumerable<(string Page, string Name)> EmbeddedNames()
        => System.IO.Directory.GetFiles(PagesDirectory, "*.md")
            .SelectMany(page => Block().Matches(File.ReadAllText(page)).Select(m => (Path.GetFileName(page), m.Groups["name"].Value)));

    private static void Embedded(string name, string captured)
    {
        lock (PagesGate)
        {
            foreach (string page in System.IO.Directory.GetFiles(PagesDirectory, "*.md"))
            {
                string text = File.ReadAllText(page);
                string rewritten = Block().Replace(text, m => m.Groups["name"].Value != name
                    ? m.Value
                    : m.Groups["head"].Value + captured + m.Groups["tail"].Value);
                if (rewritten == text) continue;
                if (!Updating)
                    throw new Xunit.Sdk.XunitException($"docs/learn/{Path.GetFileName(page)} embeds an old copy of transcripts/{name}; run the tests with {UpdateVariable}=1 and commit the result.");
                File.WriteAllText(page, rewritten);
            }
        }
    }

    // <!-- transcript NAME -->, then a ```text block holding the transcript verbatim.
    [GeneratedRegex(@"(?<head><!-- transcript (?<name>[\w.-]+) -->\n```text\n)(?<body>.*?)(?<tail>```\n)", RegexOptions.Singleline)]
    private static partial Regex Block();
}
