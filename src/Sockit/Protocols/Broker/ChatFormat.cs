using System.Text;

namespace Sockit.Protocols.Broker;

/// <summary>
/// How a chat hub frames what members say and announces who comes and goes. <see cref="Ncat"/> is ncat's
/// <c>--chat</c>; <see cref="Seed"/> is the seed's server that says yes to "would you like to chat?".
/// </summary>
/// <remarks>
/// Both frame on <c>\n</c>: each line goes to the others whole, after the speaker's prefix (a line longer than the
/// hub's buffer goes in pieces, each with the prefix). Bytes that would drive a terminal are written as <c>\ooo</c>
/// (octal), as ncat does; <c>\t</c>, <c>\r</c> and <c>\n</c> pass.
/// </remarks>
public sealed class ChatFormat
{
    private readonly bool _ncat;

    private ChatFormat(bool ncat) => _ncat = ncat;

    /// <summary>
    /// ncat's <c>--chat</c>: lines prefixed <c>&lt;userN&gt; </c>; every member hears
    /// <c>&lt;announce&gt; HOST is connected as &lt;userN&gt;.</c> and who was already there when one joins, and
    /// <c>&lt;announce&gt; &lt;userN&gt; is disconnected.</c> when one leaves; bytes outside printable ASCII escaped.
    /// </summary>
    public static ChatFormat Ncat { get; } = new(ncat: true);

    /// <summary>
    /// The seed's friendly server: one greeting line for the newcomer, <c>HOST:PORT said: </c> before each line,
    /// <c>HOST:PORT joined.</c> and <c>HOST:PORT left.</c> for the others; UTF-8 text passes unescaped.
    /// </summary>
    public static ChatFormat Seed { get; } = new(ncat: false);

    /// <summary>Whether <paramref name="b"/> is relayed as it is (else as <c>\ooo</c>).</summary>
    internal bool Passes(byte b) => b is >= 0x20 and < 0x7f or (byte)'\t' or (byte)'\r' or (byte)'\n' || (!_ncat && b >= 0x80);

    /// <summary>The bytes before each line the speaker says; made once per member, never per line.</summary>
    internal byte[] Prefix(Participant speaker)
        => Encoding.UTF8.GetBytes(_ncat ? $"<user{speaker.Number}> " : $"{speaker.Name} said: ");

    /// <summary>What the newcomer hears when it joins; <paramref name="others"/> were there before it.</summary>
    internal string Greeting(Participant newcomer, IReadOnlyList<Participant> others)
    {
        if (_ncat) return Announcement(newcomer, others);
        string company = others.Count switch
        {
            0 => "nobody else is here yet",
            1 => "1 other is here",
            _ => $"{others.Count} others are here",
        };
        return $"Hello {newcomer.Name}, I'm a friendly server and I would love to chat: {company}; every line you send goes to all of them.\n";
    }

    /// <summary>What the others hear when <paramref name="newcomer"/> joins.</summary>
    internal string Joined(Participant newcomer, IReadOnlyList<Participant> others)
        => _ncat ? Announcement(newcomer, others) : $"{newcomer.Name} joined.\n";

    /// <summary>What the others hear when <paramref name="leaver"/> leaves.</summary>
    internal string Left(Participant leaver)
        => _ncat ? $"<announce> <user{leaver.Number}> is disconnected.\n" : $"{leaver.Name} left.\n";

    // ncat lists the others in the order of their numbers (its file descriptors).
    private static string Announcement(Participant newcomer, IReadOnlyList<Participant> others)
    {
        var text = new StringBuilder($"<announce> {newcomer.Host} is connected as <user{newcomer.Number}>.\n<announce> already connected: ");
        if (others.Count == 0) text.Append("nobody");
        bool first = true;
        foreach (Participant other in others.OrderBy(p => p.Number))
        {
            if (!first) text.Append(", ");
            text.Append(other.Host).Append(" as <user").Append(other.Number).Append('>');
            first = false;
        }
        return text.Append(".\n").ToString();
    }
}
