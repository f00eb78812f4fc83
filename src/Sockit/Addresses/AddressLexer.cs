using System.Text;

namespace Sockit.Addresses;

/// <summary>
/// Cuts an address into its head (keyword and parameters, split at colons) and its options (split at commas),
/// with socat's quoting: <c>'...'</c> is literal, <c>"..."</c> is literal but for <c>\"</c> and <c>\\</c>, a
/// backslash makes the next character literal, and <c>[...]</c> keeps its colons and commas (for
/// <c>[::1]:80</c>; the brackets stay in the text). Quotes are removed.
/// </summary>
internal static class AddressLexer
{
    /// <summary>The colon-separated pieces of the head, and the comma-separated options after it.</summary>
    public static (List<string> Head, List<string> Options) Split(string text)
    {
        var head = new List<string>();
        var options = new List<string>();
        var current = new StringBuilder();
        bool inHead = true;
        int brackets = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\\':
                    if (i + 1 == text.Length) throw new AddressException($"a backslash ends address '{text}': nothing follows it to escape");
                    current.Append(text[++i]);
                    break;
                case '\'':
                    int close = text.IndexOf('\'', i + 1);
                    if (close < 0) throw new AddressException($"unclosed ' in address '{text}'");
                    current.Append(text, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    i = DoubleQuoted(text, i, current);
                    break;
                case '[':
                    brackets++;
                    current.Append(c);
                    break;
                case ']' when brackets > 0:
                    brackets--;
                    current.Append(c);
                    break;
                case ',' when brackets == 0:
                    (inHead ? head : options).Add(current.ToString());
                    current.Clear();
                    inHead = false;
                    break;
                case ':' when brackets == 0 && inHead:
                    head.Add(current.ToString());
                    current.Clear();
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }
        if (brackets > 0) throw new AddressException($"unclosed [ in address '{text}'");
        (inHead ? head : options).Add(current.ToString());
        return (head, options);
    }

    private static int DoubleQuoted(string text, int open, StringBuilder current)
    {
        for (int i = open + 1; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"') return i;
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\') c = text[++i];
            current.Append(c);
        }
        throw new AddressException($"unclosed \" in address '{text}'");
    }

    /// <summary>Text that <see cref="Split"/> reads back as exactly <paramref name="value"/> inside one piece.</summary>
    public static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            if (c is '\\' or '\'' or '"' or ',' or '[' or ']') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
