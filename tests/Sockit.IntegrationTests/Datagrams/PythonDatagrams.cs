namespace Sockit.IntegrationTests.Datagrams;

/// <summary>Small Python 3 datagram peers, addressed by transport name so one script serves every test.</summary>
public static class PythonDatagrams
{
    /// <summary>Shared prelude: <c>make(kind)</c> opens a socket, <c>target(kind, where)</c> turns "port" or "path" into an address.</summary>
    private const string Prelude = """
        import socket, sys, threading
        FAMILY = {"udp4": socket.AF_INET, "udp6": socket.AF_INET6, "unix": socket.AF_UNIX}
        LOOPBACK = {"udp4": "127.0.0.1", "udp6": "::1"}
        def make(kind):
            return socket.socket(FAMILY[kind], socket.SOCK_DGRAM)
        def target(kind, where):
            return where if kind == "unix" else (LOOPBACK[kind], int(where))
        """;

    /// <summary>
    /// <c>python3 -c Senders KIND WHERE COUNT [BIND_DIR]</c>: COUNT sockets each send one hello, all before any
    /// answer is read; then each waits for its own answer and prints <c>N: reply</c>. Unix senders bind in BIND_DIR.
    /// </summary>
    public const string Senders = Prelude + """

        kind, where, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
        socks = []
        for i in range(count):
            s = make(kind)
            if kind == "unix":
                s.bind(sys.argv[4] + "/c%d.sock" % i)
            s.settimeout(30)
            socks.append(s)
        for i, s in enumerate(socks):
            s.sendto(b"Hello from python %d\n" % i, target(kind, where))
        for i, s in enumerate(socks):
            data, _ = s.recvfrom(65536)
            print("%d: %s" % (i, data.decode().rstrip("\n")), flush=True)
        """;

    /// <summary>
    /// <c>python3 -c Unbound KIND PATH</c>: sends one datagram from a Unix socket that never binds, then exits.
    /// </summary>
    public const string Unbound = Prelude + """

        s = make(sys.argv[1])
        s.sendto(b"Hello from nowhere\n", sys.argv[2])
        """;

    /// <summary>
    /// <c>python3 -c Responder KIND BIND_WHERE</c>: binds (port 0 or a path), prints <c>READY port</c>, answers
    /// one datagram with <c>Go away, you said: MESSAGE</c> by sendto, prints what it got, exits.
    /// </summary>
    public const string Responder = Prelude + """

        kind, where = sys.argv[1], sys.argv[2]
        s = make(kind)
        s.bind(where if kind == "unix" else (LOOPBACK[kind], 0))
        print("READY %s" % ("0" if kind == "unix" else s.getsockname()[1]), flush=True)
        s.settimeout(60)
        data, peer = s.recvfrom(65536)
        s.sendto(b"Go away, you said: " + data, peer)
        print("GOT %s" % data.decode().rstrip("\n"), flush=True)
        """;

    /// <summary>
    /// Leaves a Unix datagram socket file that nobody holds, as a killed server does. (A .NET socket cannot make
    /// one: disposing a bound Unix socket unlinks its file.)
    /// </summary>
    public static async Task LeaveStaleSocketFileAsync(string path)
    {
        const string script = "import socket, sys\nsocket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])";
        await using var python = Infrastructure.RunningProcess.Start(Infrastructure.Peers.Python, "-c", script, path);
        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.True(File.Exists(path));
    }
}
