using System.Net.Sockets;
using System.Text;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>Bounded send/receive helpers for a raw client socket held by the test itself.</summary>
public static class RawClient
{
    public static async Task SendAsync(Socket socket, byte[] data)
    {
        using var deadline = new CancellationTokenSource(RunningProcess.DefaultWait);
        int sent = 0;
        while (sent < data.Length)
            sent += await socket.SendAsync(data.AsMemory(sent), SocketFlags.None, deadline.Token);
    }

    public static Task SendAsync(Socket socket, string text) => SendAsync(socket, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Reads until the server closes; fails if that takes longer than the timeout. With <paramref name="resetEnds"/>
    /// a reset also ends it (a server that closes with our bytes unread resets the connection).
    /// </summary>
    public static async Task<string> ReadToEndAsync(Socket socket, TimeSpan? timeout = null, bool resetEnds = false)
    {
        using var deadline = new CancellationTokenSource(timeout ?? RunningProcess.DefaultWait);
        var received = new MemoryStream();
        byte[] buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
                received.Write(buffer, 0, n);
        }
        catch (SocketException e) when (resetEnds && e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"the server did not close within the deadline; got so far: '{Encoding.UTF8.GetString(received.ToArray())}'");
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }
}
