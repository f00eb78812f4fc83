using System.Globalization;
using Sockit.IntegrationTests.Addresses;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Splice;

/// <summary>
/// What the splice tests share: <c>sockit</c> started with the fast path on or off (<c>SOCKIT_SPLICE=0</c>), and a
/// python peer that sends one file and keeps what it receives, in a chosen order, so either side's half-close
/// can be made to come first.
/// </summary>
public static class SplicePeers
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    /// <summary><c>sockit ARGS</c> with splicing on (the default) or off.</summary>
    public static RunningProcess Sockit(bool splice, params string[] arguments)
        => RunningProcess.Start("/usr/bin/env", [$"SOCKIT_SPLICE={(splice ? "1" : "0")}", Repo.SockitPath, .. arguments]);

    /// <summary>The same as a shell word prefix, for <see cref="Relay.Shell.Run"/>.</summary>
    public static string SockitCommand(bool splice) => $"env SOCKIT_SPLICE={(splice ? "1" : "0")} {Relay.Shell.Sockit}";

    /// <summary>
    /// <c>sockit relay -v --trace tcp-listen:127.0.0.1:0 tcp:127.0.0.1:FAR</c> (one client, no fork); returns it with its port.
    /// The trace shows whether bytes moved by splice(2) or by recv/send.
    /// </summary>
    public static async Task<(RunningProcess Relay, int Port)> RelayAsync(bool splice, int farPort, params string[] extra)
    {
        var relay = Sockit(splice, ["relay", "-v", "--trace", .. extra, "tcp-listen:127.0.0.1:0", $"tcp:127.0.0.1:{farPort}"]);
        string line = await relay.WaitForStderrLineAsync("Listening on ");
        string address = line["Listening on ".Length..line.IndexOf(',', StringComparison.Ordinal)];
        return (relay, int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Counts the trace's splice(2) lines.</summary>
    public static int SpliceCalls(string trace) => trace.Split('\n').Count(l => l.StartsWith("splice(", StringComparison.Ordinal));

    /// <summary>
    /// A python peer: <paramref name="role"/> is <c>listen</c> (prints its port, serves one client) or a port to connect to; <c>send-first</c> sends
    /// SENDFILE, shuts its sending side and then reads to EOF into RECVFILE; <c>read-first</c> reads to EOF first, then sends.
    /// </summary>
    public static RunningProcess Python(string role, string order, string sendFile, string receiveFile)
        => RunningProcess.Start(Peers.Python, "-c", PeerCode, role, order, sendFile, receiveFile);

    /// <summary>Starts a listening <see cref="Python"/> peer and returns it with its port.</summary>
    public static async Task<(RunningProcess Peer, int Port)> ListenAsync(string order, string sendFile, string receiveFile)
    {
        RunningProcess peer = Python("listen", order, sendFile, receiveFile);
        return (peer, int.Parse(await peer.WaitForLineAsync(_ => true), CultureInfo.InvariantCulture));
    }

    public static string RandomFile(string path, long size) => RelayProcess.RandomFile(path, size);

    private const string PeerCode = """
        import socket, sys
        role, order, send_path, recv_path = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
        if role == "listen":
            srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
            print(srv.getsockname()[1], flush=True)
            s, _ = srv.accept()
        else:
            s = socket.create_connection(("127.0.0.1", int(role)))
        s.settimeout(100)
        def send():
            with open(send_path, "rb") as f:
                while True:
                    d = f.read(1 << 20)
                    if not d: break
                    s.sendall(d)
            s.shutdown(socket.SHUT_WR)
        def receive():
            with open(recv_path, "wb") as f:
                while True:
                    d = s.recv(1 << 20)
                    if not d: break
                    f.write(d)
        if order == "send-first":
            send(); receive()
        else:
            receive(); send()
        s.close()
        print("done", flush=True)
        """;
}
