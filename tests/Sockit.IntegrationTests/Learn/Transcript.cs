using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Learn;

/// <summary>
/// A terminal session for docs/learn: each process run (command, what it read, stdout, stderr, exit status),
/// with what changes from run to run made stable so the text can be committed and compared: the listening
/// port reads PORT, other ports CLIENT1, CLIENT2... in order of appearance, file descriptors are renumbered
/// from 3 in each process in the order they appear (as a small C program would get them), temp paths read
/// /tmp/learn, and ping times read T.
/// </summary>
public sealed partial class Transcript
{
    private readonly List<(string Command, string? Input, RunningProcess Process, int Exit)> _runs = [];
    private readonly List<(string From, string To)> _paths = [];
    private int _port = -1;

    /// <summary>The port a server listens on (from port 0); it reads PORT everywhere.</summary>
    public void ListeningPort(int port) => _port = port;

    /// <summary>A varying path (a temp dir) shown as a fixed one.</summary>
    public void ShowPathAs(string path, string shown) => _paths.Add((path, shown));

    /// <summary>Adds a finished process: the command as typed, the lines fed to its stdin (if any), its exit status.</summary>
    public void Add(string command, RunningProcess process, int exit, string? input = null) => _runs.Add((command, input, process, exit));

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (command, input, process, exit) in _runs)
        {
            text.Append("$ ").Append(command).Append('\n');
            if (input is not null) text.Append("[typed]\n").Append(input.TrimEnd('\n')).Append('\n');
            if (process.StdoutLines.Count > 0) text.Append("[stdout]\n").AppendJoin('\n', process.StdoutLines).Append('\n');
            string stderr = process.Stderr.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n');
            if (stderr.Length > 0) text.Append("[stderr]\n").Append(Calls(stderr)).Append('\n');
            text.Append(CultureInfo.InvariantCulture, $"[exit status {exit}]\n\n");
        }
        return Ports(Paths(text.ToString().TrimEnd('\n') + "\n"));
    }

    private string Paths(string text)
    {
        foreach (var (from, to) in _paths) text = text.Replace(from, to, StringComparison.Ordinal);
        return text;
    }

    private string Ports(string text)
    {
        if (_port > 0) text = ListeningPortToken(_port).Replace(text, "PORT");
        var clients = new Dictionary<string, string>();
        text = AddressPort().Replace(text, m => m.Groups[1].Value == "0"
            ? m.Value
            : ":" + (clients.TryGetValue(m.Groups[1].Value, out string? name) ? name : clients[m.Groups[1].Value] = "CLIENT" + (clients.Count + 1)));
        text = PingTime().Replace(text, "time=T ms");
        return RoundTrips().Replace(text, "rtt min/avg/max = T/T/T ms");
    }

    /// <summary>One process's trace lines with its descriptors renumbered from 3, and ping's send put first.</summary>
    private static string Calls(string stderr)
    {
        var fds = new Dictionary<string, string>();
        string Fd(string real) => fds.TryGetValue(real, out string? shown) ? shown : fds[real] = (fds.Count + 3).ToString(CultureInfo.InvariantCulture);

        var lines = stderr.Split('\n').ToList();
        for (int i = 0; i < lines.Count; i++)
        {
            string line = FirstArgument().Replace(lines[i], m => m.Groups[1].Value + "(" + Fd(m.Groups[2].Value) + m.Groups[3].Value);
            line = NewDescriptor().Replace(line, m => m.Groups[1].Value + Fd(m.Groups[2].Value));
            if (line.StartsWith("select(", StringComparison.Ordinal))
                line = DescriptorList().Replace(line, m => "[" + string.Join(", ", m.Groups[1].Value.Split(", ").Select(Fd)) + "]");
            lines[i] = line;
        }

        // A trace line is printed when its call returns. A raw ICMP socket sees our own echo request come back
        // in on loopback, and the receive already waiting can return it, and even the reply, before the
        // sendto() line is printed. The send happened first, so it is shown before the receives it caused
        // (with one ping, that is every successful receive before it).
        for (int i = 1; i < lines.Count; i++)
            for (int j = i; j > 0 && lines[j].StartsWith("sendto(", StringComparison.Ordinal) && IsIcmpReceive(lines[j - 1]); j--)
                (lines[j - 1], lines[j]) = (lines[j], lines[j - 1]);
        return string.Join('\n', lines);
    }

    private static bool IsIcmpReceive(string line)
        => line.StartsWith("recvfrom(", StringComparison.Ordinal) && line.EndsWith(":0)", StringComparison.Ordinal);

    private static Regex ListeningPortToken(int port) => new($@"(?<![\w.]){port}(?!\w)");

    // "call(fd," or "call(fd)": the first argument of a trace line is a descriptor when it is a bare number.
    [GeneratedRegex(@"^(\w+)\((\d+)([,)])")]
    private static partial Regex FirstArgument();

    // socket(...) = fd and accept(fd) = fd: the call's result is a new descriptor.
    [GeneratedRegex(@"^((?:socket|accept)\(.*?\) = )(\d+)")]
    private static partial Regex NewDescriptor();

    [GeneratedRegex(@"\[(\d+(?:, \d+)*)\]")]
    private static partial Regex DescriptorList();

    // A port after an IPv4 address or a bracketed IPv6 one: 127.0.0.1:54321, [::1]:54321.
    [GeneratedRegex(@"(?<=\d|\]):(\d{1,5})\b")]
    private static partial Regex AddressPort();

    [GeneratedRegex(@"time=\d+\.\d+ ms")]
    private static partial Regex PingTime();

    [GeneratedRegex(@"rtt min/avg/max = [\d./]+ ms")]
    private static partial Regex RoundTrips();
}
