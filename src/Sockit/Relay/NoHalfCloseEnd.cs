namespace Sockit.Relay;

/// <summary>
/// Keeps the wrapped end's sending side open when the relay would half-close it (a peer that takes
/// shutdown(SHUT_WR) as "hang up"): completing writes does nothing; closing still closes.
/// </summary>
public sealed class NoHalfCloseEnd(DuplexEnd inner) : DuplexEndDecorator(inner)
{
    /// <inheritdoc />
    public override ValueTask CompleteWritesAsync() => ValueTask.CompletedTask;

    // The bytes pass untouched: only the half-close is held back, and the relay half-closes through this end.
    internal override Splice.SpliceableFile? SpliceSource => Inner.SpliceSource;

    internal override Splice.SpliceableFile? SpliceSink => Inner.SpliceSink;

    internal override System.Runtime.InteropServices.SafeHandle? GatherSocket => Inner.GatherSocket;
}
