using System.Runtime.InteropServices;

namespace Sockit.Cli;

/// <summary>
/// Turns the first Ctrl-C or SIGTERM into a cancellation, so servers stop accepting and finish in-flight
/// work before exiting 0. A second signal is not intercepted and ends the process at once.
/// </summary>
internal sealed class TerminationSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public TerminationSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _stop.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (_stop.IsCancellationRequested) return;
        context.Cancel = true;
        _stop.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
