// RelayHost: a TCP forwarder hosted with the Sockit library's public API, and nothing else.
//
//   RelayHost forward LISTEN_PORT HOST PORT    relay every client of 127.0.0.1:LISTEN_PORT to HOST PORT
//
// Port 0 lets the kernel choose; the "Listening on" line shows the port it chose. Ctrl-C or SIGTERM stops it:
// clients in flight get a short grace period, then the listener returns.
using System.Globalization;
using System.Runtime.InteropServices;
using Sockit.Endpoints;
using Sockit.Hosting;
using Sockit.Relay;
using Sockit.Transports;

if (args is not ["forward", var listenText, var host, var portText]
    || !int.TryParse(listenText, CultureInfo.InvariantCulture, out int listenPort)
    || !int.TryParse(portText, CultureInfo.InvariantCulture, out int port))
{
    Console.Error.WriteLine("[Usage]: RelayHost forward LISTEN_PORT HOST PORT");
    return 1;
}

using var stop = new CancellationTokenSource();
// Both signals end the listener the same way: stop accepting, let in-flight relays finish (bounded).
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });

EndpointSpec target = EndpointSpec.Ip(host, port);
var listen = new HostOptions
{
    Endpoint = EndpointSpec.Ip("127.0.0.1", listenPort),
    Backlog = 128,
    Log = Console.WriteLine,        // "Listening on ...", each client, bytes each way and why it ended
};
var options = new RelayListenerOptions { FarName = target.ToString(), Errors = Console.Error.WriteLine };
// The far end of every client: a fresh connection to HOST PORT (names race IPv6 and IPv4, RFC 8305).
FarEndFactory connect = RelayListener.ConnectTo(target, new ConnectOptions { Timeout = TimeSpan.FromSeconds(5) });

await using RelayListener relay = RelayListener.Start(listen, options, connect);
await relay.RunAsync(stop.Token);
return 0;
