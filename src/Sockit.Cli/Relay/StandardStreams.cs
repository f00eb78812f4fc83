using Microsoft.Win32.SafeHandles;
using Sockit.Relay;

namespace Sockit.Cli.Relay;

/// <summary>
/// stdin and stdout as a relay end: unbuffered console streams (large reads go straight to read(2), writes
/// to write(2)). When the peer's data ends, stdout is closed for real (file descriptor 1 too), so a program
/// reading our output sees EOF while we keep sending stdin.
/// </summary>
internal static class StandardStreams
{
    private static SafeFileHandle? s_devNull;

    /// <summary>stdin/stdout; <paramref name="crlf"/> adds -C, <paramref name="sessionLog"/> -o FILE (every byte sent and received).</summary>
    public static DuplexEnd Open(bool crlf, string? sessionLog = null)
    {
        DuplexEnd end = new StdioEnd(Console.OpenStandardInput(), Console.OpenStandardOutput(), CloseDescriptorOne);
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

    private static void CloseDescriptorOne()
    {
        if (OperatingSystem.IsWindows()) return;
        // Console.OpenStandardOutput writes through a dup of fd 1; closing that copy is not enough.
        new SafeFileHandle(1, ownsHandle: true).Dispose();
        // Put /dev/null in slot 1 (the lowest free descriptor) so nothing later writes into a socket that
        // happened to reuse the number.
        try
        {
            s_devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
        }
        catch (IOException)
        {
        }
    }
}
