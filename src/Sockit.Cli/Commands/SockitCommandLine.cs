using System.CommandLine;
using System.CommandLine.Help;

namespace Sockit.Cli.Commands;

/// <summary>
/// The command tree of <c>sockit</c>, and the one place a command line is parsed and checked. Program.cs
/// runs what <see cref="Prepare"/> returns; tests call it to check a line in-process without running it.
/// </summary>
internal static class SockitCommandLine
{
    private const string RootUsage = "sockit COMMAND ... (see sockit --help)";

    private static readonly InvocationConfiguration Invocation = new()
    {
        // Commands register their own SIGINT/SIGTERM handling so servers can drain before exiting.
        ProcessTerminationTimeout = null,
        EnableDefaultExceptionHandler = false,
    };

    /// <summary>
    /// Parses and checks <paramref name="args"/> completely (unknown options, every host, port, duration and
    /// flag combination) without opening anything. Never throws: a bad line becomes <see cref="PreparedLine.Error"/>.
    /// </summary>
    public static PreparedLine Prepare(string[] args)
    {
        try
        {
            return Check(args);
        }
        catch (UserError e)
        {
            return PreparedLine.Failed(e.Message);
        }
        catch (Exception e)
        {
            return PreparedLine.Failed($"sockit: {e.Message}");
        }
    }

    private static PreparedLine Check(string[] args)
    {
        // 'sockit', 'sockit help' and 'sockit help COMMAND' are requests for help: the help text on stdout,
        // exit 0, the same as --help. Only a wrong command line is an error (one line on stderr, exit 1).
        args = args switch
        {
            [] or ["help"] => ["--help"],
            ["help", string name] => [name, "--help"],
            _ => args,
        };
        var usages = new Dictionary<Command, string>();
        RootCommand root = Build(usages);
        // Response files (@file) are off: '@name' is how users write a Linux abstract Unix socket name.
        ParseResult parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        Command command = parsed.CommandResult.Command;
        bool helpAsked = parsed.Action is HelpAction;

        if (!helpAsked && command != root && args.Length > 0 && args[0] == command.Name
            && OptionScan.FirstUnknown(command, args[1..], ncFlags: command.Name is "cat" or "nc") is { } unknown)
            return PreparedLine.Failed(unknown);

        if (!helpAsked && command == root && args.Length > 0 && parsed.Errors.Count > 0)
        {
            string names = string.Join(", ", root.Subcommands.Select(c => c.Name));
            return PreparedLine.Failed(args[0].StartsWith('-')
                ? $"unknown option '{args[0]}' (give a command first: {names})"
                : $"unknown command '{args[0]}' (the commands are {names}; see sockit --help)");
        }

        if (parsed.Errors.Count > 0)
        {
            string usage = usages.TryGetValue(command, out string? u) ? u : RootUsage;
            string message = parsed.Errors[0].Message;
            // A value our own parsers rejected already says what is wrong ("invalid --backlog '-1': ..."), like the
            // errors found after parsing; a malformed command line gets the usage with the parser's complaint.
            return PreparedLine.Failed(message.StartsWith("invalid ", StringComparison.Ordinal) ? message : $"[Usage]: {usage} ({message})");
        }

        if (!helpAsked && parsed.Action == command.Action && CommandPlan.Of(command) is { } plan)
        {
            CommandRun run = plan(parsed);
            return PreparedLine.Ready(cancel => run(cancel));
        }
        return PreparedLine.Ready(cancel => parsed.InvokeAsync(Invocation, cancel));
    }

    /// <summary>The command tree the parser uses, for reading it whole (the man page and completion tests).</summary>
    internal static RootCommand Tree() => Build([]);

    private static RootCommand Build(Dictionary<Command, string> usages)
    {
        var root = new RootCommand("Sockit: the socket toolkit. Start with 'sockit serve 10001' and 'sockit connect 127.0.0.1 10001'.");
        foreach ((Command command, string usage) in new (Command, string)[]
                 {
                     (ServeCommand.Create(), ServeCommand.Usage),
                     (ConnectCommand.Create(), ConnectCommand.Usage),
                     (ScanCommand.Create(), ScanCommand.Usage),
                     (PingCommand.Create(), PingCommand.Usage),
                     (ResolveCommand.Create(), ResolveCommand.Usage),
                     (AddrCommand.Create(), AddrCommand.Usage),
                     (CatCommand.Create(), CatCommand.Usage),
                     (CatCommand.Create("nc"), CatCommand.NcUsage),
                     (RelayCommand.Create(), RelayCommand.Usage),
                     (ProxyCommand.Create(), ProxyCommand.Usage),
                     (CompletionCommand.Create(), CompletionCommand.Usage), (ManCommand.Create(), ManCommand.Usage),
                 })
        {
            root.Subcommands.Add(command);
            usages[command] = usage;
        }
        return root;
    }
}
