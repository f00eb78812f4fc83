using Sockit.Endpoints;

namespace Sockit.Addresses;

/// <summary>The options after an address's commas, typed. Which apply to which kind is checked by <see cref="AddressParser"/>.</summary>
public sealed record AddressOptions
{
    /// <summary>No options.</summary>
    public static readonly AddressOptions None = new();

    /// <summary><c>fork</c> (listeners): keep accepting; each client gets its own second address.</summary>
    public bool Fork { get; init; }

    /// <summary><c>max-conns=N</c> (socat: <c>max-children</c>; listeners with <c>fork</c>): most clients at once.</summary>
    public int? MaxConns { get; init; }

    /// <summary><c>bind=ADDR</c>: the local IP address (or, for <c>unix:</c>, the local socket path) to bind.</summary>
    public string? Bind { get; init; }

    /// <summary><c>sourceport=N</c> (tcp, udp clients): the local port to bind.</summary>
    public int? SourcePort { get; init; }

    /// <summary><c>4</c> / <c>6</c> (socat: <c>pf=ip4</c>, <c>tcp4:</c>...): the IP family.</summary>
    public IpFamily Family { get; init; } = IpFamily.Any;

    /// <summary><c>rdonly</c> (file): only read the file; what arrives is refused.</summary>
    public bool ReadOnly { get; init; }

    /// <summary><c>wronly</c> (file): only write to the file; nothing is read from it.</summary>
    public bool WriteOnly { get; init; }

    /// <summary><c>trunc</c> (file): empty the file when it is opened.</summary>
    public bool Truncate { get; init; }
}
