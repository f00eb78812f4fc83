using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>
/// The seed's own C server and client, cut out of the seed document and compiled with gcc, once per run.
/// The server's copy gets exactly two fixes, the bugs that crash it: <c>%s</c> given the port (an int) and
/// the address length passed to accept() uninitialised. Everything else is the seed's code as printed.
/// </summary>
public static partial class SeedPrograms
{
    private static readonly Lazy<Task<(string Server, string Client)>> Built = new(BuildAsync);

    public static async Task<string> ServerAsync() => (await Built.Value).Server;

    public static async Task<string> ClientAsync() => (await Built.Value).Client;

    /// <summary>The C code blocks of the seed, line numbers stripped, in document order.</summary>
    public static IReadOnlyList<string> CBlocks()
    {
        string seed = File.ReadAllText(Repo.SeedPath);
        var blocks = new List<string>();
        foreach (Match block in CodeFence().Matches(seed))
        {
            string body = block.Groups[1].Value;
            if (!body.Contains("#include<stdio.h>", StringComparison.Ordinal) || !body.Contains("int main", StringComparison.Ordinal)) continue;
            var lines = body.Split('\n').Select(l => LineNumber().Replace(l, ""));
            blocks.Add(string.Join('\n', lines));
        }
        return blocks;
    }

    private static async Task<(string, string)> BuildAsync()
    {
        var blocks = CBlocks();
        string server = blocks.Single(b => b.Contains("grumpy server", StringComparison.Ordinal));
        string client = blocks.Single(b => b.Contains("Hello server", StringComparison.Ordinal));

        // Fix 1: the port is an int (ntohs), printed with %s. Fix 2: accept()'s address length must be set.
        string fixedServer = server
            .Replace("\"SERVER AT %s:%s", "\"SERVER AT %s:%d", StringComparison.Ordinal)
            .Replace("while (1) {", "client_addr_len = sizeof(client_addr);\n    while (1) {", StringComparison.Ordinal);
        if (fixedServer == server) throw new InvalidOperationException("the seed's server no longer matches the expected text");

        string dir = Directory.CreateTempSubdirectory("sockit-seed").FullName;
        string serverBin = await CompileAsync(dir, "seed_server", fixedServer);
        string clientBin = await CompileAsync(dir, "seed_client", client);
        return (serverBin, clientBin);
    }

    /// <summary>Compiles <paramref name="source"/> with gcc into <paramref name="dir"/>/<paramref name="name"/>; fails with gcc's errors.</summary>
    public static async Task<string> CompileAsync(string dir, string name, string source)
    {
        string sourcePath = Path.Combine(dir, name + ".c");
        string binary = Path.Combine(dir, name);
        await File.WriteAllTextAsync(sourcePath, source);
        var info = new ProcessStartInfo(Peers.Gcc) { RedirectStandardError = true, RedirectStandardOutput = true };
        // The seed predates -Werror culture; only errors matter here.
        foreach (string a in new[] { "-w", "-o", binary, sourcePath }) info.ArgumentList.Add(a);
        using var gcc = Process.Start(info)!;
        string errors = await gcc.StandardError.ReadToEndAsync();
        await gcc.WaitForExitAsync();
        if (gcc.ExitCode != 0) throw new InvalidOperationException($"gcc failed on {name}.c:\n{errors}");
        return binary;
    }

    [GeneratedRegex("```\\s*\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeFence();

    // "12     code" -> "    code": the number, then one separating space.
    [GeneratedRegex("^\\s*\\d+ ?")]
    private static partial Regex LineNumber();
}
