using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Sockit.Cli.Relay;

/// <summary>
/// Unbuffered streams straight over file descriptors 0, 1 and 2, for relay mode. Not <c>Console</c>'s streams:
/// each of those writes through a private dup of its descriptor, and its first write also creates
/// <c>Console.Out</c> (another dup of fd 1, kept for the life of the process) and, on a terminal, sends the
/// keypad-mode sequence. A dup of fd 1 we do not own would keep a downstream reader from ever seeing EOF.
/// The JIT runtime itself also keeps a copy of fds 0, 1 and 2 from startup (Native AOT does not); see
/// <see cref="CloseOtherCopies"/>.
/// </summary>
internal static class StandardDescriptor
{
    public const int Input = 0;
    public const int Output = 1;
    public const int Error = 2;

    /// <summary>
    /// What <paramref name="fd"/> is open on when that is a pipe or a socket ("pipe:[4242]", as /proc shows it),
    /// the only kinds where a reader waits for every writer to close; null otherwise.
    /// </summary>
    public static string? PipeOrSocket(int fd)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            string? target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            return target is not null && (target.StartsWith("pipe:", StringComparison.Ordinal) || target.StartsWith("socket:", StringComparison.Ordinal)) ? target : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Closes every descriptor above 2 open for writing on <paramref name="pipeOrSocket"/>: copies of fd 1 made
    /// by the runtime, not by us (ours are all closed already). Returns how many it closed.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static int CloseOtherCopies(string pipeOrSocket)
    {
        int closed = 0;
        foreach (string path in Directory.GetFiles("/proc/self/fd"))
        {
            if (!int.TryParse(Path.GetFileName(path), out int fd) || fd <= Error) continue;
            try
            {
                if (new FileInfo(path).LinkTarget != pipeOrSocket || !OpenForWriting(fd)) continue;
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }
            new SafeFileHandle(fd, ownsHandle: true).Dispose();
            closed++;
        }
        return closed;
    }

    // "flags:\t0100001" in /proc/self/fdinfo: the low two bits are O_WRONLY (1) or O_RDWR (2).
    [SupportedOSPlatform("linux")]
    private static bool OpenForWriting(int fd)
    {
        foreach (string line in File.ReadLines($"/proc/self/fdinfo/{fd}"))
        {
            if (!line.StartsWith("flags:", StringComparison.Ordinal)) continue;
            string octal = line["flags:".Length..].Trim();
            return octal.Length > 0 && octal[^1] is '1' or '2' or '5' or '6';
        }
        return false;
    }

    /// <summary>
    /// A stream over <paramref name="fd"/>; <paramref name="owns"/>: disposing it closes the descriptor itself.
    /// A descriptor that is not open gives <see cref="Stream.Null"/>, as the console streams do.
    /// </summary>
    public static Stream Open(int fd, FileAccess access, bool owns)
    {
        if (OperatingSystem.IsWindows())
        {
            return fd switch
            {
                Input => Console.OpenStandardInput(),
                Output => Console.OpenStandardOutput(),
                _ => Console.OpenStandardError(),
            };
        }
        var handle = new SafeFileHandle(fd, ownsHandle: owns);
        try
        {
            return new FileStream(handle, access, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            handle.SetHandleAsInvalid();
            return Stream.Null;
        }
    }
}
