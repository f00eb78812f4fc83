using System.Globalization;

namespace Sockit.Endpoints;

/// <summary>Parses port numbers the way users type them, with errors that say what is wrong.</summary>
public static class PortNumber
{
    /// <summary>
    /// Parses <paramref name="text"/> as a port. Listeners may pass <paramref name="allowZero"/> so that
    /// 0 asks the kernel for a free port (useful in scripts and tests). A leading zero (<c>0100</c>) is refused:
    /// socat reads it as octal (64), most other tools as decimal (100), so either reading would surprise someone.
    /// </summary>
    /// <exception cref="FormatException">The text is not a whole number in range; the message says so.</exception>
    public static int Parse(string text, bool allowZero = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        int min = allowZero ? 0 : 1;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < min || port > 65535)
            throw new FormatException($"invalid port '{text}': must be a number from {min} to 65535");
        if (text.Length > 1 && text[0] == '0')
            throw new FormatException($"invalid port '{text}': a leading zero is ambiguous (socat reads it as octal); write {port} if you mean decimal");
        return port;
    }
}
