using System.CommandLine;
using System.Net.Sockets;
using Sockit.Cli.Output;
using Sockit.Diagnostics;
using Sockit.Protocols.Ping;
using Sockit.Transports;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit ping HOST</c>: ICMP echo over a raw socket (or Linux's unprivileged ping socket).</summary>
internal static class PingCommand
{
    public const string Usage = "sockit ping HOST";

    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = "Host name or IP address to ping" };
        var count = ValueParsers.WholeNumber("--count", "-c", defaultValue: 4, min: 0, max: int.MaxValue);
        count.Description = "Echo requests to send (0: until Ctrl-C)";
        count.HelpName = "COUNT";
        var interval = new Option<string>("--interval", "-i") { Description = "Time between requests", DefaultValueFactory = _ => "1s", HelpName = "DURATION" };
        var timeout = new Option<string>("--timeout", "-W") { Description = "How long to wait for each reply", DefaultValueFactory = _ => "2s", HelpName = "DURATION" };
        var size = ValueParsers.WholeNumber("--size", "-s", defaultValue: 56, min: 0, max: 65000);
        size.Description = "Data bytes per request (56 makes 64-byte ICMP messages)";
        size.HelpName = "BYTES";
        var trace = TraceOption.Create();
        var endpoint = new EndpointOptions();

        var command = new Command("ping", "Send ICMP echo requests and time the replies, as ping does")
        {
            host, count, interval, timeout, size, trace, endpoint.IPv4, endpoint.IPv6,
        };
        command.SetPlan(result =>
        {
            int payload = result.GetValue(size);
            var options = new PingOptions
            {
                Host = ValueParsers.Host(result.GetValue(host)!, "Ping"),
                Family = endpoint.Family(result),
                Count = result.GetValue(count),
                Interval = ValueParsers.Duration(result.GetValue(interval)!, "--interval"),
                Timeout = ValueParsers.Duration(result.GetValue(timeout)!, "--timeout"),
                PayloadBytes = payload,
                Log = LineWriter.Stdout.WriteLine,
                Trace = TraceOption.From(result, trace),
            };

            return async _ =>
            {
                using var termination = new TerminationSignal();
                PingStatistics statistics;
                try
                {
                    statistics = await Pinger.RunAsync(options, termination.Token);
                }
                catch (IcmpPermissionException e)
                {
                    throw new UserError($"[Ping socket error]: {e.Message}");
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.HostNotFound || ErrorText.FailedCall(e) == "getaddrinfo")
                {
                    throw new UserError($"[Ping resolve error]: {options.Host}: {SocketNames.Describe(e.SocketErrorCode)}");
                }
                catch (Exception e) when (SocketErrorText.ToUserError(e, "Ping", "sendto") is { } userError)
                {
                    throw userError;
                }
                return statistics.Received > 0 ? ExitCodes.Success : ExitCodes.Failure;
            };
        });
        return command;
    }
}
