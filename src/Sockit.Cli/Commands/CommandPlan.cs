using System.CommandLine;
using System.Runtime.CompilerServices;

namespace Sockit.Cli.Commands;

/// <summary>What a checked command line does when run: listen, connect, print, ...</summary>
internal delegate Task<int> CommandRun(CancellationToken cancel);

/// <summary>
/// Every command is written in two steps: a plan that reads and checks the whole parsed line (ports, hosts,
/// durations, flag combinations) and throws <see cref="UserError"/> for anything wrong, without opening a
/// socket or a file; and the <see cref="CommandRun"/> it returns, which does the work. So a bad line is refused
/// before anything listens, and <see cref="SockitCommandLine.Prepare"/> can check a line without running it.
/// </summary>
internal static class CommandPlan
{
    private static readonly ConditionalWeakTable<Command, Func<ParseResult, CommandRun>> Plans = [];

    /// <summary>Sets <paramref name="command"/>'s action to "plan, then run".</summary>
    public static void SetPlan(this Command command, Func<ParseResult, CommandRun> plan)
    {
        Plans.AddOrUpdate(command, plan);
        command.SetAction((result, cancel) => plan(result)(cancel));
    }

    /// <summary>The plan of <paramref name="command"/>, when it was given one by <see cref="SetPlan"/>.</summary>
    public static Func<ParseResult, CommandRun>? Of(Command command)
        => Plans.TryGetValue(command, out Func<ParseResult, CommandRun>? plan) ? plan : null;
}
