using System.CommandLine;
using Sockit.Cli.Relay;
using Sockit.Relay;

namespace Sockit.Cli.Commands;

/// <summary>
/// ncat's <c>-e/--exec PROG</c> and <c>-c/--sh-exec CMD</c> on <c>sockit cat</c> and <c>sockit nc</c>: the
/// program, instead of stdin/stdout, is the connection's other end.
/// </summary>
internal sealed class ExecFlags
{
    private readonly Option<string?> _exec = new("--exec", "-e")
    {
        Description = "Run PROG for each connection, its stdin/stdout being the connection (split on spaces, no shell)",
        HelpName = "PROG",
    };
    private readonly Option<string?> _shell = new("--sh-exec", "-c")
    {
        Description = "Run CMD through /bin/sh -c for each connection, its stdin/stdout being the connection",
        HelpName = "CMD",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_exec);
        command.Options.Add(_shell);
    }

    /// <summary><paramref name="settings"/> with the program to run, after checking it goes with the other flags.</summary>
    public CatSettings Apply(ParseResult r, CatSettings settings)
    {
        string? exec = r.GetValue(_exec), shell = r.GetValue(_shell);
        if (exec is null && shell is null) return settings;
        if (exec is not null && shell is not null) throw new UserError("give -e PROG or -c CMD, not both");
        if (settings.Udp) throw new UserError("-e/-c over UDP is not supported yet");
        if (settings.ScanPorts is not null) throw new UserError("-z only probes ports; it runs no program (-e/-c)");
        if (StdioOnlyFlag(settings) is { } flag)
            throw new UserError($"{flag} is about stdin/stdout; with -e/-c the program is the other end (not supported together yet)");
        if (shell is not null)
        {
            if (string.IsNullOrWhiteSpace(shell)) throw new UserError("-c needs a shell command");
            return settings with { Exec = new ExecProgram(null, shell) };
        }
        IReadOnlyList<string> argv = ExecCommandLine.Split(exec!);
        if (argv.Count == 0) throw new UserError("-e needs a program");
        if (!ProgramExists(argv[0])) throw new UserError($"[Exec error]: cannot run '{argv[0]}': no such executable (-e runs a program without a shell; -c CMD uses /bin/sh)");
        return settings with { Exec = new ExecProgram(argv, null) };
    }

    private static string? StdioOnlyFlag(CatSettings s) =>
        s.SendOnly ? "--send-only"
        : s.RecvOnly ? "--recv-only"
        : s.QuitAfterEof is not null ? "-q"
        : s.Crlf ? "-C"
        : s.SessionLog is not null ? "-o"
        : s.HexDump is not null ? "-x"
        : s.Sha256 ? "--sha256"
        : s.ExpectSha256 is not null ? "--expect-sha256"
        : null;

    /// <summary>As execvp looks: a name with a slash is a path, otherwise each directory of PATH.</summary>
    private static bool ProgramExists(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal)) return IsExecutableFile(program);
        string path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        return path.Split(':').Any(dir => IsExecutableFile(Path.Combine(dir.Length == 0 ? "." : dir, program)));
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path)) return false;
        if (OperatingSystem.IsWindows()) return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
