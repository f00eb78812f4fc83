using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Learn;
using static Sockit.IntegrationTests.Samples.SampleLines;

namespace Sockit.IntegrationTests.Samples;

/// <summary>
/// samples/SelectChat, one thread on Socket.Select, with several real clients at once (nc and Python): each is
/// greeted, the seed's question gets a yes, and every line reaches every other client with its sender's name.
/// </summary>
public sealed class SelectChatSampleTests
{
    private const string Hello = "Hello server, would you like to chat?";
    private const string Yes = "Yes, guest1, I would like to chat! Everyone here reads what you type.";
    private const string FirstWelcome = "Welcome to the chat, guest1! Here: nobody yet.";

    // A Python guest: connects and reads its welcome; the test appends what it does next.
    private const string PythonGuest = """
        import socket, struct, sys, time
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
        s.makefile("rb").readline()

        """;
    private const int SigInt = 2;
    private static readonly string Sample = Repo.SamplePath("SelectChat");

    [Fact]
    public async Task ThreeNcClientsChatThroughOneThreadAndTheTraceMatchesTheTranscript()
    {
        await using var server = RunningProcess.Start(Sample, "0", "--trace");
        int port = await PortAsync(server, "CHAT SERVER AT 0.0.0.0:");

        await using var a = await JoinAsync(port, FirstWelcome);
        await using var b = await JoinAsync(port, "Welcome to the chat, guest2! Here: guest1.");
        await a.WaitForLineAsync("* guest2 joined");
        await using var c = await JoinAsync(port, "Welcome to the chat, guest3! Here: guest1, guest2.");
        await a.WaitForLineAsync("* guest3 joined");
        await b.WaitForLineAsync("* guest3 joined");

        await SayAsync(a, Hello);
        await a.WaitForLineAsync(Yes);
        await b.WaitForLineAsync($"guest1: {Hello}");
        await c.WaitForLineAsync($"guest1: {Hello}");

        await SayAsync(b, "hi everyone");
        await a.WaitForLineAsync("guest2: hi everyone");
        await c.WaitForLineAsync("guest2: hi everyone");

        // Leaving: nc -N sends FIN when its stdin ends; the server closes that socket and tells the others.
        int cExit = await LeaveAsync(c);
        await a.WaitForLineAsync("* guest3 left");
        await b.WaitForLineAsync("* guest3 left");
        int bExit = await LeaveAsync(b);
        await a.WaitForLineAsync("* guest2 left");
        int aExit = await LeaveAsync(a);
        await server.WaitForLineAsync("guest1 left");

        Assert.Equal([FirstWelcome, "* guest2 joined", "* guest3 joined", Yes,
            "guest2: hi everyone", "* guest3 left", "* guest2 left"], a.StdoutLines);
        Assert.Equal(["Welcome to the chat, guest2! Here: guest1.", "* guest3 joined", $"guest1: {Hello}", "* guest3 left"], b.StdoutLines);
        Assert.Equal(["Welcome to the chat, guest3! Here: guest1, guest2.", $"guest1: {Hello}", "guest2: hi everyone"], c.StdoutLines);
        Assert.Equal(0, aExit + bExit + cExit);

        server.Signal(SigInt);
        int serverExit = await server.WaitForExitAsync();
        Assert.Equal([$"guest1 said: {Hello}", "guest2 said: hi everyone", "guest3 left", "guest2 left", "guest1 left"], server.StdoutLines.Skip(4));

        var transcript = new Transcript();
        transcript.ListeningPort(port);
        transcript.Add("SelectChat 0 --trace                         # stopped with Ctrl-C at the end", server, serverExit);
        transcript.Add($"nc -N 127.0.0.1 {port}                       # guest1", a, aExit, Hello + "\n");
        transcript.Add($"nc -N 127.0.0.1 {port}                       # guest2", b, bExit, "hi everyone\n");
        transcript.Add($"nc -N 127.0.0.1 {port}                       # guest3", c, cExit);
        TranscriptFiles.AssertMatches("selectchat.txt", transcript);
    }

    [Fact]
    public async Task ALineSentInPiecesReachesTheOthersWhole()
    {
        await using var server = RunningProcess.Start(Sample, "0");
        await using var listener = await JoinAsync(await PortAsync(server, "CHAT SERVER AT 0.0.0.0:"), FirstWelcome);

        // TCP may cut a line anywhere; here the sender does it on purpose, with pauses between the pieces.
        Assert.Equal(0, await PythonGuestAsync(server, """
            for piece in (b"part one ", b"and two\nand ", b"three\n"):
                s.sendall(piece)
                time.sleep(0.2)
            s.close()
            """));

        await listener.WaitForLineAsync("* guest2 left");
        Assert.Equal([FirstWelcome, "* guest2 joined", "guest2: part one and two", "guest2: and three", "* guest2 left"],
            listener.StdoutLines);
    }

    [Fact]
    public async Task AClientThatResetsLeavesAndTheServerKeepsServing()
    {
        await using var server = RunningProcess.Start(Sample, "0");
        int port = await PortAsync(server, "CHAT SERVER AT 0.0.0.0:");
        await using var stayer = await JoinAsync(port, FirstWelcome);

        // SO_LINGER with a zero timeout makes close() send RST instead of FIN: recv() fails on the server.
        Assert.Equal(0, await PythonGuestAsync(server, """
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
            """));
        await stayer.WaitForLineAsync("* guest2 left");

        await using var late = await JoinAsync(port, "Welcome to the chat, guest3! Here: guest1.");
        await SayAsync(late, "still here?");
        await stayer.WaitForLineAsync("guest3: still here?");
        Assert.Equal("", server.Stderr);
    }

    [Theory]
    [InlineData]
    [InlineData("abc")]
    [InlineData("0", "--verbose")]
    public async Task SampleWithWrongArgumentsPrintsUsage(params string[] arguments)
    {
        await using var sample = RunningProcess.Start(Sample, arguments);
        Assert.Equal(1, await sample.WaitForExitAsync());
        Assert.Equal("[Usage]: SelectChat PORT [--trace]", sample.Stderr.TrimEnd());
    }

    /// <summary>Runs a <see cref="PythonGuest"/> that then does <paramref name="then"/>; returns its exit status.</summary>
    private static async Task<int> PythonGuestAsync(RunningProcess server, string then)
    {
        int port = await PortAsync(server, "CHAT SERVER AT 0.0.0.0:");
        await using var python = RunningProcess.Start(Peers.Python, "-c", PythonGuest + then, Text(port));
        return await python.WaitForExitAsync();
    }

    /// <summary>Connects an nc client and waits for its welcome line.</summary>
    private static async Task<RunningProcess> JoinAsync(int port, string welcome)
    {
        var nc = RunningProcess.Start(Peers.Nc, "-N", "127.0.0.1", Text(port));
        await nc.WaitForLineAsync(welcome);
        return nc;
    }

    private static async Task SayAsync(RunningProcess nc, string line)
    {
        await nc.Input.WriteAsync(line + "\n");
        await nc.Input.FlushAsync();
    }

    /// <summary>Ends nc's stdin (it sends FIN) and waits for it to exit once the server has closed too.</summary>
    private static async Task<int> LeaveAsync(RunningProcess nc)
    {
        nc.Input.Close();
        return await nc.WaitForExitAsync();
    }
}
