using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Sockit.Relay;

/// <summary>
/// A program as a relay end: what is written goes to its stdin, what it prints on stdout is read; its
/// stderr stays ours. Binary-safe both ways. <see cref="CompleteWritesAsync"/> closes its stdin (the
/// program sees EOF) while its output keeps being read; its exit ends the output.
/// </summary>
/// <remarks>
/// The program is run directly from an argv (<see cref="Start"/>); only <see cref="StartShell"/> involves a
/// shell, and only with the command the caller gives. Nothing read from a peer reaches a command line or an
/// environment variable. The runtime opens every descriptor close-on-exec, so the program inherits only
/// 0, 1 and 2; it reaps the program when it exits (no zombie). Disposing the end closes the pipes, waits
/// <see cref="ExecOptions.Grace"/> for the program to exit, then sends SIGTERM, waits again, then SIGKILL,
/// and returns once the program is gone.
/// </remarks>
public sealed class ExecEnd : DuplexEnd
{
    private const int SigTerm = 15, SigKill = 9;

    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly Stream _stdout;
    private readonly TimeSpan _grace;
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task<ExecExit> _exited;
    private int _inputClosed, _disposed, _signalSent;
    private long _readWaitingSince; // Environment.TickCount64 when the pending read of stdout began; 0: none pending
    private volatile bool _inputRefused;

    private ExecEnd(Process process, string name, TimeSpan grace)
    {
        _process = process;
        Name = name;
        _grace = grace;
        _stdin = process.StandardInput.BaseStream;
        _stdout = process.StandardOutput.BaseStream;
        ProcessId = process.Id;
        _exited = WaitForExitAsync();
    }

    /// <summary>Runs <paramref name="argv"/>[0] with the rest as its arguments, without a shell (looked up on PATH when it has no slash).</summary>
    /// <exception cref="IOException">The program could not be started (not found, not executable); the message says which and why.</exception>
    public static ExecEnd Start(IReadOnlyList<string> argv, ExecOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count == 0 || argv[0].Length == 0) throw new ArgumentException("no program given", nameof(argv));
        return Launch(argv, $"exec {argv[0]}", options ?? new ExecOptions());
    }

    /// <summary>Runs <paramref name="shellCommand"/> through <c>/bin/sh -c</c>: the one way a shell is involved, by explicit request.</summary>
    /// <exception cref="IOException">The shell could not be started.</exception>
    public static ExecEnd StartShell(string shellCommand, ExecOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(shellCommand);
        return Launch(["/bin/sh", "-c", shellCommand], "sh -c", options ?? new ExecOptions());
    }

    private static ExecEnd Launch(IReadOnlyList<string> argv, string name, ExecOptions options)
    {
        var info = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        for (int i = 1; i < argv.Count; i++) info.ArgumentList.Add(argv[i]);
        foreach ((string key, string value) in options.Environment) info.Environment[key] = value;
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new IOException($"cannot run '{argv[0]}'");
        }
        catch (Win32Exception e)
        {
            throw new IOException($"cannot run '{argv[0]}': {e.Message}", e);
        }
        return new ExecEnd(process, $"{name} (pid {process.Id})", options.Grace);
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>How long the program gets to exit at each step of stopping it (see <see cref="ExecOptions.Grace"/>).</summary>
    internal TimeSpan Grace => _grace;

    /// <summary>The program's process id.</summary>
    public int ProcessId { get; }

    /// <summary>Completes when the program has exited (and been reaped), with its status.</summary>
    public Task<ExecExit> Exited => _exited;

    /// <summary>Completes when the program's stdout has reached EOF (it exited or closed it).</summary>
    public Task OutputEnded => _outputEnded.Task;

    /// <summary>
    /// How long a read of the program's stdout has been waiting with nothing arriving; zero while no read is
    /// pending (the relay is still delivering earlier output to a slow peer).
    /// </summary>
    internal TimeSpan OutputSilence
    {
        get
        {
            long since = Volatile.Read(ref _readWaitingSince);
            return since == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Environment.TickCount64 - since);
        }
    }

    /// <summary>True once a write failed because the program no longer reads its stdin (it exited or closed it).</summary>
    public bool InputRefused => _inputRefused;

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        Volatile.Write(ref _readWaitingSince, Environment.TickCount64);
        int n;
        try
        {
            n = await _stdout.ReadAsync(buffer, cancel).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _readWaitingSince, 0);
        }
        if (n == 0) _outputEnded.TrySetResult();
        return n;
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        if (_inputRefused) return;
        try
        {
            await _stdin.WriteAsync(data, cancel).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The program no longer reads its stdin (it exited, or closed it): what the peer sends has nowhere to
            // go. Failing here would end the relay before the program's last output (still in its stdout pipe)
            // reached the peer; instead the input is dropped and ExecRelay ends the connection once the program
            // has exited and its output is drained.
            _inputRefused = true;
        }
    }

    /// <inheritdoc />
    /// <remarks>Closes the program's stdin: it reads EOF, and its output goes on being read.</remarks>
    public override async ValueTask CompleteWritesAsync()
    {
        if (Interlocked.Exchange(ref _inputClosed, 1) != 0) return;
        try
        {
            await _stdin.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Closing a pipe whose reader is gone: the program has already stopped reading, nothing is lost here.
        }
    }

    /// <summary>Closes the pipes, then stops the program if it has not exited: grace, SIGTERM, grace, SIGKILL.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _exited.ConfigureAwait(false);
            return;
        }
        await CompleteWritesAsync().ConfigureAwait(false);
        await _stdout.DisposeAsync().ConfigureAwait(false);
        if (!await ExitsWithinAsync(_grace).ConfigureAwait(false))
        {
            Signal(SigTerm);
            if (!await ExitsWithinAsync(_grace).ConfigureAwait(false))
            {
                Signal(SigKill);
                await _exited.ConfigureAwait(false);
            }
        }
        _process.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<bool> ExitsWithinAsync(TimeSpan limit)
    {
        try
        {
            await _exited.WaitAsync(limit).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void Signal(int signal)
    {
        // HasExited asks the runtime's wait state, which is current as soon as the program is reaped: a pid
        // that is gone is never signalled (it could belong to someone else by now).
        if (_process.HasExited) return;
        Volatile.Write(ref _signalSent, signal);
        if (signal == SigKill || OperatingSystem.IsWindows()) // Windows has no SIGTERM: only a hard kill
        {
            _process.Kill();
            return;
        }
        _ = Kill(ProcessId, signal); // ESRCH: it exited meanwhile, which is what we wanted
    }

    private async Task<ExecExit> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        int code = _process.ExitCode;
        int sent = Volatile.Read(ref _signalSent);
        return new ExecExit(code, sent != 0 && code == 128 + sent ? sent : null);
    }

    [UnsupportedOSPlatform("windows")]
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
