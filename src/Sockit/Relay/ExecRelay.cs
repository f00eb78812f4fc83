namespace Sockit.Relay;

/// <summary>
/// A relay between a peer and a program (<see cref="ExecEnd"/>) where the program's exit ends the
/// connection: once it has exited and its output has been delivered (or <see cref="ExecOptions.Grace"/>
/// has passed, for output held open by a child of its own), the relay stops even if the peer is still
/// sending. The peer's EOF closes the program's stdin and its remaining output still reaches the peer.
/// </summary>
public static class ExecRelay
{
    /// <summary>
    /// Relays <paramref name="program"/> (end A, as stdio is for <c>sockit cat</c>: A to B is "sent") and
    /// <paramref name="peer"/> (end B) until both directions end or the program exits; the result's reason is
    /// then <see cref="RelayEndReason.ProgramExited"/>. The program is not stopped here: disposing it does that.
    /// </summary>
    public static async Task<RelayResult> RunAsync(ExecEnd program, DuplexEnd peer, RelayOptions options, TimeSpan grace, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(program);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task<RelayResult> relay = DuplexRelay.RunAsync(program, peer, options, stop.Token);
        Task exited = program.Exited;
        if (await Task.WhenAny(relay, exited).ConfigureAwait(false) == relay) return Finish(await relay.ConfigureAwait(false), program, cancel);

        // Its output may still be in the pipe: let the relay deliver it before stopping the peer's direction.
        // (OutputEnded is set by the read that returns 0, after every earlier chunk was written to the peer.)
        await Task.WhenAny(relay, program.OutputEnded, Task.Delay(grace, stop.Token)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        return Finish(await relay.ConfigureAwait(false), program, cancel);
    }

    private static RelayResult Finish(RelayResult result, ExecEnd program, CancellationToken cancel)
    {
        if (result.Clean || cancel.IsCancellationRequested || !program.Exited.IsCompleted) return result;
        // Stopped by us because the program exited, or a write failed because it no longer reads its stdin.
        bool ours = result.Reason == RelayEndReason.Cancelled;
        bool refused = program.InputRefused && result.Reason is RelayEndReason.WriteError or RelayEndReason.PeerReset;
        return ours || refused ? result with { Reason = RelayEndReason.ProgramExited, Error = null } : result;
    }
}
