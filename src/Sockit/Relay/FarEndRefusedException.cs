namespace Sockit.Relay;

/// <summary>
/// Thrown by a <see cref="FarEndFactory"/> that has refused its client on purpose and told it why (a proxy's refusal
/// reply, say): <see cref="RelayListener"/> logs the message, one line, to its <c>Log</c> (<c>-v</c>), not as an error,
/// and closes the client.
/// </summary>
public sealed class FarEndRefusedException : Exception
{
    /// <summary>Creates the exception; <paramref name="message"/> is the whole log line.</summary>
    public FarEndRefusedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception; <paramref name="message"/> is the whole log line.</summary>
    public FarEndRefusedException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FarEndRefusedException()
    {
    }
}
