using System.Globalization;
using System.Runtime.InteropServices;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>Who we run as, and whether ICMP sockets are open to us (raw as root, or Linux ping sockets).</summary>
public static partial class Privileges
{
    /// <summary>The uid/gid <c>nobody</c> has on Debian and most Linux systems.</summary>
    public const int Nobody = 65534;

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    /// <summary>True when <paramref name="gid"/> lies in net.ipv4.ping_group_range (unprivileged ping sockets).</summary>
    public static bool PingGroupAllows(int gid)
    {
        try
        {
            string[] range = File.ReadAllText("/proc/sys/net/ipv4/ping_group_range")
                .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            long low = long.Parse(range[0], CultureInfo.InvariantCulture), high = long.Parse(range[1], CultureInfo.InvariantCulture);
            return gid >= low && gid <= high;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Can this process open an ICMP socket of either kind?</summary>
    public static bool CanPing => IsRoot || (OperatingSystem.IsLinux() && PingGroupAllows((int)GetEffectiveGroupId()));

    /// <summary>
    /// Can we run our CLI as <c>nobody</c> (root, setpriv installed, and the build readable by others)?
    /// Probed once by really doing it.
    /// </summary>
    public static bool CanRunAsNobody { get; } = ProbeRunAsNobody();

    /// <summary>The argument list that runs <c>sockit ARGS</c> as nobody through setpriv.</summary>
    public static string[] AsNobody(params string[] sockitArguments) => ProgramAsNobody(Repo.SockitPath, sockitArguments);

    /// <summary>The argument list that runs <paramref name="program"/> ARGS as nobody through setpriv.</summary>
    public static string[] ProgramAsNobody(string program, params string[] arguments)
        => ["--reuid=" + Nobody, "--regid=" + Nobody, "--clear-groups", "--", program, .. arguments];

    public static string? SetprivPath => new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists);

    private static bool ProbeRunAsNobody()
        => IsRoot && SetprivPath is not null && CommandProbe.Succeeds(SetprivPath, AsNobody("--help"));

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getegid")]
    private static partial uint GetEffectiveGroupId();
}

/// <summary>A fact that needs an ICMP socket: root, or a group inside net.ipv4.ping_group_range.</summary>
public sealed class IcmpFactAttribute : FactAttribute
{
    public IcmpFactAttribute()
    {
        if (!Privileges.CanPing)
            Skip = "needs root (CAP_NET_RAW) or a group in net.ipv4.ping_group_range to open ICMP sockets; CI runs as root";
    }
}

/// <summary>A theory that needs an ICMP socket (see <see cref="IcmpFactAttribute"/>).</summary>
public sealed class IcmpTheoryAttribute : TheoryAttribute
{
    public IcmpTheoryAttribute()
    {
        if (!Privileges.CanPing)
            Skip = "needs root (CAP_NET_RAW) or a group in net.ipv4.ping_group_range to open ICMP sockets; CI runs as root";
    }
}

/// <summary>A fact that runs our CLI as <c>nobody</c> through setpriv.</summary>
public sealed class AsNobodyFactAttribute : FactAttribute
{
    public AsNobodyFactAttribute()
    {
        if (!Privileges.CanRunAsNobody)
            Skip = "needs root, setpriv (util-linux) and a build directory readable by 'nobody'";
    }
}
