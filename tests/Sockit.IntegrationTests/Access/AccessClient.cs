using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Access;

/// <summary>Clients from a chosen loopback source address (127.0.0.0/8 is all ours; ::1 too), and what they receive.</summary>
internal static class AccessClient
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>A TCP connection from <paramref name="source"/> (port 0) to <paramref name="target"/>:<paramref name="port"/>.</summary>
    public static async Task<Socket> ConnectAsync(string source, string target, int port)
    {
        IPAddress from = IPAddress.Parse(source), to = IPAddress.Parse(target);
        var socket = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(new IPEndPoint(to, port)).WaitAsync(Bound);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="message"/> (when the peer lets it), half-closes, and returns every byte received until EOF or a reset.</summary>
    public static async Task<string> ExchangeAsync(string source, string target, int port, string message)
    {
        using Socket socket = await ConnectAsync(source, target, port);
        try
        {
            await RawClient.SendAsync(socket, message);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Refused and reset already: nothing was received, which is what the caller checks.
        }
        return await ReceivedAsync(socket);
    }

    /// <summary>Every byte until EOF; a reset ends it too (a refused client may be reset when its bytes were never read).</summary>
    public static Task<string> ReceivedAsync(Socket socket) => RawClient.ReadToEndAsync(socket, Bound, resetEnds: true);

    /// <summary>The port at the end of a line such as <c>Listening on 0.0.0.0:4000</c> or <c>... [::]:4000 (UDP)</c>.</summary>
    public static int PortIn(string line)
    {
        string tail = line[(line.LastIndexOf(':') + 1)..];
        return int.Parse(new string(tail.TakeWhile(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);
    }
}
