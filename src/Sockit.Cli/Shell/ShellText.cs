namespace Sockit.Cli.Shell;

/// <summary>Quoting and naming rules the generated shell scripts share.</summary>
internal static class ShellText
{
    /// <summary><paramref name="text"/> as one single-quoted POSIX shell word (also valid in fish).</summary>
    public static string Single(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>True when an option's value is a file or a path, so a shell should complete file names for it.</summary>
    public static bool NamesAFile(string? helpName) => helpName is "FILE" or "PATH" or "DIR";

    /// <summary>The version without its source-revision suffix ("0.1.0+abc123" is "0.1.0"), so generated text changes only with releases.</summary>
    public static string Version()
    {
        string version = typeof(ShellText).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
