using Sockit.Relay;

namespace Sockit.Cli.Relay;

/// <summary>What <c>-e PROG</c> (an argv, never a shell) or <c>-c CMD</c> (an explicit <c>/bin/sh -c</c>) asked to run per connection.</summary>
internal sealed record ExecProgram(IReadOnlyList<string>? Argv, string? ShellCommand)
{
    public ExecEnd Start(ExecOptions options) => Argv is not null ? ExecEnd.Start(Argv, options) : ExecEnd.StartShell(ShellCommand!, options);
}
