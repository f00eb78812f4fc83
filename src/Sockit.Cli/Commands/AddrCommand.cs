using System.CommandLine;
using System.Net;
using Sockit.Cli.Output;
using Sockit.Endpoints;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit addr IP PORT</c>: the sockaddr_in a C program would build, byte by byte.</summary>
internal static class AddrCommand
{
    public const string Usage = "sockit addr IP PORT";

    public static Command Create()
    {
        var ip = new Argument<string>("IP") { Description = "An IPv4 (as inet_aton reads it) or IPv6 address" };
        var port = new Argument<string>("PORT") { Description = "A port, 0 to 65535" };
        var command = new Command("addr", "Show the struct sockaddr_in (or sockaddr_in6) for IP and PORT, field by field and byte by byte")
        {
            ip, port,
        };
        command.SetPlan(result =>
        {
            string given = result.GetValue(ip)!;
            IPAddress address = ParseAddress(given);
            string text = given[0] == '[' ? given[1..^1] : given;
            int portNumber = ValueParsers.Port(result.GetValue(port)!, null, allowZero: true);
            return _ =>
            {
                foreach (string line in SockaddrText.Describe(text, address, portNumber, BitConverter.IsLittleEndian))
                    LineWriter.Stdout.WriteLine(line);
                return Task.FromResult(ExitCodes.Success);
            };
        });
        return command;
    }

    private static IPAddress ParseAddress(string text)
    {
        try
        {
            return HostText.Literal(text);
        }
        catch (FormatException)
        {
            throw new UserError($"[Address error]: '{text}' is not an IPv4 or IPv6 address");
        }
    }
}
