using System.Net;
using System.Net.Sockets;

namespace Sockit.Endpoints;

/// <summary>
/// Checks what users type as a host before anything is resolved or bound: an IPv4 literal (as inet_aton reads
/// it: <c>127.0.0.1</c>, <c>127.1</c>), an IPv6 literal (bare or in brackets: <c>::1</c>, <c>[::1]</c>), or a
/// host name made of letters, digits, <c>-</c> and <c>_</c>. Everything else (<c>1.2.3.4.5</c>, <c>::1::1</c>,
/// <c>[::1</c>, <c>127.0.0.1:</c>, a name with a space) is a syntax error: no resolver could answer it, so it is
/// refused at once rather than when the first connection needs it.
/// </summary>
public static class HostText
{
    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>The host to resolve: an IP literal without brackets, or the host name as given.</summary>
    /// <exception cref="FormatException">The text can be neither; the message says why, in one line.</exception>
    public static string Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryLiteral(text, out _, out string? why)) return Unbracket(text);
        if (why is not null) throw new FormatException($"invalid host '{text}': {why}");
        CheckName(text);
        return text;
    }

    /// <summary>An IP literal (bracketed or not), the only kind of host a listener or a source address can be.</summary>
    /// <exception cref="FormatException">
    /// The text is not an IPv4 or IPv6 address; the message is the reason alone ("give an IPv4 or IPv6
    /// address", "brackets must enclose ..."), for the caller to put after what it was doing.
    /// </exception>
    public static IPAddress Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryLiteral(text, out IPAddress? address, out string? why)) return address;
        throw new FormatException(why ?? "give an IPv4 or IPv6 address");
    }

    /// <summary>
    /// True for a well-formed literal. When false, <paramref name="why"/> is set if the text can only have been
    /// meant as a literal (brackets, a colon, nothing but digits and dots) and so cannot be a host name either.
    /// </summary>
    private static bool TryLiteral(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address, out string? why)
    {
        address = null;
        why = null;
        if (text.Length == 0)
        {
            why = "empty; give a host name or an IP address";
            return false;
        }
        if (text[0] == '[' || text[^1] == ']')
        {
            if (text.Length < 3 || text[0] != '[' || text[^1] != ']' || text.IndexOf(']') != text.Length - 1)
                why = "brackets must enclose the whole IPv6 address, as in [::1]";
            else if (!IPAddress.TryParse(text[1..^1], out address) || address.AddressFamily != AddressFamily.InterNetworkV6)
                why = "brackets hold an IPv6 address, as in [::1]";
            return why is null;
        }
        if (text.Contains(':', StringComparison.Ordinal))
        {
            // .NET would also read "[::1]:80"-like forms; a bare literal with a colon must be all IPv6.
            if (IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6) return true;
            why = "a colon belongs only in an IPv6 address (give the port as its own argument)";
            return false;
        }
        if (LastLabelIsNumeric(text))
        {
            if (IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetwork) return true;
            why = "not an IPv4 address (four numbers from 0 to 255, as in 127.0.0.1)";
            return false;
        }
        return IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetwork;
    }

    /// <summary>A name whose last label is a number can only be an IPv4 address (no top-level domain is numeric).</summary>
    private static bool LastLabelIsNumeric(string text)
    {
        string last = text[(text.LastIndexOf('.') + 1)..];
        return last.Length > 0 && last.All(char.IsAsciiDigit);
    }

    private static void CheckName(string text)
    {
        string name = text.EndsWith('.') ? text[..^1] : text;
        if (text.Length > MaxNameLength + 1 || name.Length == 0)
            throw new FormatException($"invalid host '{text}': a host name is 1 to {MaxNameLength} characters");
        if (name[0] == '-')
            throw new FormatException($"invalid host '{text}': a host name cannot start with '-'");
        foreach (string label in name.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength)
                throw new FormatException($"invalid host '{text}': each dot-separated part of a name is 1 to {MaxLabelLength} characters");
            foreach (char c in label)
            {
                if (!char.IsLetterOrDigit(c) && c is not '-' and not '_')
                    throw new FormatException($"invalid host '{text}': {Describe(c)} cannot appear in a host name");
            }
        }
    }

    private static string Describe(char c) => c switch
    {
        ' ' => "a space",
        _ when char.IsControl(c) || char.IsWhiteSpace(c) => $"the character U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    private static string Unbracket(string text) => text[0] == '[' ? text[1..^1] : text;
}
