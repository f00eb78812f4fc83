namespace Sockit.Relay;

/// <summary>
/// Relays any two ends: through <see cref="ExecRelay"/> when one of them is a program (its exit ends the
/// relay once its output is delivered), through <see cref="DuplexRelay"/> otherwise. Results are always from
/// end A's point of view.
/// </summary>
internal static class EndRelay
{
    public static async Task<RelayResult> RunAsync(DuplexEnd a, DuplexEnd b, RelayOptions options, CancellationToken cancel)
    {
        if (a is ExecEnd programA) return await ExecRelay.RunAsync(programA, b, options, programA.Grace, cancel).ConfigureAwait(false);
        if (b is not ExecEnd programB) return await DuplexRelay.RunAsync(a, b, options, cancel).ConfigureAwait(false);

        // ExecRelay wants the program as its end A: run it swapped, and swap the directions back.
        Action<string>? onEof = options.OnEof;
        RelayOptions swapped = options with
        {
            CopyAToB = options.CopyBToA,
            CopyBToA = options.CopyAToB,
            EndAtBEof = false,
            QuitAfterInputEof = null,
            OnEof = onEof is null ? null : side => onEof(side == "A" ? "B" : "A"),
        };
        RelayResult result = await ExecRelay.RunAsync(programB, a, swapped, programB.Grace, cancel).ConfigureAwait(false);
        return result with { BytesAToB = result.BytesBToA, BytesBToA = result.BytesAToB };
    }
}
