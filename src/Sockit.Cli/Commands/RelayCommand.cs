using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Sockit.Cli.Relay;
using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit relay -l PORT HOST PORT</c>: a TCP-to-TCP forwarder. Every client accepted on the listen port gets
/// its own connection to HOST PORT, and the two are relayed both ways (half-close carried across) until both
/// directions end. Many clients at once, up to <c>--max-conns</c>.
/// </summary>
internal static class RelayCommand
{
    public const string Usage = "sockit relay -l [ADDR:]PORT [options] HOST PORT";

    public static Command Create()
    {
        var listen = new Option<string>("--listen", "-l") { Description = "Where to accept clients: PORT or ADDR:PORT ([ADDR]:PORT for IPv6)", HelpName = "[ADDR:]PORT", Required = true };
        var args = new Argument<string[]>("HOST PORT") { Description = "Where each client is relayed to", Arity = new ArgumentArity(2, 2) };
        var endpoint = new EndpointOptions();
        var wait = new Option<string?>("--wait", "-w") { Description = "Connect timeout towards HOST PORT", HelpName = "SECS" };
        var idle = new Option<string?>("--idle-timeout", "-i") { Description = "End a client's relay when nothing moves either way for this long", HelpName = "SECS" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Each client, its upstream, bytes each way and why it ended, on stderr" };
        var maxConns = new Option<int>("--max-conns", "-m") { Description = "Most clients relayed at once (more are closed at once)", DefaultValueFactory = _ => 1000, HelpName = "N" };
        var buffer = new Option<string>("--buffer") { Description = "Copy buffer per direction", DefaultValueFactory = _ => ForwardSettings.DefaultBuffer, HelpName = "SIZE" };
        var trace = TraceOption.Create();
        var access = new AccessOptions();
        var command = new Command("relay", "Forward TCP: relay every client of a listen port to HOST PORT, both ways") { args };
        command.Options.Add(listen);
        command.Options.Add(endpoint.IPv4);
        command.Options.Add(endpoint.IPv6);
        foreach (Option option in new Option[] { wait, idle, verbose, maxConns, buffer, trace })
            command.Options.Add(option);
        access.AddTo(command);
        command.SetPlan(result =>
        {
            string[] target = result.GetValue(args) ?? [];
            if (result.GetValue(maxConns) < 1) throw new UserError("invalid --max-conns: must be at least 1");
            IpFamily family = endpoint.Family(result);
            Sockit.Access.AccessPolicyBuilder? lists = access.Plan(result, refusal: null);
            var settings = new ForwardSettings
            {
                Listen = ListenSpec(result.GetValue(listen)!, family),
                Target = EndpointSpec.Ip(ValueParsers.Host(target[0], "Client"), ValueParsers.Port(target[1], "Client", allowZero: false), SocketType.Stream, family),
                ConnectTimeout = result.GetValue(wait) is { } w ? ValueParsers.Duration(w, "-w") : null,
                IdleTimeout = result.GetValue(idle) is { } i ? ValueParsers.Duration(i, "-i") : null,
                Verbose = result.GetValue(verbose),
                MaxConnections = result.GetValue(maxConns),
                BufferSize = Math.Max(2, ValueParsers.Size(result.GetValue(buffer)!, "--buffer")),
                Trace = result.GetValue(trace) ? new SocketTrace(RelayLog.Error) : null,
            };
            return async _ =>
            {
                using var termination = new TerminationSignal();
                await CheckUpstreamResolvesAsync(settings, termination.Token);
                return await Forwarder.RunAsync(settings with { Access = await AccessOptions.BuildAsync(lists, termination.Token) }, termination.Token);
            };
        });
        return command;
    }

    /// <summary><c>8080</c>, <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>.</summary>
    internal static EndpointSpec ListenSpec(string text, IpFamily family)
    {
        int colon = text.LastIndexOf(':');
        string? host = colon < 0 ? null : ValueParsers.Address(text[..colon]);
        string port = colon < 0 ? text : text[(colon + 1)..];
        return EndpointSpec.Ip(host, ValueParsers.Port(port, "Server", allowZero: true), SocketType.Stream, family);
    }

    /// <summary>
    /// An upstream NAME that does not resolve is refused before listening (one line, exit 1), rather than
    /// found out by the first client. Each client still resolves it afresh, so a changed address is followed.
    /// </summary>
    private static async Task CheckUpstreamResolvesAsync(ForwardSettings settings, CancellationToken cancel)
    {
        if (IPAddress.TryParse(settings.Target.Host, out _)) return;
        try
        {
            await NameLookup.ResolveAsync(settings.Target, settings.Trace, cancel);
        }
        catch (SocketException e)
        {
            throw new UserError($"[Client resolve error]: upstream '{settings.Target.Host}': {SocketNames.Describe(e.SocketErrorCode)}");
        }
    }
}
