using Sockit.Relay;

namespace Sockit.Addresses;

/// <summary>
/// Reads an address (<c>tcp:example.org:80</c>, <c>tcp-listen:8080,fork</c>, <c>exec:'/bin/cat -u'</c>, ...)
/// into an <see cref="AddressSpec"/>, through the one table of keywords and options. Every failure is an
/// <see cref="AddressException"/> whose message is one line naming the bad part and the address.
/// </summary>
public static class AddressParser
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="AddressException">Unknown keyword or option, bad parameter, option not for this kind, not supported yet.</exception>
    public static AddressSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new AddressException("empty address");
        (List<string> head, List<string> options) = AddressLexer.Split(text);
        string keyword = head[0];
        Keyword spelling = AddressTable.FindKeyword(keyword)
            ?? throw new AddressException($"unknown address type '{keyword}' in '{text}' (known: {string.Join(", ", AddressTable.Kinds.Select(k => k.Name))})");
        KindRule rule = AddressTable.Rule(spelling.Kind);
        var context = new AddressContext(text, spelling.Kind);
        if (!rule.Supported) throw new AddressException($"{rule.Name}: addresses are not supported yet: '{text}'");

        AddressSpec spec = Parameters(rule, spelling, head, context);
        AddressOptions result = spelling.Family == Endpoints.IpFamily.Any ? AddressOptions.None : AddressOptions.None with { Family = spelling.Family };
        foreach (string option in options) result = ApplyOption(result, option, rule, context);
        Check(spec, result, context);
        return spec with { Options = result };
    }

    private static AddressSpec Parameters(KindRule rule, Keyword spelling, List<string> head, AddressContext a)
    {
        var spec = new AddressSpec { Kind = rule.Kind };
        switch (rule.Shape)
        {
            case ParameterShape.None:
                if (head.Count > 1) throw a.Error($"{rule.Name} takes no parameters");
                return spec;
            case ParameterShape.HostPort:
                if (head.Count != 3) throw a.Error($"expected {rule.Usage}");
                return spec with { Host = AddressValues.Host(head[1], a), Port = AddressValues.Port(head[2], a, allowZero: false) };
            case ParameterShape.ListenPort:
                if (head.Count is < 2 or > 3) throw a.Error($"expected {rule.Usage}");
                string? bind = head.Count == 3 ? AddressValues.IpLiteral(head[1], a) : null;
                return spec with { Host = bind, Port = AddressValues.Port(head[^1], a, allowZero: true) };
            default:
                if (head.Count < 2 || string.Join(':', head.Skip(1)).Length == 0) throw a.Error($"expected {rule.Usage}");
                string rest = string.Join(':', head.Skip(1));
                return rule.Kind switch
                {
                    AddressKind.Exec => spec with { Argv = ExecCommandLine.Split(rest) is { Count: > 0 } argv ? argv : throw a.Error("exec: needs a PROGRAM") },
                    AddressKind.Shell => spec with { Command = string.IsNullOrWhiteSpace(rest) ? throw a.Error("sh: needs a COMMAND") : rest },
                    _ => spec with { Path = spelling.PathPrefix + rest },
                };
        }
    }

    private static AddressOptions ApplyOption(AddressOptions options, string option, KindRule rule, AddressContext a)
    {
        if (option.Length == 0) throw a.Error("empty option (two commas, or a trailing comma)");
        int equals = option.IndexOf('=', StringComparison.Ordinal);
        string name = equals < 0 ? option : option[..equals];
        OptionRule found = AddressTable.FindOption(name) ?? throw a.Error($"unknown option '{name}'");
        if (!found.Supported) throw a.Error($"option '{found.Name}' is not supported yet");
        if (!found.Kinds.Contains(rule.Kind))
            throw a.Error($"option '{found.Name}' does not apply to {rule.Name}: (it applies to {string.Join(", ", found.Kinds.Select(k => AddressTable.Rule(k).Name + ":"))})");
        if (found.TakesValue && equals < 0) throw a.Error($"option '{found.Name}' needs a value ({found.Name}=...)");
        if (!found.TakesValue && equals >= 0) throw a.Error($"option '{found.Name}' takes no value");
        return found.Apply(options, equals < 0 ? "" : option[(equals + 1)..], a);
    }

    /// <summary>Rules between options and parameters, checked once all are read.</summary>
    private static void Check(AddressSpec spec, AddressOptions o, AddressContext a)
    {
        if (o.MaxConns is not null && !o.Fork) throw a.Error("max-conns needs fork (without it one client is served)");
        if (o.Bind is not null && spec.Host is not null && spec.Kind is AddressKind.TcpListen or AddressKind.UdpListen)
            throw a.Error("the listen address is given twice (BIND: and bind=)");
        if (o.ReadOnly && (o.WriteOnly || o.Truncate)) throw a.Error("rdonly cannot go with wronly or trunc");
        if (o.Proxy is null && (o.ProxyType != Proxies.ProxyKind.Http || o.ProxyAuth is not null))
            throw a.Error("proxy-type and proxy-auth need proxy=HOST[:PORT]");
    }
}
