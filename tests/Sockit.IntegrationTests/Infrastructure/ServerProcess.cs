using System.Text.RegularExpressions;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary><c>sockit serve 0 ...</c> started and past its LISTENING line, with the port it got.</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private ServerProcess(RunningProcess process, int port, string listeningLine)
    {
        Process = process;
        Port = port;
        ListeningLine = listeningLine;
    }

    public RunningProcess Process { get; }

    public int Port { get; }

    public string ListeningLine { get; }

    /// <summary>Starts <c>sockit serve</c> with <paramref name="arguments"/> (port 0 is added unless --unix is used).</summary>
    public static async Task<ServerProcess> StartAsync(params string[] arguments)
    {
        string[] args = arguments.Contains("--unix") ? ["serve", .. arguments] : ["serve", "0", .. arguments];
        var process = RunningProcess.Sockit(args);
        string line = await process.WaitForLineAsync(l => l.StartsWith("SERVER AT ", StringComparison.Ordinal));
        Match port = PortInLine().Match(line);
        return new ServerProcess(process, port.Success ? int.Parse(port.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0, line);
    }

    public async ValueTask DisposeAsync() => await Process.DisposeAsync();

    [GeneratedRegex(":(\\d+) LISTENING")]
    private static partial Regex PortInLine();
}
