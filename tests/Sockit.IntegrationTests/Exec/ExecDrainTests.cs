using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Exec;

/// <summary>After the program exits, everything it wrote still reaches the peer; only a grandchild holding its stdout is bounded.</summary>
public sealed class ExecDrainTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ProgramsWholeOutputArrivesThoughThePeerReadsLongAfterItExited(string family)
    {
        // The program widens its stdout pipe to 1 MiB, so it writes 1 MiB and exits at once; what the socket
        // buffers cannot take waits in the pipe while the peer sleeps past the 2 s grace the old relay gave it.
        const int size = 1024 * 1024;
        const string program = "import fcntl, sys; fcntl.fcntl(1, 1031, 1 << 20); "
            + "sys.stdout.buffer.write((b\"sockit-drain\\n\" * 90000)[:1048576])"; // 1031: F_SETPIPE_SZ
        await using var listener = await ExecListener.StartAsync(family, ["-c", $"python3 -c '{program}'"]);
        using Socket socket = await listener.ConnectAsync(receiveBuffer: 4096);
        socket.Shutdown(SocketShutdown.Send);
        await Task.Delay(TimeSpan.FromSeconds(4));

        using var received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = 0;
        byte[] buffer = new byte[65536];
        using var deadline = new CancellationTokenSource(Bound);
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
        {
            received.AppendData(buffer, 0, n);
            count += n;
        }
        Assert.Equal(size, count);
        Assert.Equal(ExpectedHash(Encoding.ASCII.GetBytes("sockit-drain\n"), size), Convert.ToHexString(received.GetHashAndReset()));
        Assert.Equal(0, await listener.Process.WaitForExitAsync(Bound));
    }

    [Fact]
    public async Task GrandchildHoldingStdoutOpenDoesNotHoldTheSession()
    {
        // The shell exits at once; its background sleep keeps the pipe's write end open for good.
        await using var listener = await ExecListener.StartAsync(Families.IPv4, ["-c", "sleep 60 & echo $!"]);
        using Socket socket = await listener.ConnectAsync();
        var clock = Stopwatch.StartNew();
        byte[] reply = await ExecListener.ReadToEndAsync(socket);
        TimeSpan took = clock.Elapsed;
        int grandchild = int.Parse(Encoding.ASCII.GetString(reply).Trim(), CultureInfo.InvariantCulture);
        try
        {
            // The default grace is 2 s of silence; 20 s is generous for a loaded machine and far below the sleep.
            Assert.True(took < TimeSpan.FromSeconds(20), $"session held for {took}");
            Assert.Equal(0, await listener.Process.WaitForExitAsync(Bound));
        }
        finally
        {
            using var sleeper = Process.GetProcessById(grandchild);
            sleeper.Kill();
        }
    }

    private static string ExpectedHash(byte[] line, int size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int left = size; left > 0; left -= line.Length) hash.AppendData(line, 0, Math.Min(line.Length, left));
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
