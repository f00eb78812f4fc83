using System.Globalization;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary>
/// Runs a command under bash with stdin from a file and stdout to a file, so the bytes never pass through the
/// test host. The child's stderr comes back as the RunningProcess's stdout lines (bash: <c>2&gt;&amp;1 &gt;out</c>).
/// </summary>
public static partial class Shell
{
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static RunningProcess Run(string command, string stdinFile, string stdoutFile)
        => RunningProcess.Start("/bin/bash", "-c", $"exec {command} < {Quote(stdinFile)} 2>&1 > {Quote(stdoutFile)}");

    public static string Sockit => Quote(Repo.SockitPath);

    /// <summary>Starts <c>sockit cat -l 0 -v ...</c> and returns it with the port from its "Listening on" line.</summary>
    public static async Task<(RunningProcess Process, int Port)> ListenAsync(string flags, string stdinFile, string stdoutFile)
    {
        var process = Run($"{Sockit} cat -l 0 -v {flags}", stdinFile, stdoutFile);
        string line = await process.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal));
        return (process, int.Parse(PortAtEnd().Match(line).Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Waits (bounded) until something listens on a TCP port of 127.0.0.1, for peers that cannot report their port.</summary>
    public static async Task WaitForListenerAsync(int port, TimeSpan? timeout = null)
    {
        string hexPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture) + " ";
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            foreach (string line in await File.ReadAllLinesAsync("/proc/net/tcp"))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 3 && (f[1] + " ").EndsWith(hexPort, StringComparison.Ordinal) && f[3] == "0A") return;
            }
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"nothing listened on port {port} in time");
    }

    [GeneratedRegex(":(\\d+)(?: \\(UDP\\))?$")]
    private static partial Regex PortAtEnd();
}
