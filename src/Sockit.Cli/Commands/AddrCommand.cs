using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Sockit.Cli.Output;
using Sockit.Diagnostics;

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
            string text = Unbracket(result.GetValue(ip)!);
            IPAddress address = ParseAddress(text);
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
        if (IPAddress.TryParse(text, out IPAddress? address)
            && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            return address;
        throw new UserError($"[Address error]: '{text}' is not an IPv4 or IPv6 address");
    }

    private static string Unbracket(string text) => text.Length > 2 && text[0] == '[' && text[^1] == ']' ? text[1..^1] : text;
}
