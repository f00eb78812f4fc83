using CsCheck;

namespace Sockit.Tests.CommandLines;

/// <summary>
/// Command lines for every sockit command that are wrong by construction: each is a command's skeleton with
/// at least one bad piece (a port out of range or with a leading zero, a malformed host, two flags that
/// cannot go together, a long Unix path), plus neutral extras, and sometimes an unknown option or an
/// option missing its value. No piece can repair another, so no generated line is valid.
/// </summary>
internal static class BadCommandLines
{
    private static readonly string[] BadPorts = ["-1", "65536", "0100", "00", "", "x", "99999999999999999999", "+80", " 80", "0x50", "1e3", "80x", "٣"];
    private static readonly string[] BadClientPorts = [.. BadPorts, "0"];
    private static readonly string[] BadHosts = ["1.2.3.4.5", "::1::1", "[::1", "127.0.0.1:", "::1]", "[::1]:80", "[127.0.0.1]", "999.1.1.1", "a b", "a..b", "", "host/name", "example.123"];
    private static readonly string[] BadListenHosts = [.. BadHosts, "localhost", "example.org"];
    private static readonly string[] BadPortLists = ["0", "1-", "5-3", "80,", "", "0100", "70000", "x", "1-0100"];
    private static readonly string[] BadDurations = ["0", "-5", "NaN", "1e400", "x", "", "99999999999"];
    private static readonly string[] GoodHosts = ["127.0.0.1", "::1", "[::1]", "localhost"];
    private static readonly string[] GoodPorts = ["1", "80", "65535"];
    private static readonly string[] UnknownOptions = ["--baffle", "--no-such-flag", "-Q", "-Y", "--sslx", "--proxyx", "--frobnicate=1"];
    private static readonly string LongUnixPath = "/tmp/" + new string('a', 120);

    /// <summary>Options that need a value, one per command: appended last, they are missing it.</summary>
    private static readonly Dictionary<string, string> ValueOptions = new()
    {
        ["serve"] = "--timeout", ["connect"] = "-m", ["scan"] = "-w", ["ping"] = "-i", ["cat"] = "-w", ["nc"] = "-w", ["relay"] = "-w",
    };

    /// <summary>Options that change nothing about whether a line is valid, and that no template uses.</summary>
    private static readonly Dictionary<string, string[][]> Extras = new()
    {
        ["serve"] = [["--trace"], ["-m", "hi"]],
        ["connect"] = [["--trace"], ["-m", "hi"]],
        ["scan"] = [["--trace"], ["-a"]],
        ["ping"] = [["--trace"], ["-W", "1s"]],
        ["resolve"] = [["--trace"]],
        ["addr"] = [],
        ["cat"] = [["-v"], ["-C"], ["--no-progress"]],
        ["nc"] = [["-v"], ["-C"], ["--no-progress"], ["-N"]],
        ["relay"] = [["-v"], ["--trace"]],
    };

