namespace Sockit.Access;

/// <summary>
/// An allow or deny list that cannot be used: an entry that is not an address, range or host name, a host name that
/// does not resolve, or a list file that cannot be read. The message is one line naming the entry and where it was.
/// </summary>
public sealed class AccessListException : Exception
{
    /// <summary>An exception with a one-line message.</summary>
    public AccessListException(string message) : base(message)
    {
    }

    /// <summary>An exception with a one-line message and its cause.</summary>
    public AccessListException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>An exception with the default message.</summary>
    public AccessListException() : base("invalid access list")
    {
    }
}
