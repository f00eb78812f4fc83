using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sockit.IntegrationTests.Broker;

/// <summary>A chat member of the test's own: sends what it is told, keeps every byte it receives, counts lines.</summary>
internal sealed class ChatClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly MemoryStream _received = new();
    private readonly Lock _gate = new();
    private readonly Task _pump;
    private int _linesExpected;

    private ChatClient(Socket socket)
    {
        _socket = socket;
        _pump = PumpAsync();
    }

    public static async Task<ChatClient> ConnectAsync(EndPoint target)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, target is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(target, deadline.Token);
        return new ChatClient(socket);
    }

    /// <summary>Everything received so far, byte for byte (Latin-1, so escapes and raw bytes both show).</summary>
    public string Transcript
    {
        get
        {
            lock (_gate) return Encoding.Latin1.GetString(_received.GetBuffer(), 0, (int)_received.Length);
        }
    }

    public Task SayAsync(string text) => _socket.SendAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Waits for <paramref name="lines"/> more whole lines than were waited for before.</summary>
    public async Task ExpectLinesAsync(int lines, TimeSpan timeout)
    {
        _linesExpected += lines;
        using var deadline = new CancellationTokenSource(timeout);
        while (Transcript.Count(c => c == '\n') < _linesExpected)
        {
            try
            {
                await Task.Delay(10, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"expected {_linesExpected} lines, got:\n{Transcript}");
            }
        }
    }

    /// <summary>FIN first, then close: the server reads EOF after every byte sent, whatever is still unread here.</summary>
    public void Close()
    {
        _socket.Shutdown(SocketShutdown.Send);
        _socket.Close();
    }

    private async Task PumpAsync()
    {
        byte[] buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await _socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                lock (_gate) _received.Write(buffer, 0, n);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _pump;
    }
}
