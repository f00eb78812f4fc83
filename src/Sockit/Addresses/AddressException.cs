namespace Sockit.Addresses;

/// <summary>An address that cannot be used; the message is one line naming the bad part and the address.</summary>
public sealed class AddressException : FormatException
{
    /// <summary>Creates the exception with its message, control characters (from the address echoed in it) shown escaped.</summary>
    public AddressException(string message)
        : base(OneLine(message))
    {
    }

    /// <summary>Creates the exception with no detail.</summary>
    public AddressException()
        : base("bad address")
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public AddressException(string message, Exception innerException)
        : base(OneLine(message), innerException)
    {
    }

    // An address echoed back may hold newlines or escape sequences; the message stays one printable line.
    private static string OneLine(string message)
    {
        if (!message.Any(char.IsControl)) return message;
        var line = new System.Text.StringBuilder(message.Length + 8);
        foreach (char c in message)
        {
            if (!char.IsControl(c)) line.Append(c);
            else if (c == '\n') line.Append("\\n");
            else if (c == '\t') line.Append("\\t");
            else line.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return line.ToString();
    }
}
