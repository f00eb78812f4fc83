using Sockit.Relay;
using Sockit.Security;

namespace Sockit.Cli.Tls;

/// <summary>The CLI's side of a handshake: the one-line errors, the --insecure warning and the -v line.</summary>
internal static class TlsHandshakes
{
    public const string InsecureWarning = "[TLS warning]: --insecure: the server's certificate is not verified; anyone in between can read and change this session";

    /// <summary>Client handshake over <paramref name="end"/>; a failure is a <see cref="UserError"/> (one line, exit 1).</summary>
    public static async Task<TlsEnd> ClientAsync(DuplexEnd end, string host, TlsClientOptions options, Action<string> error, Action<string> verbose, CancellationToken cancel)
    {
        if (options.Insecure) error(InsecureWarning);
        try
        {
            TlsEnd tls = await TlsLayer.ConnectAsync(end, host, options, cancel);
            verbose($"TLS: {tls.Describe()}");
            return tls;
        }
        catch (TlsException e)
        {
            throw Refused(e);
        }
    }

    /// <summary>A client's failed handshake as the user sees it: one line, exit 1.</summary>
    public static UserError Refused(TlsException e) => new($"[TLS error]: {e.Message}");

    /// <summary>Server handshake; a failure is one line through <paramref name="error"/> and <c>null</c>: the server goes on.</summary>
    public static async Task<TlsEnd?> ServerAsync(DuplexEnd end, TlsServerOptions options, Action<string> error, Action<string> verbose, CancellationToken cancel)
    {
        string peer = end.Name;
        try
        {
            TlsEnd tls = await TlsLayer.AcceptAsync(end, options, cancel);
            verbose($"TLS from {peer}: {tls.Describe()}");
            return tls;
        }
        catch (TlsException e)
        {
            error($"[TLS error]: {e.Message}");
            return null;
        }
    }
}
