using System.Net;
using System.Net.Sockets;

namespace Sockit.IntegrationTests.Connect;

/// <summary>
/// An address that swallows SYNs without answering, on loopback alone: a listener whose accept queue is full.
/// Linux drops (does not refuse) a SYN for a listener whose accept queue is full, so a connect there hangs as it
/// would towards a dead route, while nothing leaves the machine and no firewall or namespace is needed.
/// </summary>
internal sealed class SilentAddress : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _fillers = [];

    private SilentAddress(Socket listener) => _listener = listener;

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/> (0 for any), then fills its accept queue.</summary>
    public static async Task<SilentAddress> OpenAsync(IPAddress address, int port = 0)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (address.AddressFamily == AddressFamily.InterNetworkV6) listener.DualMode = false;
        listener.Bind(new IPEndPoint(address, port));
        listener.Listen(0);
        var silent = new SilentAddress(listener);
        try
        {
            // Connect until one attempt goes unanswered: the queue is then full (a few at most for backlog 0).
            for (int i = 0; i < 8; i++)
            {
                var filler = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                silent._fillers.Add(filler);
                using var limit = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
                try
                {
                    await filler.ConnectAsync(silent.EndPoint, limit.Token);
                }
                catch (OperationCanceledException)
                {
                    return silent;
                }
            }
            throw new InvalidOperationException("the accept queue never filled: cannot make a silent address");
        }
        catch
        {
            silent.Dispose();
            throw;
        }
    }

    /// <summary>
    /// From now on accepts (and closes) every connection, so the address answers again: a connect still waiting gets
    /// through with its next SYN retransmission (about a second after its first SYN).
    /// </summary>
    public void StartAnswering()
        => _ = Task.Run(async () =>
        {
            try
            {
                while (true) (await _listener.AcceptAsync()).Dispose();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // Disposed: the test is over.
            }
        });

    public void Dispose()
    {
        foreach (Socket filler in _fillers) filler.Dispose();
        _listener.Dispose();
    }
}
