using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Sockit.Transports;

/// <summary>
/// How many connections a server may hold open before the process runs out of file descriptors. Running out is
/// worse than refusing to accept: the .NET runtime needs a descriptor to start a thread-pool thread and, finding
/// none, aborts the whole process ("Out of memory.", SIGABRT). So a server stops accepting while it holds this
/// many connections; clients past it wait in the listen backlog until one finishes.
/// </summary>
internal static partial class DescriptorBudget
{
    // Left free for the runtime's own needs (thread creation, assemblies it loads late, name lookups, trace output).
    private const int Headroom = 32;

    /// <summary>The soft RLIMIT_NOFILE minus the descriptors open now and a headroom; at least 1.</summary>
    public static int Connections()
    {
        long limit = SoftLimit();
        if (limit <= 0 || limit > int.MaxValue) return int.MaxValue;
        return (int)Math.Max(1, limit - OpenNow() - Headroom);
    }

    private static long SoftLimit()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return -1;
        int resource = OperatingSystem.IsLinux() ? 7 : 8; // RLIMIT_NOFILE
        try
        {
            return (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && GetRLimit(resource, out RLimit limits) == 0
                ? (long)Math.Min(limits.Current, long.MaxValue) : -1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    private static int OpenNow()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : 64;
        }
        catch (IOException)
        {
            return 64;
        }
        catch (UnauthorizedAccessException)
        {
            return 64;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [SupportedOSPlatform("linux")]
    [SupportedOSPlatform("macos")]
    [DllImport("libc", EntryPoint = "getrlimit")]
    private static extern int GetRLimit(int resource, out RLimit limits);
}
