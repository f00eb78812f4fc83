using System.CommandLine;
using Sockit.Cli.Relay;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit cat HOST PORT</c> / <c>sockit cat -l PORT</c>: stdin and stdout relayed over a socket, both ways,
/// until both directions end. <c>sockit nc</c> is the same command under nc's name, with nc/ncat's extra flags.
/// </summary>
internal static class CatCommand
{
    public const string Usage = "sockit cat [options] HOST PORT | sockit cat -l [options] [ADDR] PORT";
    public const string NcUsage = "sockit nc [options] HOST [PORT] | sockit nc -l [-p PORT | [ADDR] [PORT]] | sockit nc -U [-l] PATH | sockit nc -z HOST PORT...";

    public static Command Create(string name = "cat")
    {
        (Command command, Func<ParseResult, CatSettings> settings) = Build(name);
        command.SetPlan(result =>
        {
            CatSettings s = settings(result);
            return async _ =>
            {
                if (s.Verbose && s.PortDefaulted)
                    RelayLog.Error($"No port given: using {CatEndpoints.NcDefaultPort}, ncat's default");
                using var termination = new TerminationSignal();
                s = s with { Access = await AccessOptions.BuildAsync(s.AccessLists, termination.Token) };
                return await Run(s, termination.Token);
            };
        });
        return command;
    }

    /// <summary>What <c>sockit NAME ARGV...</c> would do, without doing it (for tests of the flag mapping).</summary>
    internal static CatSettings Parse(string name, params string[] argv)
    {
        (Command command, Func<ParseResult, CatSettings> settings) = Build(name);
        ParseResult result = command.Parse(argv);
        if (result.Errors.Count > 0) throw new UserError(result.Errors[0].Message);
        return settings(result);
    }

    private static (Command, Func<ParseResult, CatSettings>) Build(string name)
    {
        bool nc = name == "nc";
        var args = new Argument<string[]>("ARGS") { Description = "HOST PORT to connect; [ADDR] PORT with -l" + (nc ? "; HOST PORT... with -z" : ""), Arity = ArgumentArity.ZeroOrMore };
        var o = new CatOptions(nc);
        var command = new Command(name, nc
            ? "nc/ncat-compatible flags over 'sockit cat' (see docs/nc-compat.md)"
            : "Relay stdin/stdout over TCP, UDP or a Unix socket, both ways, until both directions end")
        {
            args,
        };
        o.AddTo(command);
        return (command, result => o.Settings(result, result.GetValue(args) ?? []));
    }

    private static Task<int> Run(CatSettings s, CancellationToken cancel) => (s.Listen, s.Udp, s.KeepOpen) switch
    {
        _ when s.ScanPorts is not null => ZeroIoScan.RunAsync(s, cancel),
        _ when s.ProxyServer is not null => ProxyServe.RunNcAsync(s, cancel),
        _ when s.Exec is not null => ExecCat.RunAsync(s, cancel),
        _ when s.Broker is not null => BrokerCat.RunAsync(s, cancel),
        (false, false, _) => StreamCat.ConnectAsync(s, cancel),
        (false, true, _) => UdpCat.ConnectAsync(s, cancel),
        (true, true, _) => UdpCat.ListenAsync(s, cancel),
        (true, false, true) => KeepOpenCat.RunAsync(s, cancel),
        (true, false, false) => StreamCat.ListenOnceAsync(s, cancel),
    };
}
