namespace Sockit.Relay;

/// <summary>What a relay moved and why it stopped.</summary>
/// <param name="BytesAToB">Bytes read from A and written to B (for stdio relays: sent).</param>
/// <param name="BytesBToA">Bytes read from B and written to A (for stdio relays: received).</param>
/// <param name="Reason">Why it ended; <see cref="RelayEndReason.BothEof"/> is the clean end.</param>
/// <param name="Error">The failure behind a reset, read or write error, when there is one.</param>
public sealed record RelayResult(long BytesAToB, long BytesBToA, RelayEndReason Reason, Exception? Error = null)
{
    /// <summary>True when nothing was lost: both directions ended at EOF (or quit/idle by request, or the program at an exec end exited).</summary>
    public bool Clean => Reason is RelayEndReason.BothEof or RelayEndReason.QuitAfterInputEof or RelayEndReason.IdleTimeout
        or RelayEndReason.ProgramExited;
}
