using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>
/// A real child process (our CLI or a peer such as nc) with its output collected line by line, so tests
/// can wait for a given line with a deadline instead of sleeping.
/// </summary>
public sealed partial class RunningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private RunningProcess(Process process)
    {
        _process = process;
        _stdoutPump = PumpLinesAsync(process.StandardOutput, line => _stdout.Add(line));
        _stderrPump = PumpLinesAsync(process.StandardError, line => _stderr.AppendLine(line));
    }

    public static TimeSpan DefaultWait { get; } = TimeSpan.FromSeconds(20);

    public Process Process => _process;

    public int Id => _process.Id;

    /// <summary>The child's stdin (for peers that send what they read).</summary>
    public StreamWriter Input => _process.StandardInput;

    public IReadOnlyList<string> StdoutLines
    {
        get { lock (_gate) return _stdout.ToArray(); }
    }

    public string Stderr
    {
        get { lock (_gate) return _stderr.ToString(); }
    }

    public static RunningProcess Start(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new RunningProcess(process);
    }

    /// <summary>Starts our CLI: <c>sockit ARGS</c>.</summary>
    public static RunningProcess Sockit(params string[] arguments) => Start(Repo.SockitPath, arguments);

    /// <summary>Waits for a stdout line that satisfies <paramref name="match"/>; fails with the output so far.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultWait);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                foreach (string line in _stdout)
                    if (match(line)) return line;
                changed = _changed.Task;
            }
            if (_stdoutPump.IsCompleted && changed.IsCompleted == false && _process.HasExited)
                throw new Xunit.Sdk.XunitException($"process exited ({_process.ExitCode}) before the line appeared.\nstdout:\n{string.Join('\n', StdoutLines)}\nstderr:\n{Stderr}");
            try
            {
                await Task.WhenAny(changed, _stdoutPump).WaitAsync(deadline.Token);
                if (_stdoutPump.IsCompleted && !changed.IsCompleted)
                {
                    lock (_gate)
                        foreach (string line in _stdout)
                            if (match(line)) return line;
                    await _process.WaitForExitAsync(deadline.Token);
                }
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting for a line.\nstdout:\n{string.Join('\n', StdoutLines)}\nstderr:\n{Stderr}");
            }
        }
    }

    public Task<string> WaitForLineAsync(string exact, TimeSpan? timeout = null) => WaitForLineAsync(l => l == exact, timeout);

    /// <summary>
    /// Waits until the child's stdout reaches EOF (every copy of its write end closed), which may be long
    /// before the child exits; fails with the output so far after the timeout.
    /// </summary>
    public async Task WaitForStdoutEndAsync(TimeSpan? timeout = null)
    {
        try
        {
            await _stdoutPump.WaitAsync(timeout ?? DefaultWait);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"stdout did not end in time.\nstdout:\n{string.Join('\n', StdoutLines)}\nstderr:\n{Stderr}");
        }
    }

    /// <summary>Waits for exit and all output; kills the process and fails if it takes longer than the timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultWait);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new Xunit.Sdk.XunitException($"process did not exit in time.\nstdout:\n{string.Join('\n', StdoutLines)}\nstderr:\n{Stderr}");
        }
        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal (SIGTERM = 15, SIGINT = 2).</summary>
    public void Signal(int signal)
    {
        if (SysKill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
        _process.Dispose();
    }

    private async Task PumpLinesAsync(StreamReader reader, Action<string> add)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                add(line);
                var changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed.TrySetResult();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
