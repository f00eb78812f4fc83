using Microsoft.Win32.SafeHandles;
using Sockit.Relay;

namespace Sockit.Cli.Relay;

/// <summary>
/// stdin and stdout as a relay end: unbuffered streams over file descriptors 0 and 1 themselves (reads go
/// straight to read(2), writes to write(2)). When the peer's data ends, stdout is closed for real: fd 1 is
/// the only copy of it in the process (see <see cref="StandardDescriptor"/>), so a program reading our output
/// sees EOF while we keep sending stdin.
/// </summary>
internal static class StandardStreams
{
    private static readonly List<SafeFileHandle> s_devNull = [];

    /// <summary>stdin/stdout; <paramref name="crlf"/> adds -C, <paramref name="sessionLog"/> -o FILE (every byte sent and received).</summary>
    public static DuplexEnd Open(bool crlf, string? sessionLog = null)
    {
        string? output = StandardDescriptor.PipeOrSocket(StandardDescriptor.Output);
        DuplexEnd end = new StdioEnd(
            StandardDescriptor.Open(StandardDescriptor.Input, FileAccess.Read, owns: false),
            StandardDescriptor.Open(StandardDescriptor.Output, FileAccess.Write, owns: true),
            () => AfterOutputClosed(output));
        if (crlf) end = new CrlfEnd(end);
        if (sessionLog is null) return end;
        FileStream log;
        try
        {
            log = new FileStream(sessionLog, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"[Output file error]: {sessionLog}: {e.Message}");
        }
        return new RecordingEnd(end, log);
    }

    // Closing the output stream closed fd 1 itself. The JIT runtime's own startup copy of it is closed here
    // too (Native AOT makes none).
    private static void AfterOutputClosed(string? output)
    {
        if (OperatingSystem.IsWindows()) return;
        int closed = 1 + (output is null || !OperatingSystem.IsLinux() ? 0 : StandardDescriptor.CloseOtherCopies(output));
        // Put /dev/null in the freed slots (the lowest free descriptors, 1 first) so nothing later writes into
        // a socket that happened to reuse a number.
        try
        {
            for (int i = 0; i < closed; i++) s_devNull.Add(File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write));
        }
        catch (IOException)
        {
        }
    }
}
