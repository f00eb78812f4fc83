namespace Sockit.Relay;

/// <summary>Settings for <see cref="DuplexRelay"/>. The relay copies end A's input to end B and B's input to A.</summary>
public sealed record RelayOptions
{
    /// <summary>Default copy buffer: 64 KiB per direction, rented from the shared pool.</summary>
    public const int DefaultBufferSize = 64 * 1024;

    /// <summary>Bytes per read (one pooled buffer per direction).</summary>
    public int BufferSize { get; init; } = DefaultBufferSize;

    /// <summary>End the relay when nothing has moved either way for this long; <c>null</c> waits forever.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>
    /// After A's input ends (stdin EOF), end the whole relay this much later even if B is still sending
    /// (nc's <c>-q</c>); <c>null</c> waits for B to finish too.
    /// </summary>
    public TimeSpan? QuitAfterInputEof { get; init; }

    /// <summary>
    /// End the whole relay when B's input ends, without waiting for A's (a listener whose stdin is a terminal:
    /// nothing is pending there, so waiting for it would only wait for someone to type Ctrl-D).
    /// </summary>
    public bool EndAtBEof { get; init; }

    /// <summary>Copy A to B (false: never read A, as <c>--recv-only</c>).</summary>
    public bool CopyAToB { get; init; } = true;

    /// <summary>Copy B to A (false: never read B, as <c>--send-only</c>; the relay ends when A's input ends).</summary>
    public bool CopyBToA { get; init; } = true;

    /// <summary>Called once when an end's input reaches EOF: the side name ("A" or "B").</summary>
    public Action<string>? OnEof { get; init; }

    /// <summary>
    /// Runs each direction on a thread of its own instead of the thread pool, and switches a socket connection
    /// (also under decorators such as <see cref="HexDumpEnd"/>) to blocking recv/send: a direction then waits
    /// in the kernel, as nc does, instead of hopping through the runtime's event loop on every read. Worth it
    /// for one accepted connection that has made no asynchronous call yet; after one, the runtime keeps the
    /// socket non-blocking and emulates blocking calls, no faster. A TLS end keeps its asynchronous calls.
    /// </summary>
    public bool DedicatedThreads { get; init; }
}
