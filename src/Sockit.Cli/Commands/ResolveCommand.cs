using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Sockit.Cli.Output;
using Sockit.Diagnostics;
using Sockit.Endpoints;

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
                return IPAddress.TryParse(bare, out IPAddress? address)
                    ? ReverseAsync(address, family, socketTrace, cancel)
                    : ForwardAsync(query, family, socketTrace, cancel);
            };
        });
        return command;
    }

    private static async Task<int> ForwardAsync(string query, IpFamily family, SocketTrace? trace, CancellationToken cancel)
    {
        ResolvedName answer;
        try
        {
            answer = await NameLookup.ForwardAsync(query, family, trace, cancel);
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
        foreach (string line in Describe(answer)) LineWriter.Stdout.WriteLine(line);
        return ExitCodes.Success;
    }

    private static async Task<int> ReverseAsync(IPAddress address, IpFamily family, SocketTrace? trace, CancellationToken cancel)
    {
        bool isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if ((family == IpFamily.IPv4 && isV6) || (family == IpFamily.IPv6 && !isV6))
            throw new UserError($"[Resolve error]: {address} is not an {(family == IpFamily.IPv4 ? "IPv4" : "IPv6")} address");
        try
        {
            string name = await NameLookup.ReverseAsync(address, trace, cancel);
            LineWriter.Stdout.WriteLine(DescribeReverse(address, name));
            return ExitCodes.Success;
        }
        catch (SocketException e)
        {
            throw new UserError($"[Resolve error]: {address} has no name ({SocketNames.Describe(e.SocketErrorCode)})");
        }
    }

    /// <summary>
    /// The answer as lines in the style of <c>host(1)</c>: an alias line when the canonical name differs, then
    /// <c>NAME has address A</c> / <c>NAME has IPv6 address A</c> per address.
    /// </summary>
    public static IEnumerable<string> Describe(ResolvedName answer)
    {
        string canonical = answer.CanonicalName;
        if (!string.Equals(canonical.TrimEnd('.'), answer.Name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            yield return $"{answer.Name} is an alias for {canonical}";
        foreach (IPAddress address in answer.Addresses)
            yield return address.AddressFamily == AddressFamily.InterNetworkV6
                ? $"{canonical} has IPv6 address {address}"
                : $"{canonical} has address {address}";
    }

    /// <summary>The reverse answer as one line: <c>127.0.0.1 is localhost</c>.</summary>
    public static string DescribeReverse(IPAddress address, string name) => $"{address} is {name}";
}
