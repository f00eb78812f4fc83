using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Sockit.Cli.Relay;
using Sockit.Addresses;
using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit relay ADDR1 ADDR2</c>: opens the first address, then the second, and relays them both ways (half-close
/// carried across); see docs/addresses.md. <c>sockit relay -l [ADDR:]PORT HOST PORT</c>, the TCP forwarder, is
/// <c>tcp-listen:[ADDR:]PORT,fork tcp:HOST:PORT</c>: every client its own connection, up to <c>--max-conns</c> at once.
/// </summary>
internal static class RelayCommand
{
    public const string Usage = "sockit relay [options] ADDR1 ADDR2 | sockit relay -l [ADDR:]PORT [options] HOST PORT";

    public static Command Create()
    {
        var listen = new Option<string?>("--listen", "-l") { Description = "The TCP forwarder: accept clients on PORT or ADDR:PORT ([ADDR]:PORT for IPv6), relay each to HOST PORT", HelpName = "[ADDR:]PORT" };
        var args = new Argument<string[]>("ADDR1 ADDR2") { Description = "Two addresses (tcp:HOST:PORT, tcp-listen:PORT,fork, unix:PATH, exec:PROG ARGS, -, ...; see docs/addresses.md), or HOST PORT with -l", Arity = new ArgumentArity(2, 2) };
        var endpoint = new EndpointOptions();
        var wait = new Option<string?>("--wait", "-w") { Description = "Connect timeout towards an address that connects", HelpName = "SECS" };
        var idle = new Option<string?>("--idle-timeout", "-i") { Description = "End a connection's relay when nothing moves either way for this long", HelpName = "SECS" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Each connection, its far end, bytes each way and why it ended, on stderr" };
        var maxConns = new Option<int>("--max-conns", "-m") { Description = "Most clients relayed at once by a forking listener without max-conns= (more are closed at once)", DefaultValueFactory = _ => 1000, HelpName = "N" };
        var buffer = new Option<string>("--buffer") { Description = "Copy buffer per direction", DefaultValueFactory = _ => RelaySettings.DefaultBuffer, HelpName = "SIZE" };
        var trace = TraceOption.Create();
        var ssl = new Option<bool>("--ssl", "--tls") { Description = "With -l: clients speak TLS to the forwarder (tls-listen:); the far side stays plain" };
        var sslCert = new Option<string?>("--ssl-cert") { Description = "With -l --ssl: the certificate served (PEM, chain after it, or PKCS#12); without it a throwaway self-signed one, its pin printed", HelpName = "FILE" };
        var sslKey = new Option<string?>("--ssl-key") { Description = "With --ssl-cert: its private key (PEM), when not in the certificate file", HelpName = "FILE" };
        var access = new AccessOptions();
        var command = new Command("relay", "Relay two addresses both ways (tcp, tcp-listen, udp, udp-listen, unix, unix-listen, exec, sh, file, stdio); -l: the TCP forwarder") { args };
        command.Options.Add(listen);
        command.Options.Add(endpoint.IPv4);
        command.Options.Add(endpoint.IPv6);
        foreach (Option option in new Option[] { wait, idle, verbose, maxConns, buffer, trace, ssl, sslCert, sslKey })
            command.Options.Add(option);
        access.AddTo(command);
        command.SetPlan(result =>
        {
            string[] words = result.GetValue(args) ?? [];
            if (result.GetValue(maxConns) < 1) throw new UserError("invalid --max-conns: must be at least 1");
            IpFamily family = endpoint.Family(result);
            ForwarderTls? tls = ForwarderTls.From(result.GetValue(ssl), result.GetValue(sslCert), result.GetValue(sslKey));
            if (tls is not null && result.GetValue(listen) is null)
                throw new UserError("--ssl goes with -l; in an address write tls-listen:PORT,cert=FILE,key=FILE or tls:HOST:PORT");
            (AddressSpec first, AddressSpec second) = result.GetValue(listen) is { } listenText
                ? Forwarder(listenText, words, family, tls)
                : family == IpFamily.Any ? Addresses(words) : throw new UserError("-4/-6 go with -l; in an address write ,4 or ,6 (tcp:HOST:PORT,4)");
            Sockit.Access.AccessPolicyBuilder? lists = access.Plan(result, first.Kind == AddressKind.UnixListen ? Sockit.Access.AccessPolicy.UnixRefusal : null);
            var settings = new RelaySettings
            {
                First = first,
                Second = second,
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
                if (first.IsListener) await CheckFarNameResolvesAsync(second, settings, termination.Token);
                return await AddressRelayRun.RunAsync(settings with { Access = await AccessOptions.BuildAsync(lists, termination.Token) }, termination.Token);
            };
        });
        return command;
    }

    /// <summary><c>-l [ADDR:]PORT HOST PORT</c> as the addresses it stands for.</summary>
    private static (AddressSpec, AddressSpec) Forwarder(string listenText, string[] target, IpFamily family, ForwarderTls? tls)
    {
        EndpointSpec listen = ListenSpec(listenText, family);
        var first = new AddressSpec
        {
            Kind = tls is null ? AddressKind.TcpListen : AddressKind.TlsListen,
            Host = listen.Host,
            Port = listen.Port,
            Options = new AddressOptions { Fork = true, Family = family, Certificate = tls?.Certificate, Key = tls?.Key },
        };
        var second = new AddressSpec
        {
            Kind = AddressKind.Tcp,
            Host = ValueParsers.Host(target[0], "Client"),
            Port = ValueParsers.Port(target[1], "Client", allowZero: false),
            Options = new AddressOptions { Family = family },
        };
        return (first, second);
    }

    /// <summary><c>-l --ssl [--ssl-cert FILE [--ssl-key FILE]]</c>: the forwarder's listener speaks TLS (<c>tls-listen:</c>).</summary>
    private sealed record ForwarderTls(string? Certificate, string? Key)
    {
        public static ForwarderTls? From(bool on, string? certificate, string? key)
        {
            if (key is not null && certificate is null) throw new UserError("--ssl-key needs --ssl-cert");
            return on || certificate is not null ? new ForwarderTls(certificate, key) : null;
        }
    }

    /// <summary><c>ADDR1 ADDR2</c>, each through the address grammar, then checked as a pair; every failure is one line.</summary>
    private static (AddressSpec, AddressSpec) Addresses(string[] words)
    {
        try
        {
            AddressSpec first = AddressSpec.Parse(words[0]), second = AddressSpec.Parse(words[1]);
            AddressRelay.Check(first, second);
            return (first, second);
        }
        catch (AddressException e)
        {
            throw new UserError(e.Message);
        }
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
    /// A far NAME (behind a listener) that does not resolve is refused before listening (one line, exit 1), rather
    /// than found out by the first client. Each client still resolves it afresh, so a changed address is followed.
    /// </summary>
    private static async Task CheckFarNameResolvesAsync(AddressSpec far, RelaySettings settings, CancellationToken cancel)
    {
        if (far.Kind is not (AddressKind.Tcp or AddressKind.Udp) || IPAddress.TryParse(far.Host, out _)) return;
        try
        {
            await NameLookup.ResolveAsync(far.ToEndpoint()!, settings.Trace, cancel);
        }
        catch (SocketException e)
        {
            throw new UserError($"[Client resolve error]: upstream '{far.Host}': {SocketNames.Describe(e.SocketErrorCode)}");
        }
    }
}
