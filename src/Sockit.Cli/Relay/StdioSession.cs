using Microsoft.Win32.SafeHandles;
using Sockit.Relay;

namespace Sockit.Cli.Relay;

/// <summary>
/// stdin/stdout as the relay's local end with everything the flags ask for around it: -C and -o
/// (<see cref="StandardStreams"/>), <c>-x</c> hex dump, <c>--sha256</c> / <c>--expect-sha256</c>, and a progress
/// meter on a terminal's stderr when stdin is a regular file (sending it) or else stdout is (receiving into it).
/// </summary>
internal sealed class StdioSession : IAsyncDisposable
{
    private readonly DuplexEnd _inner;
    private readonly CatSettings _settings;
    private readonly Sha256Summary? _sent, _received;
    private DuplexEnd? _end;

    private StdioSession(DuplexEnd inner, CatSettings settings)
    {
        _inner = inner;
        _settings = settings;
        if (settings.Sha256 || settings.ExpectSha256 is not null)
        {
            _sent = new Sha256Summary();
            _received = new Sha256Summary();
        }
    }

    /// <summary>
    /// The end to relay. Built on first use, so a progress meter's clock starts when the relay does, not
    /// while connecting or waiting for a client.
    /// </summary>
    public DuplexEnd End => _end ??= Tally(_inner);

    /// <summary>Opens stdin/stdout and the -o / -x files: call before connecting or listening, so a bad path fails first.</summary>
    public static StdioSession Open(CatSettings s)
    {
        DuplexEnd end = StandardStreams.Open(s.Crlf, s.SessionLog);
        if (s.HexDump is not null) end = new HexDumpEnd(end, HexDumpWriter(s.HexDump));
        return new StdioSession(end, s);
    }

    private DuplexEnd Tally(DuplexEnd end)
    {
        ProgressMeter? sending = null, receiving = null;
        if (_settings.Progress && !Console.IsErrorRedirected)
        {
            if (RegularFileRemaining(0) is long size) sending = Meter(size);
            else if (RegularFileRemaining(1) is not null) receiving = Meter(null);
        }
        return _sent is null && sending is null && receiving is null ? end : new TallyEnd(end, _sent, _received, sending, receiving);
    }

    /// <summary>
    /// After the relay: the <c>sha256 HEX  sent</c> / <c>received</c> lines (with --sha256), and the
    /// --expect-sha256 check, which turns a clean exit into one error line and exit 1 on a mismatch.
    /// </summary>
    public int Finish(int exitCode, bool printHashes)
    {
        if (_sent is null || _received is null) return exitCode;
        string received = _received.HexDigest();
        if (printHashes)
        {
            RelayLog.Error($"{_sent.Line()}  sent");
            RelayLog.Error($"sha256 {received}  received");
        }
        string? expected = _settings.ExpectSha256;
        if (expected is null || exitCode != ExitCodes.Success) return exitCode;
        if (string.Equals(received, expected, StringComparison.OrdinalIgnoreCase)) return exitCode;
        RelayLog.Error($"[Checksum error]: received {_received.Bytes} bytes with sha256 {received}, expected {expected.ToLowerInvariant()}");
        return ExitCodes.Failure;
    }

    public async ValueTask DisposeAsync()
    {
        await (_end ?? _inner).DisposeAsync();
        _sent?.Dispose();
        _received?.Dispose();
    }

    /// <summary>
    /// Straight to file descriptor 2: .NET's console streams, on their first write to a terminal, also send
    /// the terminal's keypad-mode sequence (ESC [?1h ESC =), which has no place in a progress line.
    /// </summary>
    private static ProgressMeter Meter(long? total)
        => new(new StreamWriter(StandardDescriptor.Open(StandardDescriptor.Error, FileAccess.Write, owns: false)) { AutoFlush = true }, total);

    private static TextWriter HexDumpWriter(string path)
    {
        if (path == "-") return TextWriter.Synchronized(new StreamWriter(StandardDescriptor.Open(StandardDescriptor.Error, FileAccess.Write, owns: false)) { AutoFlush = false });
        try
        {
            return new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"[Hex dump file error]: {path}: {e.Message}");
        }
    }

    /// <summary>Bytes left from the current position when file descriptor <paramref name="fd"/> is a regular file; else null.</summary>
    private static long? RegularFileRemaining(int fd)
    {
        if (OperatingSystem.IsWindows()) return null;
        try
        {
            var handle = new SafeFileHandle(fd, ownsHandle: false);
            // Seekable means a regular file (or a block device); pipes, terminals and sockets are not.
            using var probe = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            return probe.CanSeek ? Math.Max(0, probe.Length - probe.Position) : null;
        }
        catch (Exception e) when (e is IOException or NotSupportedException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
