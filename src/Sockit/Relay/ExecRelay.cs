namespace Sockit.Relay;

/// <summary>
/// A relay between a peer and a program (<see cref="ExecEnd"/>) where the program's exit ends the
/// connection: once it has exited and its output has been drained to EOF and delivered, however slowly the
/// peer reads (or, when a child of its own holds the output open, once no output has arrived for
/// <see cref="ExecOptions.Grace"/>), the relay stops even if the peer is still sending. The peer's EOF closes the program's stdin and its remaining output still reaches the peer.
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

        // Its output may still be in the pipe: the relay drains it to EOF, however long a slow peer takes to
        // read it. (OutputEnded is set by the read that returns 0, after every earlier chunk was written.)
        // Only a child of its own holding the pipe open keeps EOF away: the grace bounds that case, counted
        // from when a read last began waiting for output that does not come, and never from before the exit
        // (a program that was silent for a while before exiting may still have written just before it).
        long exitedAt = Environment.TickCount64;
        while (true)
        {
            TimeSpan sinceExit = TimeSpan.FromMilliseconds(Environment.TickCount64 - exitedAt);
            TimeSpan silence = program.OutputSilence < sinceExit ? program.OutputSilence : sinceExit;
            if (silence >= grace) break;
            Task delay = Task.Delay(grace - silence, stop.Token);
            if (await Task.WhenAny(relay, program.OutputEnded, delay).ConfigureAwait(false) != delay || !delay.IsCompletedSuccessfully) break;
        }
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
