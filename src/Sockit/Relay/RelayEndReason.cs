namespace Sockit.Relay;

/// <summary>Why a relay (or one direction of it) stopped. One value, so logs and tests can be precise.</summary>
public enum RelayEndReason
{
    /// <summary>Both directions reached end of stream and every byte read was written.</summary>
    BothEof,
    /// <summary>The peer reset the connection (ECONNRESET, EPIPE): bytes may have been lost.</summary>
    PeerReset,
    /// <summary>Reading a source failed for another reason.</summary>
    ReadError,
    /// <summary>Writing a sink failed for another reason (a full disk, a closed pipe on stdout, ...).</summary>
    WriteError,
    /// <summary>Nothing moved either way for longer than <see cref="RelayOptions.IdleTimeout"/>.</summary>
    IdleTimeout,
    /// <summary><see cref="RelayOptions.QuitAfterInputEof"/> elapsed after the first end's input ended.</summary>
    QuitAfterInputEof,
    /// <summary>The caller cancelled (Ctrl-C, shutdown).</summary>
    Cancelled,
    /// <summary>Keep-open: this connection fell too far behind the broadcast (it was not reading) and was dropped.</summary>
    FellBehind,
    /// <summary>
    /// The program at an <see cref="ExecEnd"/> exited: its output was delivered and the connection closed;
    /// input it had not read was discarded, as a pipe's reader that exits discards it.
    /// </summary>
    ProgramExited,
}
