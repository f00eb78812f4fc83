using System.CommandLine;
using Sockit.Cli.Output;
using Sockit.Cli.Relay;
using Sockit.Cli.Tls;
using Sockit.Endpoints;
using Sockit.Protocols.Grumpy;
using Sockit.Security;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit connect SERVER PORT</c>: the seed's client.</summary>
internal static class ConnectCommand
{
    public const string Usage = "sockit connect SERVER PORT";

    public static Command Create()
    {
        var server = new Argument<string?>("SERVER") { Description = "Server address or host name", Arity = ArgumentArity.ZeroOrOne };
        var port = new Argument<string?>("PORT") { Description = "Server port", Arity = ArgumentArity.ZeroOrOne };
        var message = new Option<string>("--message", "-m") { Description = "What to say", DefaultValueFactory = _ => GrumpyClientOptions.DefaultMessage, HelpName = "TEXT" };
        var timeout = new Option<string>("--timeout", "-w") { Description = "Limit for connecting and for the reply", DefaultValueFactory = _ => "30s", HelpName = "DURATION" };
        var trace = TraceOption.Create();
        var udp = ConnectDatagram.CreateOption();
        var endpoint = new EndpointOptions();
        var tls = new TlsOptions("--tls");

        var command = new Command("connect", "Run the seed's client: say hello, print the server's answer")
        {
            server, port, message, timeout, trace, udp,
        };
        endpoint.AddTo(command);
        tls.AddTo(command);

        command.SetPlan(result =>
        {
            string? unixPath = endpoint.UnixPath(result);
            string? host = result.GetValue(server), portText = result.GetValue(port);
            EndpointSpec spec;
            if (unixPath is not null)
            {
                if (host is not null) throw new UserError("give either SERVER PORT or --unix PATH, not both");
                spec = EndpointSpec.Unix(unixPath);
            }
            else
            {
                if (host is null || portText is null) throw new UserError("[Usage]: " + Usage);
                spec = EndpointSpec.Ip(ValueParsers.Host(host, "Client"), ValueParsers.Port(portText, "Client", allowZero: false), family: endpoint.Family(result));
            }
            var options = new GrumpyClientOptions
            {
                Server = spec,
                Message = result.GetValue(message)!,
                Timeout = ValueParsers.Duration(result.GetValue(timeout)!, "--timeout"),
                Log = LineWriter.Stdout.WriteLine,
                Trace = TraceOption.From(result, trace),
            };
            bool datagram = result.GetValue(udp);
            TlsSettings? tlsSettings = tls.Settings(result);
            if (datagram && tlsSettings is not null)
                throw new UserError("--tls is for streams (TCP or Unix); DTLS over UDP is not supported");
            if (tlsSettings is not null) options = options with { Tls = tlsSettings.Client() };
            return async cancel =>
            {
                if (datagram) return await ConnectDatagram.RunAsync(options, cancel);
                if (options.Tls is { Insecure: true }) RelayLog.Error(TlsHandshakes.InsecureWarning);
                try
                {
                    // Run, not RunAsync: a plain TCP or Unix exchange then makes blocking calls with kernel timeouts
                    // and starts no thread, timer or socket event loop, which is most of a one-shot's start-up.
                    GrumpyClient.Run(options);
                }
                catch (TlsException e)
                {
                    throw TlsHandshakes.Refused(e);
                }
                catch (Exception e) when (SocketErrorText.ToUserError(e, "Client", "connect", unixPath) is { } userError)
                {
                    throw userError;
                }
                return ExitCodes.Success;
            };
        });
        return command;
    }
}
