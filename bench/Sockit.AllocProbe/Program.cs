using System.Text;
using Sockit.Endpoints;
using Sockit.Hosting;
using Sockit.Protocols.Echo;
using Sockit.Protocols.Grumpy;

// Usage: Sockit.AllocProbe grumpy|echo none|sink [ticks]
//   With "ticks", the runtime's sampled allocation events (one per ~100 KB allocated, with the type that crossed
//   the threshold) are counted per type, and a "ticks" line on stdin prints them to stderr: a cheap attribution.
//   Prints "PORT n", then answers each "mark" line on stdin with "ALLOC bytes" (GC.GetTotalAllocatedBytes(true)
//   for the whole process, which is the server alone: the clients run elsewhere). "quit" ends it.
// Log "none" gives the server no log sink; "sink" formats every line and encodes it into a reused buffer
// written to Stream.Null, as the CLI's queued LineWriter does to stdout (minus the queue, which reuses its array).
using var ticks = args.Length == 3 && args[2] == "ticks" ? new AllocationTicks() : null;
if (args.Length is < 2 or > 3 || args[0] is not ("grumpy" or "echo") || args[1] is not ("none" or "sink"))
{
    Console.Error.WriteLine("usage: Sockit.AllocProbe grumpy|echo none|sink");
    return 2;
}

var sink = new NullSink();
Action<string>? log = args[1] == "sink" ? sink.WriteLine : null;
using var stop = new CancellationTokenSource();
Task run;
int port;
if (args[0] == "grumpy")
{
    var server = GrumpyServer.Start(new GrumpyServerOptions { Endpoint = EndpointSpec.Ip("127.0.0.1", 0), Backlog = 4096, Log = log });
    port = server.Port;
    run = server.RunAsync(stop.Token);
}
else
{
    var server = StreamHost.Start(new HostOptions { Endpoint = EndpointSpec.Ip("127.0.0.1", 0), Backlog = 4096, Log = log }, EchoHandler.Create(log));
    port = server.Port;
    run = server.RunAsync(stop.Token);
}
Console.WriteLine($"PORT {port}");
string? line;
while ((line = Console.ReadLine()) is not null && line != "quit")
{
    if (line == "mark") Console.WriteLine($"ALLOC {GC.GetTotalAllocatedBytes(true)} LINES {sink.Lines}");
    if (line == "ticks") Console.Error.WriteLine(ticks?.Report() ?? "(run with a third argument: ticks)");
}
stop.Cancel();
await run;
return 0;

internal sealed class NullSink
{
    private readonly object _gate = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    public long Lines;

    public void WriteLine(string line)
    {
        lock (_gate)
        {
            int n = Encoding.UTF8.GetBytes(line, _buffer);
            _buffer[n++] = (byte)'\n';
            Stream.Null.Write(_buffer, 0, n);
            Lines++;
        }
    }
}

internal sealed class AllocationTicks : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, int> _byType = new();

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal)) return;
        int i = e.PayloadNames!.IndexOf("TypeName");
        string type = i >= 0 ? e.Payload![i]?.ToString() ?? "?" : "?";
        lock (_byType) _byType[type] = _byType.GetValueOrDefault(type) + 1;
    }

    public string Report()
    {
        lock (_byType)
        {
            string text = string.Join("\n", _byType.OrderByDescending(p => p.Value).Select(p => $"{p.Value,6} {p.Key}"));
            _byType.Clear();
            return text;
        }
    }
}
