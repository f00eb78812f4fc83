using System.Globalization;
using System.Text;
using Sockit.Endpoints;

namespace Sockit.Addresses;

/// <summary>Writes an <see cref="AddressSpec"/> back as text that <see cref="AddressParser"/> reads as the same spec.</summary>
internal static class AddressFormatter
{
    public static string Format(AddressSpec spec)
    {
        var text = new StringBuilder(AddressTable.Rule(spec.Kind).Name);
        switch (spec.Kind)
        {
            case AddressKind.Tcp or AddressKind.Udp or AddressKind.Tls:
                text.Append(':').Append(Host(spec.Host!)).Append(':').Append(spec.Port.ToString(CultureInfo.InvariantCulture));
                break;
            case AddressKind.TcpListen or AddressKind.UdpListen or AddressKind.TlsListen:
                text.Append(':');
                if (spec.Host is not null) text.Append(Host(spec.Host)).Append(':');
                text.Append(spec.Port.ToString(CultureInfo.InvariantCulture));
                break;
            case AddressKind.Exec:
                text.Append(':').Append(AddressLexer.Escape(string.Join(' ', spec.Argv!.Select(ArgvWord))));
                break;
            case AddressKind.Shell:
                text.Append(':').Append(AddressLexer.Escape(spec.Command!));
                break;
            case AddressKind.Unix or AddressKind.UnixListen or AddressKind.File:
                text.Append(':').Append(AddressLexer.Escape(spec.Path!));
                break;
        }
        AppendOptions(text, spec.Options);
        return text.ToString();
    }

    private static void AppendOptions(StringBuilder text, AddressOptions o)
    {
        if (o.Fork) text.Append(",fork");
        if (o.MaxConns is { } max) text.Append(",max-conns=").Append(max.ToString(CultureInfo.InvariantCulture));
        if (o.Bind is { } bind) text.Append(",bind=").Append(AddressLexer.Escape(bind));
        if (o.SourcePort is { } port) text.Append(",sourceport=").Append(port.ToString(CultureInfo.InvariantCulture));
        if (o.Family == IpFamily.IPv4) text.Append(",4");
        if (o.Family == IpFamily.IPv6) text.Append(",6");
        if (o.ReadOnly) text.Append(",rdonly");
        if (o.WriteOnly) text.Append(",wronly");
        if (o.Truncate) text.Append(",trunc");
        if (o.Certificate is { } cert) text.Append(",cert=").Append(AddressLexer.Escape(cert));
        if (o.Key is { } key) text.Append(",key=").Append(AddressLexer.Escape(key));
        if (o.CaFile is { } ca) text.Append(",cafile=").Append(AddressLexer.Escape(ca));
        if (!o.Verify) text.Append(",verify=0");
        if (o.Pin is { } pin) text.Append(",pin=").Append(pin.ToString());
        if (o.ServerName is { } name) text.Append(",servername=").Append(name);
        if (o.Alpn is { } alpn) text.Append(",alpn=").Append(AddressLexer.Escape(alpn));
        if (o.Ciphers is { } ciphers) text.Append(",ciphers=").Append(AddressLexer.Escape(ciphers));
        if (o.Proxy is { } proxy) text.Append(",proxy=").Append(proxy); // checked: a host, [IPv6] and a port, nothing to escape
        if (o.Proxy is not null && o.ProxyType != Proxies.ProxyKind.Http) text.Append(",proxy-type=").Append(Proxies.ProxyKinds.Name(o.ProxyType));
        // The password is never shown: this text goes into log lines.
        if (o.ProxyAuth is { } auth) text.Append(",proxy-auth=").Append(AddressLexer.Escape(auth.ToString()));
    }

    private static string Host(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

    /// <summary>One argv word as the exec split reads it back: spaces, tabs and backslashes escaped.</summary>
    private static string ArgvWord(string word)
    {
        var escaped = new StringBuilder(word.Length + 4);
        foreach (char c in word)
        {
            if (c is ' ' or '\t' or '\\') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
