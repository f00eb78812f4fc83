using System.CommandLine;
using Sockit.Cli.Output;
using Sockit.Endpoints;
using Sockit.Scan;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit scan HOST PORTS</c>: a TCP connect scan. Prints the open ports (all with <c>--all</c>) in port
/// order, then a summary. Exits 0 whenever the scan ran, open ports or not; 1 on bad input or when the host
/// cannot be resolved.
/// </summary>
internal static class ScanCommand
{
    public const string Usage = "sockit scan HOST PORTS (e.g. 1-1024 or 22,80,8000-8100)";

    private const int MaxConcurrency = 10_000;

    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = "Host name or address to scan" };
        var ports = new Argument<string>("PORTS") { Description = "Ports: 80, 1-1024, or a list such as 22,80,8000-8100" };
        var timeout = new Option<string>("--timeout", "-w") { Description = "Per-connect limit; no answer in time means filtered", DefaultValueFactory = _ => "1s", HelpName = "DURATION" };
        var concurrency = ValueParsers.WholeNumber("--concurrency", "-c", ScanOptions.DefaultConcurrency, min: 1, max: MaxConcurrency);
        concurrency.Description = "Most connects in flight at once";
        concurrency.HelpName = "N";
        var all = new Option<bool>("--all", "-a") { Description = "Also list closed and filtered ports" };
        var trace = TraceOption.Create();
        var endpoint = new EndpointOptions();

        var command = new Command("scan", "TCP connect scan: list the open ports of HOST (exit 0 whenever the scan ran, even with none open)")
        {
            host, ports, timeout, concurrency, all, trace, endpoint.IPv4, endpoint.IPv6,
        };

        command.SetPlan(result =>
        {
            IReadOnlyList<int> portList = ParsePorts(result.GetValue(ports)!);
            int parallel = result.GetValue(concurrency);
            var spec = EndpointSpec.Ip(ValueParsers.Host(result.GetValue(host)!, "Scan"), 0, family: endpoint.Family(result));
            var options = new ScanOptions
            {
                Concurrency = parallel,
                Timeout = ValueParsers.Duration(result.GetValue(timeout)!, "--timeout"),
                Trace = TraceOption.From(result, trace),
            };

            bool showAll = result.GetValue(all);
            return async cancel =>
            {
                ScanReport report;
                try
                {
                    report = await PortScanner.ScanAsync(spec, portList, options, cancel);
                }
                catch (Exception e) when (SocketErrorText.ToUserError(e, "Scan", "connect") is { } userError)
                {
                    throw userError;
                }

                foreach (PortScanResult port in report.Results)
                    if (showAll || port.State == PortState.Open) LineWriter.Stdout.WriteLine(ScanText.Line(port));
                LineWriter.Stdout.WriteLine(ScanText.Summary(report));
                return ExitCodes.Success;
            };
        });
        return command;
    }

    private static IReadOnlyList<int> ParsePorts(string text)
    {
        try
        {
            return PortList.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UserError($"[Scan port error]: {e.Message}");
        }
    }
}
