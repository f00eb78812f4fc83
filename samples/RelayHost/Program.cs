// RelayHost: a TCP forwarder and an exec listener hosted with the Sockit library's public API, and nothing else.
//
//   RelayHost forward LISTEN_PORT HOST PORT     relay every client of 127.0.0.1:LISTEN_PORT to HOST PORT
//   RelayHost exec LISTEN_PORT PROGRAM [ARG...]  give every client a PROGRAM of its own (stdin/stdout relayed)
//   RelayHost addresses ADDR1 ADDR2             relay two addresses, as `sockit relay ADDR1 ADDR2` does
//                                               (e.g. tcp-listen:127.0.0.1:0,fork unix:/run/app.sock)
//
// The first two are one RelayListener; only the far end's factory differs. The third is an AddressRelay: both
// ends come from the address grammar (docs/addresses.md), so any pair it supports is one line of text away.
//
// Port 0 lets the kernel choose; the "Listening on" line shows the port it chose. Ctrl-C or SIGTERM stops it:
// clients in flight get a short grace period, then the listener returns.
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sockit.Addresses;
using Sockit.Endpoints;
using Sockit.Hosting;
using Sockit.Relay;
using Sockit.Transports;

const string Usage = "[Usage]: RelayHost forward LISTEN_PORT HOST PORT | RelayHost exec LISTEN_PORT PROGRAM [ARG...] | RelayHost addresses ADDR1 ADDR2";
if (args is ["addresses", var firstText, var secondText]) return await RelayAddressesAsync(firstText, secondText);
if (args.Length < 3 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int listenPort))
{
    Console.Error.WriteLine(Usage);
    return 1;
}
FarEndFactory farEnd;
string farName;
switch (args)
{
    case ["forward", _, var host, var portText] when int.TryParse(portText, CultureInfo.InvariantCulture, out int port):
        EndpointSpec target = EndpointSpec.Ip(host, port);
        farName = target.ToString();
        // A fresh connection to HOST PORT per client (names race IPv6 and IPv4, RFC 8305).
        farEnd = RelayListener.ConnectTo(target, new ConnectOptions { Timeout = TimeSpan.FromSeconds(5) });
        break;
    case ["exec", _, .. var argv]:
        farName = "exec " + string.Join(' ', argv);
        // A program per client, run without a shell; disposing the end closes its pipes and reaps it.
        farEnd = (_, _) => ValueTask.FromResult<DuplexEnd>(ExecEnd.Start(argv));
        break;
    default:
        Console.Error.WriteLine(Usage);
        return 1;
}

using var stop = new CancellationTokenSource();
// Both signals end the listener the same way: stop accepting, let in-flight relays finish (bounded).
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });

var listen = new HostOptions
{
    Endpoint = EndpointSpec.Ip("127.0.0.1", listenPort),
    Backlog = 128,
    Log = Console.WriteLine,        // "Listening on ...", each client, bytes each way and why it ended
};
var options = new RelayListenerOptions { FarName = farName, Errors = Console.Error.WriteLine };
await using RelayListener relay = RelayListener.Start(listen, options, farEnd);
await relay.RunAsync(stop.Token);
return 0;

// Parses both addresses (one line naming the bad part if not), then relays them until both directions end (one
// connection) or, for a forking listener, until Ctrl-C / SIGTERM.
static async Task<int> RelayAddressesAsync(string firstText, string secondText)
{
    AddressSpec first, second;
    try
    {
        first = AddressSpec.Parse(firstText);
        second = AddressSpec.Parse(secondText);
        AddressRelay.Check(first, second);
    }
    catch (AddressException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
    using var stop = new CancellationTokenSource();
    using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
    using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
    var options = new AddressRelayOptions
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        Log = Console.WriteLine,      // "Listening on ..., relaying to ...", each connection, bytes each way and why it ended
        Errors = Console.Error.WriteLine,
    };
    try
    {
        RelayResult? result = await AddressRelay.RunAsync(first, second, options, stop.Token);
        return result is null || result.Clean ? 0 : 1;
    }
    catch (Exception e) when (e is SocketException or IOException or TimeoutException)
    {
        Console.Error.WriteLine($"relay: {e.Message}");
        return 1;
    }
}
