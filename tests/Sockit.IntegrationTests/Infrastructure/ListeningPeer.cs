using System.Net;
using System.Net.Sockets;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>Waits until a peer that prints no ready line on stdout (ncat -l, socat) accepts connections.</summary>
public static class ListeningPeer
{
    /// <summary>Connects (and closes) until the port answers; fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(IPAddress address, int port, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? RunningProcess.DefaultWait);
        while (true)
        {
            try
            {
                using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                await probe.ConnectAsync(new IPEndPoint(address, port), deadline.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"nothing listened on {address}:{port} within the deadline");
            }
            catch (SocketException)
            {
                // Not listening yet: try again shortly.
            }
            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"nothing listened on {address}:{port} within the deadline");
            }
        }
    }
}
