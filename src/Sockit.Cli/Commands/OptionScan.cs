using System.CommandLine;

namespace Sockit.Cli.Commands;

/// <summary>
/// Finds the first word of a command line that looks like an option but is none of the command's. The parser
/// alone would take <c>--baffle</c> as a positional (then say "invalid port '--baffle'") or split an unknown
/// letter out of a bundle (<c>-lve</c> becomes -l, -v and the positional "e"); this reads the words as the
/// parser will, knowing which options take a value.
/// </summary>
internal static class OptionScan
{
    private static readonly string[] HelpNames = ["-h", "--help", "-?"];

    /// <summary>The one line for the first unknown option in <paramref name="words"/> (after the command name), or null.</summary>
    /// <param name="command">The command whose options are known.</param>
    /// <param name="words">The words after the command's name.</param>
    /// <param name="ncFlags">True for cat and nc, where an nc/ncat flag we lack gets its own line (see <see cref="UnsupportedFlags"/>).</param>
    public static string? FirstUnknown(Command command, IReadOnlyList<string> words, bool ncFlags)
    {
        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            if (word == "--") return null;
            if (!LooksLikeOption(word) || HelpNames.Contains(word)) continue;
            if (Find(command, word) is { } exact)
            {
                if (TakesValue(exact)) i++;
                continue;
            }
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                int delimiter = word.IndexOfAny(['=', ':']);
                string name = delimiter < 0 ? word : word[..delimiter];
                if (delimiter > 0 && Find(command, name) is { } withValue && TakesValue(withValue)) continue;
                return Unknown(name, name, ncFlags);
            }
            (string? problem, bool valueFollows) = Bundle(command, word, ncFlags);
            if (problem is not null) return problem;
            if (valueFollows) i++;
        }
        return null;
    }

    /// <summary>
    /// <c>-lvk</c>: each letter must be a short option; the first one that takes a value takes the rest of the
    /// word (<c>-p9000</c>, <c>-lp9000</c>) or, at the end, the next word.
    /// </summary>
    private static (string? Problem, bool ValueFollows) Bundle(Command command, string word, bool ncFlags)
    {
        for (int j = 1; j < word.Length; j++)
        {
            string letter = "-" + word[j];
            Option? option = Find(command, letter);
            if (option is null) return (Unknown(letter, word, ncFlags), false);
            if (TakesValue(option)) return (null, j == word.Length - 1);
        }
        return (null, false);
    }

    private static string Unknown(string flag, string word, bool ncFlags)
    {
        string shown = flag == word ? flag : $"{flag} (in '{word}')";
        if (ncFlags && UnsupportedFlags.What(flag) is { } what) return $"{shown} is not supported yet ({what})";
        return flag == word ? $"unknown option '{word}'" : $"unknown option '{flag}' (in '{word}')";
    }

    /// <summary>An option is "-" or "--" then a letter; "-1" and "-" are values (a negative number, stdin).</summary>
    private static bool LooksLikeOption(string word)
        => word.Length > 1 && word[0] == '-' && (char.IsAsciiLetter(word[1]) || (word[1] == '-' && word.Length > 2));

    private static Option? Find(Command command, string name)
    {
        foreach (Option option in command.Options)
            if (option.Name == name || option.Aliases.Contains(name)) return option;
        return null;
    }

    // A flag (Option<bool>) may take "true"/"false" but never needs a value; an option that takes one needs at least one.
    private static bool TakesValue(Option? option) => option is not null && option.Arity.MinimumNumberOfValues > 0;
}
