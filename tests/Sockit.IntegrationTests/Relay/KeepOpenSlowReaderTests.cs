using System.Net.Sockets;
using System.Security.Cryptography;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary><c>-l -k</c> broadcast with one client that never reads: it is dropped, the others keep full speed.</summary>
public sealed class KeepOpenSlowReaderTests
{
    private const int Size = 64 * 1024 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ReaderThatNeverReadsIsDroppedAndTheOtherGetsEveryByte()
    {
        await using var ours = RunningProcess.Sockit("cat", "-l", "-k", "-v", "127.0.0.1", "0");
        int port = await KeepOpenSlotTests.ListeningPortAsync(ours);
        using Socket stalled = await KeepOpenSlotTests.ConnectAsync(port);
        using Socket fast = await KeepOpenSlotTests.ConnectAsync(port);
        await ours.WaitForStderrAsync(e => e.Split("Connection from ").Length == 3, Bound);

        byte[] data = RandomNumberGenerator.GetBytes(Size);
        Task<(long, byte[])> received = HashToEndAsync(fast);
        Task feeding = Task.Run(async () =>
        {
            await ours.Input.BaseStream.WriteAsync(data);
            ours.Input.Close();
        });
        (long bytes, byte[] hash) = await received.WaitAsync(Bound);
        Assert.Equal(Size, bytes);
        Assert.Equal(SHA256.HashData(data), hash);
        await feeding.WaitAsync(Bound);
        await ours.WaitForStderrLineAsync("Dropped 127.0.0.1:", Bound);
    }

    private static async Task<(long, byte[])> HashToEndAsync(Socket s)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        int n;
        while ((n = await s.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            total += n;
        }
        return (total, hash.GetHashAndReset());
    }
}
