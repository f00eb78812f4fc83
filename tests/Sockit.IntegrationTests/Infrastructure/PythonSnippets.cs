namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>Pieces of the Python 3 peers that several tests share, written at column 0 for interpolation.</summary>
public static class PythonSnippets
{
    /// <summary>Reads socket <c>s</c> until the server closes, then prints everything it sent.</summary>
    public const string PrintUntilClosed = """
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        sys.stdout.write(data.decode())
        """;
}
