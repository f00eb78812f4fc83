namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>
/// The real programs we interoperate with. A missing peer fails the test with a clear message (CI installs
/// them all), it is never silently skipped.
/// </summary>
public static class Peers
{
    public static string Nc => Require("nc");
    public static string Ncat => Require("ncat");
    public static string Socat => Require("socat");
    public static string Python => Require("python3");
    public static string Gcc => Require("gcc");

    public static string Require(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new Xunit.Sdk.XunitException($"peer '{name}' is not installed; .ci/run installs it (apt-get install netcat-openbsd ncat socat)");
    }
}
