namespace Sockit.Tests.CommandLines;

/// <summary>
/// The listening sockets this process holds, read from Linux's /proc: the inodes of LISTEN entries in
/// /proc/net/tcp, tcp6 and unix that are also among /proc/self/fd. Cheap enough to take before and after a run.
/// </summary>
internal static class ListeningSockets
{
    private const string TcpListen = "0A";
    private const string UnixListening = "01";

    public static IReadOnlySet<string> OfThisProcess()
    {
        var mine = new HashSet<string>(StringComparer.Ordinal);
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)) mine.Add(target[8..^1]);
        }
        var listening = new HashSet<string>(StringComparer.Ordinal);
        // tcp: "sl local rem st ... uid timeout inode"; the state is column 3, the inode column 9.
        foreach (string file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            foreach (string[] f in Rows(file))
                if (f.Length > 9 && f[3] == TcpListen && mine.Contains(f[9])) listening.Add(f[9]);
        // unix: "Num RefCount Protocol Flags Type St Inode Path"; __SO_ACCEPTCON (0x10000) in Flags marks a listener.
        foreach (string[] f in Rows("/proc/net/unix"))
            if (f.Length > 6 && f[3] == "00010000" && f[5] == UnixListening && mine.Contains(f[6])) listening.Add(f[6]);
        return listening;
    }

    private static IEnumerable<string[]> Rows(string file)
        => File.Exists(file)
            ? File.ReadLines(file).Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            : [];
}
