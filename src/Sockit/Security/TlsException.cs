namespace Sockit.Security;

/// <summary>
/// A TLS failure a person can act on: the message is one line that says what went wrong and, where there is
/// one, what to do (for example <c>certificate for 127.0.0.1 is self-signed and not trusted (use ...)</c>).
/// </summary>
public sealed class TlsException : Exception
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public TlsException(string message) : base(message)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public TlsException(string message, Exception? inner) : base(message, inner)
    {
    }

    /// <summary>An unspecified TLS failure.</summary>
    public TlsException() : base("TLS failed")
    {
    }
}
