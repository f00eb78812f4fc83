using System.CommandLine;
using Sockit.Cli.Relay;

namespace Sockit.Cli.Commands;

/// <summary>
/// ncat's <c>--broker</c> and <c>--chat</c> on <c>sockit nc</c> and <c>sockit cat</c>: with <c>-l</c>, every client's
/// bytes go to every other client (and stdin's to all of them); <c>--chat</c> adds ncat's <c>&lt;userN&gt;</c> lines.
/// </summary>
internal sealed class BrokerFlags
{
    private readonly Option<bool> _broker = new("--broker")
    {
        Description = "With -l: connection brokering, each client's bytes go to every other client (stdin's to all)",
    };
    private readonly Option<bool> _chat = new("--chat")
    {
        Description = "With -l: chat (implies --broker); lines go to the others as '<userN> LINE', joins and leaves announced",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_broker);
        command.Options.Add(_chat);
    }

    /// <summary><paramref name="settings"/> with brokering, after checking it goes with the other flags.</summary>
    public CatSettings Apply(ParseResult r, CatSettings settings)
    {
        bool chat = r.GetValue(_chat), broker = chat || r.GetValue(_broker);
        if (!broker) return settings;
        string flag = chat ? "--chat" : "--broker";
        if (!settings.Listen) throw new UserError($"{flag} needs -l: the broker is a listener its clients connect to");
        if (settings.Udp) throw new UserError($"{flag} is for stream listeners (TCP or Unix), not UDP");
        if (settings.Exec is not null) throw new UserError($"{flag} relays clients to each other; it runs no program (-e/-c)");
        if (UnsupportedWith(settings) is { } other)
            throw new UserError($"{other} is about a single stdin/stdout session; it cannot be used with {flag}");
        return settings with { Broker = new BrokerMode(chat) };
    }

    private static string? UnsupportedWith(CatSettings s) =>
        s.SendOnly ? "--send-only"
        : s.QuitAfterEof is not null ? "-q"
        : s.SessionLog is not null ? "-o"
        : s.HexDump is not null ? "-x"
        : s.Sha256 ? "--sha256"
        : s.ExpectSha256 is not null ? "--expect-sha256"
        : null;
}
