using System.Text;

namespace Sockit.Relay;

/// <summary>
/// How <c>-e PROG</c> becomes argv, as ncat does it and without a shell: split on runs of spaces and tabs;
/// a backslash makes the next character literal (<c>a\ b</c> is one argument). Quotes are ordinary
/// characters, and nothing else is special: no variables, globs, pipes or redirections.
/// </summary>
public static class ExecCommandLine
{
    /// <summary>The argv for <paramref name="commandLine"/>; empty when it holds only spaces.</summary>
    public static IReadOnlyList<string> Split(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var argv = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < commandLine.Length; i++)
        {
            char c = commandLine[i];
            if (c is ' ' or '\t')
            {
                if (inWord) argv.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            if (c == '\\' && i + 1 < commandLine.Length) c = commandLine[++i];
            word.Append(c);
            inWord = true;
        }
        if (inWord) argv.Add(word.ToString());
        return argv;
    }
}
