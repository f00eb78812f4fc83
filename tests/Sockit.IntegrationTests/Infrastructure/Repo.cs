using System.Reflection;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>Paths in the repository: the built CLI, the built samples and the seed document.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string Configuration { get; } = typeof(Repo).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;

    /// <summary>The apphost of the CLI built beside these tests (same configuration).</summary>
    public static string SockitPath { get; } = Path.Combine(Root, "src", "Sockit.Cli", "bin", Configuration, "net10.0", "sockit");

    /// <summary>The apphost of samples/GrumpyServer (the seed's server written plainly), built beside these tests.</summary>
    public static string SampleServerPath { get; } = Path.Combine(Root, "samples", "GrumpyServer", "bin", Configuration, "net10.0", "GrumpyServer");

    /// <summary>The apphost of samples/GrumpyClient (the seed's client written plainly), built beside these tests.</summary>
    public static string SampleClientPath { get; } = Path.Combine(Root, "samples", "GrumpyClient", "bin", Configuration, "net10.0", "GrumpyClient");

    /// <summary>The apphost of the teaching sample samples/NAME, built beside these tests.</summary>
    public static string SamplePath(string name) => Path.Combine(Root, "samples", name, "bin", Configuration, "net10.0", name);

    /// <summary>The seed document: the shared copy beside the repository if present, else the repository's copy.</summary>
    public static string SeedPath
    {
        get
        {
            string shared = Path.Combine(Root, "..", "shared", "seed", "socket-programming-in-c-and-python.md");
            return File.Exists(shared) ? shared : Path.Combine(Root, "docs", "seed", "socket-programming-in-c-and-python.md");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sockit.slnx"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Sockit.slnx) above " + AppContext.BaseDirectory);
    }
}
