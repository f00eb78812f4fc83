namespace Sockit.Relay;

/// <summary>How relays describe themselves in log lines (the words <c>-v</c> prints).</summary>
public static class RelayText
{
    /// <summary>Why a relay ended, in words: "both directions closed", "idle timeout", ...</summary>
    public static string Describe(RelayEndReason reason) => reason switch
    {
        RelayEndReason.BothEof => "both directions closed",
        RelayEndReason.PeerReset => "connection reset by peer",
        RelayEndReason.ReadError => "read error",
        RelayEndReason.WriteError => "write error",
        RelayEndReason.IdleTimeout => "idle timeout",
        RelayEndReason.QuitAfterInputEof => "quit after end of input (-q)",
        RelayEndReason.ProgramExited => "program exited",
        RelayEndReason.Cancelled => "interrupted",
        RelayEndReason.FellBehind => "dropped: fell behind the broadcast (--send-queue)",
        _ => reason.ToString(),
    };

    /// <summary><c>WHO: sent N bytes, received M bytes; ended: WHY</c>, from end A's point of view.</summary>
    public static string Summary(string who, RelayResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return $"{who}: sent {result.BytesAToB} bytes, received {result.BytesBToA} bytes; ended: {Describe(result.Reason)}";
    }
}
