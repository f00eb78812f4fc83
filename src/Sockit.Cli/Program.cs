using System.CommandLine;
using Sockit.Cli;
using Sockit.Cli.Commands;
using Sockit.Cli.Output;

// Program.cs only builds the command tree and turns failures into one line and an exit code;
// what each command does lives in Commands/ and in the library.
var usages = new Dictionary<string, string>
{
    ["serve"] = ServeCommand.Usage,
    ["connect"] = ConnectCommand.Usage,
    ["scan"] = ScanCommand.Usage,
    ["ping"] = PingCommand.Usage,
    ["resolve"] = ResolveCommand.Usage,
    ["addr"] = AddrCommand.Usage,
    ["cat"] = CatCommand.Usage,
    ["nc"] = CatCommand.NcUsage,
    ["relay"] = RelayCommand.Usage,
};
var root = new RootCommand("Sockit: the socket toolkit. Start with 'sockit serve 10001' and 'sockit connect 127.0.0.1 10001'.")
{
    ServeCommand.Create(),
    ConnectCommand.Create(),
    ScanCommand.Create(),
    PingCommand.Create(),
    ResolveCommand.Create(),
    AddrCommand.Create(),
    CatCommand.Create(),
    CatCommand.Create("nc"),
    RelayCommand.Create(),
};

// 'sockit', 'sockit help' and 'sockit help COMMAND' are requests for help: the help text on stdout, exit 0,
// the same as --help. Only a wrong command line is an error (one line on stderr, exit 1).
args = args switch
{
    [] or ["help"] => ["--help"],
    ["help", string command] => [command, "--help"],
    _ => args,
};

// Response files (@file) are off: '@name' is how users write a Linux abstract Unix socket name.
ParseResult parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
if (parsed.Errors.Count > 0)
{
    string name = parsed.CommandResult.Command.Name;
    string usage = usages.TryGetValue(name, out string? u) ? u : "sockit COMMAND ... (see sockit --help)";
    string message = parsed.Errors[0].Message;
    // A value our own parsers rejected already says what is wrong ("invalid --backlog '-1': ..."), like the
    // errors found after parsing; a malformed command line gets the usage with the parser's complaint.
    LineWriter.Stderr.WriteLine(message.StartsWith("invalid ", StringComparison.Ordinal) ? message : $"[Usage]: {usage} ({message})");
    return ExitCodes.Failure;
}

try
{
    try
    {
        return await parsed.InvokeAsync(new InvocationConfiguration
        {
            // Commands register their own SIGINT/SIGTERM handling so servers can drain before exiting.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        });
    }
    catch (UserError e)
    {
        LineWriter.Stderr.WriteLine(e.Message);
        return e.ExitCode;
    }
    catch (OperationCanceledException)
    {
        return ExitCodes.Failure;
    }
    catch (Exception e)
    {
        // Anything unexpected still gets one line, never a stack trace.
        LineWriter.Stderr.WriteLine($"sockit: {e.Message}");
        return ExitCodes.Failure;
    }
}
finally
{
    // serve queues its log lines (see LineWriter); all of them are written before the process exits.
    LineWriter.DrainAll();
}
