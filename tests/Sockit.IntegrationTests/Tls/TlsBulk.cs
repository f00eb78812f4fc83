using System.Security.Cryptography;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Tls;

/// <summary>64 MiB of random bytes in a file, written once per test run, with its SHA-256; and the TLS peers' command lines.</summary>
public static class TlsBulk
{
    public const long Size = 64L * 1024 * 1024;

    private static readonly Lazy<(string Path, string Hash)> Data = new(Create);
    private static readonly TempDir Dir = new();

    public static string Path => Data.Value.Path;

    public static string Hash => Data.Value.Hash;

    public static TimeSpan Bound { get; } = TimeSpan.FromSeconds(120);

    private static (string, string) Create()
    {
        string path = Dir.File("tls-bulk.bin");
        byte[] chunk = new byte[1024 * 1024];
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
            for (long written = 0; written < Size; written += chunk.Length)
            {
                RandomNumberGenerator.Fill(chunk);
                file.Write(chunk);
            }
        return (path, BulkData.Hash(path));
    }
}
