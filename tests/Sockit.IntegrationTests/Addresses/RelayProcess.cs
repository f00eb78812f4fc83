using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Addresses;

/// <summary>Starts <c>sockit relay -v ADDR1 ADDR2</c> and reads back where its first address listens.</summary>
public static partial class RelayProcess
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    /// <summary>Starts the relay and waits for its "Listening on ..." line; returns the port (0 for a Unix listener).</summary>
    public static async Task<(RunningProcess Relay, int Port)> ListenAsync(params string[] addresses)
    {
        var relay = RunningProcess.Sockit(["relay", "-v", .. addresses]);
        string line = await relay.WaitForStderrLineAsync("Listening on ");
        Match port = ListeningPort().Match(line);
        return (relay, port.Success ? int.Parse(port.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    /// <summary>A file of <paramref name="size"/> random bytes and its SHA-256.</summary>
    public static string RandomFile(string path, long size)
    {
        byte[] chunk = new byte[1024 * 1024];
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
            for (long written = 0; written < size; written += chunk.Length)
            {
                RandomNumberGenerator.Fill(chunk);
                file.Write(chunk, 0, (int)Math.Min(chunk.Length, size - written));
            }
        return Relay.BulkData.Hash(path);
    }

    public static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(":(\\d+)(?: \\(UDP\\))?, relaying to ")]
    private static partial Regex ListeningPort();
}
