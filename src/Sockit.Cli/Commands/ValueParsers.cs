using System.CommandLine;
using System.Globalization;
using Sockit.Endpoints;

namespace Sockit.Cli.Commands;

/// <summary>Parses the values users type for durations, sizes and file modes.</summary>
internal static class ValueParsers
{
    /// <summary>A port argument; a bad one is <c>[Server port error]: invalid port ...</c> with the given role.</summary>
    /// <param name="text">What the user typed.</param>
    /// <param name="role">"Server", "Client", ...: the first word of the seed-style prefix, or null for plain "[Port error]".</param>
    /// <param name="allowZero">True for listeners, where 0 asks the kernel for a free port.</param>
    public static int Port(string text, string? role, bool allowZero)
    {
        try
        {
            return PortNumber.Parse(text, allowZero);
        }
        catch (FormatException e)
        {
            throw new UserError($"[{(role is null ? "Port" : role + " port")} error]: {e.Message}");
        }
    }

    /// <summary>
    /// A host to connect to or look up: an IP literal or a well-formed name (<see cref="HostText"/>), brackets
    /// removed. Checked here, before anything is opened; whether a name resolves is found out when it is used.
    /// </summary>
    /// <param name="text">What the user typed.</param>
    /// <param name="role">"Client", "Scan", ...: the first word of the seed-style prefix.</param>
    public static string Host(string text, string role)
    {
        try
        {
            return HostText.Check(text);
        }
        catch (FormatException e)
        {
            throw new UserError($"[{role} address error]: {e.Message}");
        }
    }

    /// <summary>An address to listen on or bind to: an IP literal only (brackets removed), never a name.</summary>
    /// <param name="text">What the user typed.</param>
    /// <param name="role">"Server" for a listener, "Client" for a source address.</param>
    public static string Address(string text, string role = "Server")
    {
        try
        {
            HostText.Literal(text);
            return text.Length > 2 && text[0] == '[' ? text[1..^1] : text;
        }
        catch (FormatException e)
        {
            string doing = role == "Server" ? "listen on" : "bind to";
            throw new UserError($"[{role} address error]: cannot {doing} '{text}': {e.Message}");
        }
    }

    /// <summary>"30", "30s", "500ms", "2m", "1.5s" (plain numbers are seconds, as in nc's -w).</summary>
    public static TimeSpan Duration(string text, string option)
    {
        string t = text.Trim().ToLowerInvariant();
        (string number, double scale) = t switch
        {
            _ when t.EndsWith("ms", StringComparison.Ordinal) => (t[..^2], 0.001),
            _ when t.EndsWith('s') => (t[..^1], 1.0),
            _ when t.EndsWith('m') => (t[..^1], 60.0),
            _ when t.EndsWith('h') => (t[..^1], 3600.0),
            _ => (t, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value <= 0 || value * scale > int.MaxValue / 1000.0)
            throw new UserError($"invalid {option} '{text}': give a positive duration such as 30, 30s, 500ms or 2m");
        return TimeSpan.FromSeconds(value * scale);
    }

    /// <summary>
    /// An option holding a whole number from <paramref name="min"/> to <paramref name="max"/>. Anything else
    /// (too big for an int, a sign, hex, non-ASCII digits) is a parse error that names the option and the range,
    /// reported as one line like every other bad argument.
    /// </summary>
    public static Option<int> WholeNumber(string name, string? alias, int defaultValue, int min, int max)
    {
        Option<int> option = alias is null ? new(name) : new(name, alias);
        option.DefaultValueFactory = _ => defaultValue;
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return defaultValue;
            string text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
                return value;
            result.AddError($"invalid {name} '{text}': must be a whole number from {min} to {max}");
            return defaultValue;
        };
        return option;
    }

    /// <summary>"65536", "64k", "64KiB", "1m", "1MiB".</summary>
    public static int Size(string text, string option)
    {
        string t = text.Trim().ToLowerInvariant();
        (string number, long scale) = t switch
        {
            _ when t.EndsWith("kib", StringComparison.Ordinal) => (t[..^3], 1024L),
            _ when t.EndsWith("mib", StringComparison.Ordinal) => (t[..^3], 1024L * 1024),
            _ when t.EndsWith('k') => (t[..^1], 1024L),
            _ when t.EndsWith('m') => (t[..^1], 1024L * 1024),
            _ => (t, 1L),
        };
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value < 1 || value * scale > 256L * 1024 * 1024)
            throw new UserError($"invalid {option} '{text}': give a size from 1 byte to 256 MiB, such as 65536 or 64k");
        return (int)(value * scale);
    }

    /// <summary>Octal permission bits such as 660 or 0600.</summary>
    public static UnixFileMode Mode(string text)
    {
        try
        {
            int bits = Convert.ToInt32(text, 8);
            if (bits is < 0 or > 0x1FF) throw new FormatException();
            return (UnixFileMode)bits;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new UserError($"invalid --mode '{text}': give octal permission bits such as 660 or 600");
        }
    }
}
