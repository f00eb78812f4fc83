using System.Security.Cryptography;

namespace Sockit.IntegrationTests.Relay;

/// <summary>Two 256 MiB random files (one per direction), written once per test run, with their SHA-256.</summary>
public static class BulkData
{
    public const long Size = 256L * 1024 * 1024;

    private static readonly Lazy<(string Path, string Hash)> Outbound = new(() => Create("out"));
    private static readonly Lazy<(string Path, string Hash)> Inbound = new(() => Create("in"));
    private static readonly string Dir = CreateDir();

    /// <summary>What sockit sends.</summary>
    public static (string Path, string Hash) Sent => Outbound.Value;

    /// <summary>What the peer sends.</summary>
    public static (string Path, string Hash) Received => Inbound.Value;

    public static string Hash(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(file));
    }

    // 512 MiB must not pile up in /tmp run after run: the directory carries the test host's pid, and a
    // run removes the directories of hosts that are gone (the host is often killed, not exited).
    private static string CreateDir()
    {
        foreach (string old in Directory.GetDirectories(Path.GetTempPath(), "sockit-bulk-*"))
        {
            if (!int.TryParse(Path.GetFileName(old)["sockit-bulk-".Length..], out int pid) || IsAlive(pid)) continue;
            try
            {
                Directory.Delete(old, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        return Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"sockit-bulk-{Environment.ProcessId}")).FullName;
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    private static (string, string) Create(string name)
    {
        string path = Path.Combine(Dir, name + ".bin");
        byte[] chunk = new byte[1024 * 1024];
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
            for (long written = 0; written < Size; written += chunk.Length)
            {
                Random.Shared.NextBytes(chunk);
                file.Write(chunk);
            }
        return (path, Hash(path));
    }
}
