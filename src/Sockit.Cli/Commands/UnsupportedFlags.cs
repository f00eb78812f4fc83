namespace Sockit.Cli.Commands;

/// <summary>
/// The flags of ncat and OpenBSD nc that <c>sockit nc</c> / <c>sockit cat</c> do not implement yet. A user who
/// types one gets one line naming it, never a silent ignore or a usage line. One row per feature: when a
/// feature is implemented, its row goes (docs/nc-compat.md lists the same rows).
/// </summary>
internal static class UnsupportedFlags
{
    private static readonly (string[] Flags, string What)[] Rows =
    [
        (["-P"], "OpenBSD nc: proxy user name (give --proxy-auth USER:PASS with -X/-x)"),
        (["--lua-exec"], "ncat: run a Lua script on the connection (-e and -c run programs)"),
        (["-t", "--telnet"], "answering Telnet negotiation"),
        (["-d", "--delay"], "ncat: delay between reads/writes; OpenBSD nc: do not read stdin"),
        (["--append-output"], "ncat: append to the -o/-x file"),
        (["--sctp"], "ncat: SCTP"),
        (["--vsock"], "ncat: vsock sockets"),
        (["-Z"], "OpenBSD nc: DCCP"),
        (["-g", "-G"], "ncat: loose source routing"),
        (["-b"], "OpenBSD nc: broadcast"),
        (["-D"], "OpenBSD nc: SO_DEBUG"),
        (["-F"], "OpenBSD nc: pass the socket to the parent"),
        (["-I", "-O"], "OpenBSD nc: TCP receive/send buffer length"),
        (["-M"], "OpenBSD nc: TTL"),
        (["-r"], "OpenBSD nc: random port order"),
        (["-S"], "OpenBSD nc: TCP MD5 signatures"),
        (["-T"], "OpenBSD nc: TOS / DSCP"),
        (["-V"], "OpenBSD nc: routing table"),
        (["-W"], "OpenBSD nc: quit after N packets"),
        (["--version"], "ncat: version; use 'sockit --version'"),
    ];

    /// <summary>What <paramref name="flag"/> does in nc/ncat when it is a flag not implemented yet, else null.</summary>
    public static string? What(string flag)
    {
        foreach ((string[] flags, string what) in Rows)
            if (Array.IndexOf(flags, flag) >= 0) return what;
        return null;
    }

    /// <summary>Every flag in the table (for tests: each must be refused with its line).</summary>
    public static IEnumerable<string> All => Rows.SelectMany(row => row.Flags);
}
