namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>A private temporary directory (for Unix socket paths and compiled peers), removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        // Short paths: a Unix socket path must fit in sun_path (108 bytes).
        Path = Directory.CreateTempSubdirectory("sk").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
