using System.CommandLine;
using Sockit.Cli.Output;
using Sockit.Diagnostics;

namespace Sockit.Cli.Commands;

/// <summary><c>--trace</c>: every socket call this process makes, on stderr, as it happens.</summary>
internal static class TraceOption
{
    public static Option<bool> Create() => new("--trace")
    {
        Description = "Print each socket call (socket, bind, accept, recv, ...) on stderr as it is made",
    };

    public static SocketTrace? From(ParseResult result, Option<bool> option)
        => result.GetValue(option) ? new SocketTrace(LineWriter.Stderr.WriteLine) : null;
}
