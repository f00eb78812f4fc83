using Sockit.Addresses;
using Sockit.Cli.Commands;
using Sockit.Cli.Tls;
using Sockit.Relay;
using Sockit.Security;

namespace Sockit.Cli.Relay;

/// <summary>
/// <c>sockit relay ADDR1 ADDR2</c> (and <c>relay -l PORT HOST PORT</c>, which is <c>tcp-listen:PORT,fork tcp:HOST:PORT</c>):
/// the library's <see cref="AddressRelay"/>, its lines on stderr, stdio over file descriptors 0 and 1 themselves.
/// </summary>
internal static class AddressRelayRun
{
    public static async Task<int> RunAsync(RelaySettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        var options = new AddressRelayOptions
        {
            Relay = new RelayOptions { BufferSize = s.BufferSize, IdleTimeout = s.IdleTimeout },
            ConnectTimeout = s.ConnectTimeout,
            MaxConnections = s.MaxConnections,
            Backlog = 4096,
            ShutdownGrace = TimeSpan.FromSeconds(2),
            OpenStdio = () => StandardStreams.Open(crlf: false),
            Log = log.Verbose ? log.Info : null,
            Errors = RelayLog.Error,
            Notices = RelayLog.Error,
            Trace = s.Trace,
            Access = s.Access,
        };
        AddressRelay relay;
        try
        {
            relay = AddressRelay.Start(s.First, s.Second, options);
        }
        catch (AddressException e) when (e.InnerException is TlsException)
        {
            throw new UserError($"[TLS error]: {e.Message}");
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Server", "bind", UnixPath(s.First)) is { } userError)
        {
            throw userError;
        }
        await using (relay)
        {
            RelayResult? result;
            try
            {
                result = await relay.RunAsync(cancel);
            }
            catch (TlsException e)
            {
                throw TlsHandshakes.Refused(e);
            }
            catch (Exception e) when (SocketErrorText.ToUserError(e, "Relay", "connect", UnixPath(s.Second) ?? UnixPath(s.First)) is { } userError)
            {
                throw userError;
            }
            return result is null ? ExitCodes.Success : StreamCat.Outcome(result, "Relay");
        }
    }

    private static string? UnixPath(AddressSpec address) => address.Kind is AddressKind.Unix or AddressKind.UnixListen ? address.Path : null;
}
