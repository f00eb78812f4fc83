namespace Sockit.Proxies;

/// <summary>A user name and password for a proxy (ncat's <c>--proxy-auth USER:PASS</c>).</summary>
/// <param name="User">The user name (SOCKS5 allows at most 255 bytes of UTF-8).</param>
/// <param name="Password">The password; empty for SOCKS4, which carries a user id only.</param>
public sealed record ProxyCredentials(string User, string Password)
{
    /// <summary>
    /// Reads <c>USER:PASS</c>, split at the first colon (a password may contain colons); without a colon the whole
    /// text is the user and the password is empty.
    /// </summary>
    /// <exception cref="FormatException">The user name is empty.</exception>
    public static ProxyCredentials Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string user = colon < 0 ? text : text[..colon];
        if (user.Length == 0) throw new FormatException("the proxy user name is empty (give USER:PASS)");
        return new ProxyCredentials(user, colon < 0 ? "" : text[(colon + 1)..]);
    }

    /// <summary>
    /// What SOCKS4 sends as its user id: <c>USER:PASS</c> as given (SOCKS4 has no password field; ncat sends the
    /// whole <c>--proxy-auth</c> value), or <c>USER</c> alone when there is no password.
    /// </summary>
    public string Socks4UserId => Password.Length == 0 ? User : $"{User}:{Password}";

    /// <summary>Never shows the password.</summary>
    public override string ToString() => $"{User}:***";
}
