using System.Globalization;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Samples;

/// <summary>Reading the samples' announcement lines: the port a sample server got from port 0.</summary>
public static partial class SampleLines
{
    /// <summary>Waits for the stdout line starting with <paramref name="prefix"/> and returns the port in its address.</summary>
    public static async Task<int> PortAsync(RunningProcess server, string prefix)
    {
        string line = await server.WaitForLineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Match match = PortAfterAddress().Match(line);
        Assert.True(match.Success, $"no port in: {line}");
        int port = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.NotEqual(0, port);
        return port;
    }

    public static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@":(\d+) ")]
    private static partial Regex PortAfterAddress();
}

/// <summary>A fact that opens a raw socket itself (not a ping socket): root or CAP_NET_RAW.</summary>
public sealed class RawSocketFactAttribute : FactAttribute
{
    public RawSocketFactAttribute()
    {
        if (!Privileges.IsRoot)
            Skip = "needs root (CAP_NET_RAW) to open a SOCK_RAW socket; CI runs as root";
    }
}