    /// <summary>Every line: a bad skeleton, up to two extras, then maybe an unknown option inside or a value-less option at the end.</summary>
    public static Gen<string[]> Lines { get; } =
        Gen.Select(Skeletons(), Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 99], Gen.OneOf(UnknownOptions), Gen.Int[0, 3], Compose);

    private static string[] Compose(string[][] units, int extra1, int extra2, int where, string unknown, int mode)
    {
        var list = new List<string[]>(units);
        string command = units[0][0];
        string[][] extras = Extras[command];
        for (int i = 0; i < extras.Length && i < 2; i++)
        {
            int pick = i == 0 ? extra1 : extra2;
            if (pick % 3 != 0) list.Insert(1 + (where + i) % list.Count, extras[(pick + i) % extras.Length]);
        }
        if (mode == 1) list.Insert(1 + where % list.Count, [unknown]);
        if (mode == 2 && ValueOptions.TryGetValue(command, out string? needsValue)) list.Add([needsValue]);
        return [.. list.SelectMany(unit => unit)];
    }

    private static Gen<string[][]> Skeletons()
    {
        Gen<string> badPort = Gen.OneOf(BadPorts), badClientPort = Gen.OneOf(BadClientPorts), badHost = Gen.OneOf(BadHosts);
        Gen<string> badListen = Gen.OneOf(BadListenHosts), badDuration = Gen.OneOf(BadDurations), badList = Gen.OneOf(BadPortLists);
        Gen<string> host = Gen.OneOf(GoodHosts), port = Gen.OneOf(GoodPorts);
        return Gen.OneOf(
            // serve
            badPort.Select(p => U(["serve"], [p])),
            badListen.Select(h => U(["serve"], ["0"], ["--bind", h])),
            badDuration.Select(d => U(["serve"], ["0"], ["--timeout", d])),
            Gen.Const(U(["serve"], ["0"], ["-4"], ["-6"])),
            Gen.Const(U(["serve"], ["0"], ["--udp"], ["--echo"])),
            Gen.Const(U(["serve"], ["0"], ["--unix", "/tmp/x.sock"])),
            Gen.Const(U(["serve"], ["--unix", LongUnixPath])),
            Gen.Const(U(["serve"], ["0"], ["--backlog", "-1"])),
            // connect
            Gen.Select(badHost, port, (h, p) => U(["connect"], [h], [p])),
            Gen.Select(host, badClientPort, (h, p) => U(["connect"], [h], [p])),
            Gen.Select(host, port, badDuration, (h, p, d) => U(["connect"], [h], [p], ["-w", d])),
            Gen.Select(host, port, (h, p) => U(["connect"], [h], [p], ["-4"], ["-6"])),
            host.Select(h => U(["connect"], [h])),
            Gen.Const(U(["connect"], ["--unix", LongUnixPath])),
            // scan
            Gen.Select(badHost, port, (h, p) => U(["scan"], [h], [p])),
            Gen.Select(host, badList, (h, l) => U(["scan"], [h], [l])),
            Gen.Select(host, badDuration, (h, d) => U(["scan"], [h], ["80"], ["-w", d])),
            host.Select(h => U(["scan"], [h], ["80"], ["-c", "0"])),
            // ping
            badHost.Select(h => U(["ping"], [h])),
            host.Select(h => U(["ping"], [h], ["-c", "-1"])),
            host.Select(h => U(["ping"], [h], ["-s", "70000"])),
            Gen.Select(host, badDuration, (h, d) => U(["ping"], [h], ["-i", d])),
            Gen.Const(U(["ping"], ["127.0.0.1"], ["-4"], ["-6"])),
            // resolve
            badHost.Select(h => U(["resolve"], [h])),
            Gen.Const(U(["resolve"], ["-4"], ["-6"], ["localhost"])),
            // addr
            Gen.Select(badListen, port, (h, p) => U(["addr"], [h], [p])),
            badPort.Select(p => U(["addr"], ["1.2.3.4"], [p])),
            // cat and nc
            Gen.Select(Gen.OneOf("cat", "nc"), badHost, port, (c, h, p) => U([c], [h], [p])),
            Gen.Select(Gen.OneOf("cat", "nc"), host, badClientPort, (c, h, p) => U([c], [h], [p])),
            Gen.Select(Gen.OneOf("cat", "nc"), badPort.Where(p => p.Length > 0 && (char.IsAsciiDigit(p[0]) || p[0] is '-' or '+')), (c, p) => U([c], ["-l"], [p])),
            Gen.Select(Gen.OneOf("cat", "nc"), badPort, (c, p) => U([c], ["-l"], ["-p", p])),
            Gen.Select(Gen.OneOf("cat", "nc"), badListen, (c, h) => U([c], ["-l"], [h], ["0"])),
            Gen.Select(Gen.OneOf("cat", "nc"), badListen, (c, h) => U([c], ["-l"], ["-s", h], ["-p", "0"])),
            Gen.Select(Gen.OneOf("cat", "nc"), badListen, host, port, (c, s, h, p) => U([c], ["-s", s], [h], [p])),
            Gen.Select(Gen.OneOf("cat", "nc"), host, port, (c, h, p) => U([c], ["-k"], [h], [p])),
            Gen.Select(Gen.OneOf("cat", "nc"), host, port, (c, h, p) => U([c], ["--send-only"], ["--recv-only"], [h], [p])),
            Gen.Select(Gen.OneOf("cat", "nc"), host, port, (c, h, p) => U([c], ["-4"], ["-6"], [h], [p])),
            Gen.Select(Gen.OneOf("cat", "nc"), host, port, (c, h, p) => U([c], [h], [p], ["extra"])),
            Gen.Select(Gen.OneOf("cat", "nc"), badDuration, (c, d) => U([c], ["-w", d], ["127.0.0.1"], ["80"])),
            Gen.OneOf("cat", "nc").Select(c => U([c], ["-l"], ["-u"], ["-k"], ["0"])),
            Gen.Const(U(["cat"], ["-l"])),
            Gen.Const(U(["cat"], ["--unix", LongUnixPath])),
            Gen.Const(U(["nc"], ["-U"])),
            Gen.Const(U(["nc"], ["-U"], ["-l"], ["-s", "/tmp/c.sock"], ["/tmp/s.sock"])),
            Gen.Const(U(["nc"], ["-z"], ["-l"], ["80"])),
            Gen.Select(host, badList, (h, l) => U(["nc"], ["-z"], [h], [l])),
            Gen.Const(U(["nc"], ["-lQ"], ["0"])),
            // relay
            Gen.Select(badPort, host, port, (l, h, p) => U(["relay"], ["-l", l], [h], [p])),
            Gen.Select(badListen, host, port, (l, h, p) => U(["relay"], ["-l", l + ":0"], [h], [p])),
            Gen.Select(badHost, port, (h, p) => U(["relay"], ["-l", "0"], [h], [p])),
            Gen.Select(host, badClientPort, (h, p) => U(["relay"], ["-l", "0"], [h], [p])),
            host.Select(h => U(["relay"], ["-l", "0"], [h])),
            Gen.Select(host, port, (h, p) => U(["relay"], [h], [p])),
            Gen.Select(host, port, (h, p) => U(["relay"], ["-l", "0"], [h], [p], ["-m", "0"])));
    }

    private static string[][] U(params string[][] units) => units;
}
