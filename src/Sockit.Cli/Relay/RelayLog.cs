using Sockit.Relay;

namespace Sockit.Cli.Relay;

/// <summary>
/// <c>-v</c>: who connected, bytes each way, why it ended, on stderr. Straight to fd 2: the shared LineWriter
/// and the console streams open copies of stdout, which would keep our stdout alive after we close it.
/// </summary>
internal sealed class RelayLog(bool verbose)
{
    private static readonly Lock Gate = new();
    private static readonly Stream Stderr = StandardDescriptor.Open(StandardDescriptor.Error, FileAccess.Write, owns: false);

    public bool Verbose => verbose;

    public void Info(string line)
    {
        if (verbose) Error(line);
    }

    /// <summary>Always printed.</summary>
    public static void Error(string line)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        lock (Gate)
        {
            try
            {
                Stderr.Write(bytes);
                Stderr.Flush();
            }
            catch (IOException)
            {
            }
        }
    }

    public static string Describe(RelayEndReason reason) => RelayText.Describe(reason);

    public void Summary(string who, RelayResult result) => Info(RelayText.Summary(who, result));
}
