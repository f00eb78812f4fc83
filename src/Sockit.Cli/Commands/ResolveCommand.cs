using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Sockit.Cli.Output;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Transports;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit resolve NAME|ADDRESS</c>: getaddrinfo for a name, getnameinfo for an address.</summary>
internal static class ResolveCommand
{
    public const string Usage = "sockit resolve NAME|ADDRESS";

    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "A host name to look up, or an IP address to find the name of" };
        var v4 = new Option<bool>("-4") { Description = "IPv4 addresses only" };
        var v6 = new Option<bool>("-6") { Description = "IPv6 addresses only" };
        var trace = TraceOption.Create();
        var command = new Command("resolve", "List every address of a name (both families), or the name of an address")
        {
            name, v4, v6, trace,
        };
        command.SetPlan(result =>
        {
            string query = result.GetValue(name)!;
            bool only4 = result.GetValue(v4), only6 = result.GetValue(v6);
            if (only4 && only6) throw new UserError("-4 and -6 cannot be used together");
            IpFamily family = only4 ? IpFamily.IPv4 : only6 ? IpFamily.IPv6 : IpFamily.Any;
            SocketTrace? socketTrace = TraceOption.From(result, trace);
            if (query.Length == 0) throw new UserError("[Resolve error]: give a host name or an address");
            string bare = ValueParsers.Host(query, "Resolve");
            return cancel =>
            {
                var calls = SocketCalls.For(socketTrace);
                return IPAddress.TryParse(bare, out IPAddress? address)
                    ? ReverseAsync(address, family, calls, cancel)
                    : ForwardAsync(query, family, calls, cancel);
            };
        });
        return command;
    }

    private static async Task<int> ForwardAsync(string query, IpFamily family, SocketCalls calls, CancellationToken cancel)
    {
        ForwardAnswer answer;
        try
        {
            answer = await NameLookup.ForwardAsync(query, family, calls, cancel);
        }
        catch (SocketException e)
        {
            string what = family switch { IpFamily.IPv4 => " (IPv4)", IpFamily.IPv6 => " (IPv6)", _ => "" };
            throw new UserError($"[Resolve error]: {query}{what}: {SocketNames.Describe(e.SocketErrorCode)}");
        }
        catch (ArgumentException e)
        {
            throw new UserError($"[Resolve error]: {query}: {e.Message}");
        }
        foreach (string line in NameLookup.Describe(answer)) LineWriter.Stdout.WriteLine(line);
        return ExitCodes.Success;
    }

    private static async Task<int> ReverseAsync(IPAddress address, IpFamily family, SocketCalls calls, CancellationToken cancel)
    {
        bool isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if ((family == IpFamily.IPv4 && isV6) || (family == IpFamily.IPv6 && !isV6))
            throw new UserError($"[Resolve error]: {address} is not an {(family == IpFamily.IPv4 ? "IPv4" : "IPv6")} address");
        try
        {
            string name = await NameLookup.ReverseAsync(address, calls, cancel);
            LineWriter.Stdout.WriteLine(NameLookup.DescribeReverse(address, name));
            return ExitCodes.Success;
        }
        catch (SocketException e)
        {
            throw new UserError($"[Resolve error]: {address} has no name ({SocketNames.Describe(e.SocketErrorCode)})");
        }
    }
}
