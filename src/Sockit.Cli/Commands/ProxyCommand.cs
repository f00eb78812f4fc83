using System.CommandLine;
using System.Net.Sockets;
using Sockit.Cli.Relay;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Proxies;
using Sockit.Relay;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit proxy -l [ADDR:]PORT</c>: an HTTP CONNECT, SOCKS4/4a and SOCKS5 proxy on one port. Without ADDR it
/// listens on loopback only (an open proxy on every interface is a gift to strangers): give 0.0.0.0 or [::] to serve others.
/// </summary>
internal static class ProxyCommand
{
    public const string Usage = "sockit proxy -l [ADDR:]PORT [--proxy-auth USER:PASS] [--allow-dest HOST:PORTS]... [options]";

    public static Command Create()
    {
        var listen = new Option<string>("--listen", "-l") { Description = "Where to accept clients: PORT (loopback only) or ADDR:PORT ([ADDR]:PORT for IPv6)", HelpName = "[ADDR:]PORT", Required = true };
        var endpoint = new EndpointOptions();
        var auth = new Option<string?>("--proxy-auth") { Description = "Require these credentials: HTTP Basic (407 otherwise), SOCKS5 username/password, SOCKS4 user id USER:PASS", HelpName = "USER:PASS" };
        var allow = new Option<string[]>("--allow-dest") { Description = "Allow only these destinations (repeatable): HOST:PORTS, HOST an address, CIDR, name or *; PORTS a port, LOW-HIGH or *", HelpName = "HOST:PORTS" };
        var wait = new Option<string?>("--wait", "-w") { Description = "Connect timeout towards a destination (default 30 s)", HelpName = "SECS" };
        var handshake = new Option<string?>("--handshake-timeout") { Description = "A client must finish its request within this (default 30 s)", HelpName = "SECS" };
        var idle = new Option<string?>("--idle-timeout", "-i") { Description = "End a client's relay when nothing moves either way for this long", HelpName = "SECS" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "One line per client on stderr: destination, bytes each way and why it ended, or why it was refused" };
        var maxConns = new Option<int>("--max-conns", "-m") { Description = "Most clients at once (more are closed at once)", DefaultValueFactory = _ => 1000, HelpName = "N" };
        var buffer = new Option<string>("--buffer") { Description = "Copy buffer per direction", DefaultValueFactory = _ => RelaySettings.DefaultBuffer, HelpName = "SIZE" };
        var trace = TraceOption.Create();
        var command = new Command("proxy", "HTTP CONNECT, SOCKS4/4a and SOCKS5 proxy on one port (see docs/proxies.md)");
        command.Options.Add(listen);
        command.Options.Add(endpoint.IPv4);
        command.Options.Add(endpoint.IPv6);
        foreach (Option option in new Option[] { auth, allow, wait, handshake, idle, verbose, maxConns, buffer, trace })
            command.Options.Add(option);
        command.SetPlan(result =>
        {
            if (result.GetValue(maxConns) < 1) throw new UserError("invalid --max-conns: must be at least 1");
            IpFamily family = endpoint.Family(result);
            string[] patterns = result.GetValue(allow) ?? [];
            DestinationAllowList? allowed;
            try
            {
                allowed = patterns.Length == 0 ? null : DestinationAllowList.Parse(patterns);
            }
            catch (FormatException e)
            {
                throw new UserError($"invalid --allow-dest {e.Message}");
            }
            var settings = new ProxyServeSettings
            {
                Listen = ListenSpec(result.GetValue(listen)!, family),
                Verbose = result.GetValue(verbose),
                Trace = result.GetValue(trace) ? new SocketTrace(RelayLog.Error) : null,
                Options = new ProxyServerOptions
                {
                    Credentials = result.GetValue(auth) is { } a ? ProxyOptions.Credentials(a) : null,
                    AllowedDestinations = allowed,
                    MaxConnections = result.GetValue(maxConns),
                    ConnectTimeout = result.GetValue(wait) is { } w ? ValueParsers.Duration(w, "-w") : TimeSpan.FromSeconds(30),
                    HandshakeTimeout = result.GetValue(handshake) is { } h ? ValueParsers.Duration(h, "--handshake-timeout") : TimeSpan.FromSeconds(30),
                    Relay = new RelayOptions
                    {
                        BufferSize = Math.Max(2, ValueParsers.Size(result.GetValue(buffer)!, "--buffer")),
                        IdleTimeout = result.GetValue(idle) is { } i ? ValueParsers.Duration(i, "-i") : null,
                    },
                },
            };
            return async _ =>
            {
                using var termination = new TerminationSignal();
                return await ProxyServe.RunAsync(settings, termination.Token);
            };
        });
        return command;
    }

    /// <summary><c>1080</c> (loopback of the family), <c>0.0.0.0:1080</c>, <c>[::]:1080</c>.</summary>
    internal static EndpointSpec ListenSpec(string text, IpFamily family)
    {
        if (text.Contains(':', StringComparison.Ordinal)) return RelayCommand.ListenSpec(text, family);
        string loopback = family == IpFamily.IPv6 ? "::1" : "127.0.0.1";
        return EndpointSpec.Ip(loopback, ValueParsers.Port(text, "Server", allowZero: true), SocketType.Stream, family);
    }
}
