namespace Sockit.Addresses;

/// <summary>What an address is: one end of <c>sockit relay ADDR1 ADDR2</c>.</summary>
public enum AddressKind
{
    /// <summary><c>-</c> / <c>stdio</c>: our stdin and stdout.</summary>
    Stdio,
    /// <summary><c>tcp:HOST:PORT</c>: a TCP connection we make.</summary>
    Tcp,
    /// <summary><c>tcp-listen:[BIND:]PORT</c>: a TCP client we accept.</summary>
    TcpListen,
    /// <summary><c>udp:HOST:PORT</c>: a connected UDP socket.</summary>
    Udp,
    /// <summary><c>udp-listen:[BIND:]PORT</c>: UDP peers we hear from.</summary>
    UdpListen,
    /// <summary><c>unix:PATH</c> (<c>@name</c>: Linux abstract): a Unix stream connection we make.</summary>
    Unix,
    /// <summary><c>unix-listen:PATH</c>: a Unix stream client we accept.</summary>
    UnixListen,
    /// <summary><c>exec:PROGRAM ARGS...</c>: a program run from an argv, never through a shell.</summary>
    Exec,
    /// <summary><c>sh:COMMAND</c>: a command run by <c>/bin/sh -c</c>, the one explicit shell.</summary>
    Shell,
    /// <summary><c>file:PATH</c>: a file read and appended to.</summary>
    File,
    /// <summary><c>tls:HOST:PORT</c>: a TCP connection, then a verified TLS client handshake.</summary>
    Tls,
    /// <summary><c>tls-listen:[BIND:]PORT</c>: a TCP listener whose clients do a TLS server handshake first.</summary>
    TlsListen,
}
