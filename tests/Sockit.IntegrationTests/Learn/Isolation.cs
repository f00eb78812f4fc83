using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Learn;

/// <summary>
/// Runs a command in a private network and mount namespace (unshare -m -n) with only a loopback interface, a
/// fixed /etc/hosts and "hosts: files" in /etc/nsswitch.conf. A raw ICMP socket there sees no other program's
/// pings, and a name lookup gives the same answer on every machine and sends nothing to any DNS server.
/// </summary>
public static class Isolation
{
    private const string Hosts = "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n";

    private const string Setup = "mount --bind \"$ISO/hosts\" /etc/hosts && mount --bind \"$ISO/nsswitch.conf\" /etc/nsswitch.conf && ip link set lo up && exec \"$@\"";

    /// <summary>Can we create namespaces (root, unshare and ip installed)? Probed once by doing it.</summary>
    public static bool Available { get; } = Probe();

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/> inside a fresh isolated namespace.</summary>
    public static RunningProcess Start(TempDir files, string program, params string[] arguments)
    {
        File.WriteAllText(files.File("hosts"), Hosts);
        File.WriteAllText(files.File("nsswitch.conf"), "hosts: files\n");
        return RunningProcess.Start("/usr/bin/env", ["ISO=" + files.Path, "unshare", "-m", "-n", "sh", "-c", Setup, "sh", program, .. arguments]);
    }

    private static bool Probe() => Privileges.IsRoot && CommandProbe.Succeeds("unshare", "-m", "-n", "sh", "-c", "ip link set lo up");
}

/// <summary>A fact that needs <see cref="Isolation"/> (root and namespaces).</summary>
public sealed class IsolatedFactAttribute : FactAttribute
{
    public IsolatedFactAttribute()
    {
        if (!Isolation.Available)
            Skip = "needs root, unshare (util-linux) and ip (iproute2) for a private network and mount namespace; CI runs as root";
    }
}
