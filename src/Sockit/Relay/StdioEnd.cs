namespace Sockit.Relay;

/// <summary>
/// A pair of plain streams as one relay end: read from <c>input</c> (stdin), write to <c>output</c> (stdout).
/// Completing writes flushes and closes the output, then runs <c>afterOutputClosed</c> (the CLI uses it to
/// close file descriptor 1 itself, so a reader downstream sees EOF while the other direction goes on).
/// </summary>
/// <remarks>
/// Console streams cannot cancel a blocked read (read(2) on a terminal or pipe). A cancelled read is
/// therefore abandoned: this call returns at once, and the read left behind is observed so its
/// exception (if any) is not lost to the finalizer thread.
/// </remarks>
public sealed class StdioEnd(Stream input, Stream output, Action? afterOutputClosed = null) : DuplexEnd
{
    private int _outputClosed;
    private Splice.SpliceableFile? _spliceSource, _spliceSink;
    private bool _probed;

    /// <inheritdoc />
    public override string Name => "stdio";

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        ValueTask<int> read = input.ReadAsync(buffer, CancellationToken.None);
        return read.IsCompleted ? read : WaitAsync(read.AsTask(), cancel);
    }

    private static async ValueTask<int> WaitAsync(Task<int> read, CancellationToken cancel)
    {
        try
        {
            return await read.WaitAsync(cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            _ = read.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Written synchronously: a console stream's WriteAsync only runs the same blocking write(2) on a
    /// thread-pool thread, so awaiting it costs a thread hop per chunk and buys nothing.
    /// </remarks>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        output.Write(data.Span);
        return ValueTask.CompletedTask;
    }

    internal override Splice.SpliceableFile? SpliceSource => Probe()._spliceSource;

    internal override Splice.SpliceableFile? SpliceSink => Probe()._spliceSink;

    // Asked for when a relay starts; a terminal, a device or a non-file stream gives none.
    private StdioEnd Probe()
    {
        if (_probed || !OperatingSystem.IsLinux()) return this;
        _spliceSource = Splice.SpliceableFile.ForStream(input, sink: false);
        _spliceSink = Splice.SpliceableFile.ForStream(output, sink: true);
        _probed = true;
        return this;
    }

    /// <inheritdoc />
    public override async ValueTask CompleteWritesAsync()
    {
        if (Interlocked.Exchange(ref _outputClosed, 1) != 0) return;
        try
        {
            await output.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            await output.DisposeAsync().ConfigureAwait(false);
            afterOutputClosed?.Invoke();
        }
    }
}
