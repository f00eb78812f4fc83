using System.CommandLine;
using System.CommandLine.Completions;
using System.Globalization;

namespace Sockit.Cli.Shell;

/// <summary>One option as shells and the man page show it.</summary>
/// <param name="Names">Every spelling, short ones first (<c>-b</c>, <c>--bind</c>); Windows-style <c>/h</c> left out.</param>
/// <param name="HelpName">What its value is called (ADDR, PATH, ...), or null for a flag.</param>
/// <param name="Description">The help text.</param>
/// <param name="Choices">The only values it accepts, when it has such a list; else empty.</param>
/// <param name="Default">Its value when not given, for an option that takes one and has a default; else null.</param>
internal sealed record OptionNode(IReadOnlyList<string> Names, string? HelpName, string Description, IReadOnlyList<string> Choices, string? Default)
{
    public bool TakesValue => HelpName is not null;
}

/// <summary>One positional argument: its name, its help text and, when it has a fixed list, the values it accepts.</summary>
internal sealed record ArgumentNode(string Name, string Description, bool Optional, bool Many, IReadOnlyList<string> Choices);

/// <summary>
/// A command of the tree with what it accepts, read from the System.CommandLine objects themselves at run time,
/// so the completion scripts and the man page generated from it list exactly what the parser accepts.
/// </summary>
/// <param name="Path">The words that name it: <c>["sockit"]</c>, <c>["sockit", "serve"]</c>.</param>
/// <param name="Description">Its help text.</param>
/// <param name="Options">Its options, with those inherited from above (--help).</param>
/// <param name="Arguments">Its positional arguments.</param>
/// <param name="Subcommands">The commands below it.</param>
internal sealed record CommandNode(
    IReadOnlyList<string> Path,
    string Description,
    IReadOnlyList<OptionNode> Options,
    IReadOnlyList<ArgumentNode> Arguments,
    IReadOnlyList<CommandNode> Subcommands)
{
    public string Name => Path[^1];

    /// <summary>The path as one string, "sockit serve": the key the completion scripts switch on.</summary>
    public string Key => string.Join(' ', Path);

    /// <summary>This command and every command below it, parents first.</summary>
    public IEnumerable<CommandNode> SelfAndDescendants()
        => Subcommands.SelectMany(c => c.SelfAndDescendants()).Prepend(this);
}

/// <summary>Walks a command tree into <see cref="CommandNode"/>s.</summary>
internal static class CommandTree
{
    /// <summary>The tree under <paramref name="root"/>, named <paramref name="executable"/> (the root's own name is the assembly's path).</summary>
    public static CommandNode Read(Command root, string executable = "sockit") => Read(root, [executable], []);

    private static CommandNode Read(Command command, IReadOnlyList<string> path, IReadOnlyList<Option> inherited)
    {
        // Options marked Recursive (--help) apply to every command below the one that declares them.
        List<Option> recursive = [.. inherited, .. command.Options.Where(o => o.Recursive && !o.Hidden)];
        IEnumerable<Option> options = command.Options.Where(o => !o.Hidden).Concat(inherited).Distinct();
        return new CommandNode(
            path,
            command.Description ?? "",
            [.. options.Select(ReadOption)],
            [.. command.Arguments.Where(a => !a.Hidden).Select(ReadArgument)],
            [.. command.Subcommands.Where(c => !c.Hidden).Select(c => Read(c, [.. path, c.Name], recursive))]);
    }

    private static OptionNode ReadOption(Option option)
    {
        string[] names = [.. option.Aliases.Append(option.Name).Where(n => n.StartsWith('-')).Distinct()
            .OrderBy(n => n.StartsWith("--", StringComparison.Ordinal)).ThenBy(n => n, StringComparer.Ordinal)];
        bool takesValue = option.Arity.MinimumNumberOfValues > 0;
        string? helpName = takesValue ? option.HelpName ?? "VALUE" : null;
        string? defaultValue = takesValue && option.HasDefaultValue ? Convert.ToString(option.GetDefaultValue(), CultureInfo.InvariantCulture) : null;
        return new OptionNode(names, helpName, option.Description ?? "", takesValue ? Choices(option.GetCompletions(CompletionContext.Empty)) : [],
            string.IsNullOrEmpty(defaultValue) ? null : defaultValue);
    }

    private static ArgumentNode ReadArgument(Argument argument)
        => new(argument.HelpName ?? argument.Name, argument.Description ?? "", argument.Arity.MinimumNumberOfValues == 0,
            argument.Arity.MaximumNumberOfValues > 1, Choices(argument.GetCompletions(CompletionContext.Empty)));

    private static string[] Choices(IEnumerable<CompletionItem> items) => [.. items.Select(i => i.Label)];
}
