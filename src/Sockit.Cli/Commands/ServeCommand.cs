using System.CommandLine;
using Sockit.Access;
using Sockit.Cli.Output;
using Sockit.Cli.Relay;
using Sockit.Cli.Tls;
using Sockit.Endpoints;
using Sockit.Protocols.Grumpy;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit serve PORT</c>: the seed's grumpy server.</summary>
internal static class ServeCommand
{
    public const string Usage = "sockit serve PORT";

    public static Command Create()
    {
        var port = new Argument<string?>("PORT") { Description = "Port to listen on (0 picks a free one)", Arity = ArgumentArity.ZeroOrOne };
        var bind = new Option<string?>("--bind", "-b") { Description = "Address to listen on (default: every address)", HelpName = "ADDR" };
        var backlog = ValueParsers.WholeNumber("--backlog", null, defaultValue: 5, min: 1, max: 65535);
        backlog.Description = "listen() backlog";
        backlog.HelpName = "N";
        var message = new Option<string>("--message", "-m") { Description = "The reply to send", DefaultValueFactory = _ => GrumpyServerOptions.DefaultReply, HelpName = "TEXT" };
        var maxMessage = new Option<string>("--max-message") { Description = "Longest message read from a client", DefaultValueFactory = _ => "64KiB", HelpName = "SIZE" };
        var timeout = new Option<string>("--timeout")
        {
            Description = "Deadline for a client's whole message (from connect to newline): answer and drop it then, however it trickles",
            DefaultValueFactory = _ => "30s",
            HelpName = "DURATION",
        };
        var idleTimeout = new Option<string?>("--idle-timeout")
        {
            Description = "Also answer and drop a client that sends nothing for this long (--echo: that does not move a byte; default: off)",
            HelpName = "DURATION",
        };
        var maxInFlight = ValueParsers.WholeNumber("--max-in-flight", null, defaultValue: 256, min: 1, max: 1_000_000);
        maxInFlight.Description = "With --udp: most datagrams answered at once; more are dropped, counted and logged once a second";
        maxInFlight.HelpName = "N";
        var maxConns = ValueParsers.WholeNumber("--max-conns", null, defaultValue: 0, min: 1, max: 1_000_000);
        maxConns.Description = "Most clients served at once (default: as descriptors allow); more wait in the backlog and are served in turn";
        maxConns.HelpName = "N";
        var grace = new Option<string>("--grace") { Description = "On Ctrl-C/SIGTERM, how long in-flight clients may take", DefaultValueFactory = _ => "5s", HelpName = "DURATION" };
        var mode = new Option<string?>("--mode") { Description = "Permission bits of a Unix socket file, in octal (default: umask)", HelpName = "OCTAL" };
        var trace = TraceOption.Create();
        var udp = ServeDatagrams.CreateOption();
        var echo = EchoServe.CreateOption();
        var chat = ChatServe.CreateOption();
        var endpoint = new EndpointOptions();
        var tls = new TlsOptions("--tls");
        var access = new AccessOptions();

        var command = new Command("serve", "Run the grumpy server: log each client's message, answer it grumpily, close")
        {
            port, bind, backlog, message, maxMessage, timeout, idleTimeout, grace, mode, trace, udp, echo, chat, maxInFlight, maxConns,
        };
        endpoint.AddTo(command);
        tls.AddTo(command);
        access.AddTo(command);

        command.SetPlan(result =>
        {
            string? unixPath = endpoint.UnixPath(result);
            string? portText = result.GetValue(port);
            TlsSettings? tlsSettings = tls.Settings(result);
            if (unixPath is null && portText is null) throw new UserError("[Usage]: " + Usage);
            if (unixPath is not null && portText is not null) throw new UserError("give either PORT or --unix PATH, not both");
            if (unixPath is not null && result.GetValue(bind) is not null) throw new UserError("--bind is for IP addresses; a Unix socket is bound at its --unix PATH");

            EndpointSpec spec = unixPath is not null
                ? EndpointSpec.Unix(unixPath)
                : EndpointSpec.Ip(result.GetValue(bind) is { } address ? ValueParsers.Address(address) : null,
                    ValueParsers.Port(portText!, "Server", allowZero: true), family: endpoint.Family(result));
            var options = new GrumpyServerOptions
            {
                Endpoint = spec,
                Reply = result.GetValue(message)!,
                Backlog = result.GetValue(backlog),
                MaxMessageBytes = ValueParsers.Size(result.GetValue(maxMessage)!, "--max-message"),
                MessageTimeout = ValueParsers.Duration(result.GetValue(timeout)!, "--timeout"),
                IdleTimeout = result.GetValue(idleTimeout) is { } idle ? ValueParsers.Duration(idle, "--idle-timeout") : null,
                MaxDatagramsInFlight = result.GetValue(maxInFlight),
                ShutdownGrace = ValueParsers.Duration(result.GetValue(grace)!, "--grace"),
                UnixMode = result.GetValue(mode) is { } m ? ValueParsers.Mode(m) : null,
                Log = LineWriter.Stdout.WriteLine,
                Trace = TraceOption.From(result, trace),
                MaxConnections = result.GetResult(maxConns) is { Implicit: false } ? result.GetValue(maxConns) : null,
            };
            AccessPolicyBuilder? lists = access.Plan(result, unixPath is null ? null : AccessPolicy.UnixRefusal);
            bool datagrams = result.GetValue(udp), echoes = result.GetValue(echo), chats = result.GetValue(chat);
            if (chats && (datagrams || echoes)) throw new UserError($"--chat is a stream service; it cannot be combined with {(datagrams ? "--udp" : "--echo")}");
            if (datagrams && echoes) throw new UserError("--echo is a stream service; it cannot be combined with --udp");
            if (!datagrams && result.GetResult(maxInFlight) is { Implicit: false })
                throw new UserError("--max-in-flight is for --udp; a stream server holds as many clients as descriptors allow");
            if (datagrams && options.IdleTimeout is not null)
                throw new UserError("--idle-timeout is for stream clients; a datagram has no silence to time");
            if (datagrams && tlsSettings is not null)
                throw new UserError("--tls is for streams (TCP or Unix); DTLS over UDP is not supported");
            // Files loaded (or the throwaway certificate made and its pin printed on stderr) before anything listens.
            if (tlsSettings is not null) options = options with { Tls = tlsSettings.Server(RelayLog.Error) };
            if (datagrams && options.MaxConnections is not null)
                throw new UserError("--max-conns counts stream clients; over datagrams --max-in-flight bounds the work at once");
            return async _ =>
            {
                options = options with { Access = await AccessOptions.BuildAsync(lists, CancellationToken.None) };
                // Inline completions only where measured to win: the grumpy stream server (docs/benchmarks.md).
                ServerRuntime.Prepare(inlineCompletions: !datagrams && !echoes && !chats);
                if (datagrams) return await ServeDatagrams.RunAsync(options);

                using var termination = new TerminationSignal();
                if (echoes) return await EchoServe.RunAsync(options, termination.Token);
                if (chats) return await ChatServe.RunAsync(options, termination.Token);
                GrumpyServer server;
                try
                {
                    server = GrumpyServer.Start(options);
                }
                catch (Exception e) when (SocketErrorText.ToUserError(e, "Server", "bind", unixPath) is { } userError)
                {
                    throw userError;
                }
                await using (server)
                {
                    await server.RunAsync(termination.Token);
                }
                return ExitCodes.Success;
            };
        });
        return command;
    }
}
