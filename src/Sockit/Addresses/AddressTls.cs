using System.Runtime.CompilerServices;
using Sockit.Relay;
using Sockit.Security;

namespace Sockit.Addresses;

/// <summary>
/// The TLS of <c>tls:</c> and <c>tls-listen:</c> addresses, from their options: files loaded once per address
/// (not per connection), the throwaway certificate of a <c>tls-listen</c> without <c>cert=</c>, and the handshakes.
/// </summary>
internal static class AddressTls
{
    public const string InsecureWarning = "[TLS warning]: verify=0: the server's certificate is not verified; anyone in between can read and change this session";

    private static readonly ConditionalWeakTable<AddressSpec, TlsClientOptions> Clients = new();

    /// <summary>The client side of a <c>tls:</c> address (verified against the system store and HOST unless its options say otherwise).</summary>
    /// <exception cref="TlsException">A file could not be loaded.</exception>
    public static TlsClientOptions Client(AddressSpec address) => Clients.GetValue(address, static a =>
    {
        AddressOptions o = a.Options;
        return new TlsClientOptions
        {
            ServerName = o.ServerName,
            TrustedRoots = o.CaFile is null ? null : TlsCertificates.LoadTrustFile(o.CaFile),
            Pin = o.Pin,
            Insecure = !o.Verify,
            ClientCertificate = o.Certificate is null ? null : TlsCertificates.Load(o.Certificate, o.Key),
            ApplicationProtocols = Names(o.Alpn) ?? [],
            CipherSuites = TlsLayer.CheckCipherSuites(Names(o.Ciphers)),
        };
    });

    private static string[]? Names(string? list) => list?.Split(':');

    /// <summary>
    /// The server side of a <c>tls-listen:</c> address: <c>cert=</c>/<c>key=</c>, or a throwaway self-signed
    /// certificate whose pin goes to <paramref name="notice"/>; with <c>cafile=</c>, clients must present a certificate it signed.
    /// </summary>
    /// <exception cref="TlsException">A file could not be loaded.</exception>
    public static TlsServerOptions Server(AddressSpec address, Action<string>? notice)
    {
        AddressOptions o = address.Options;
        var options = new TlsServerOptions
        {
            Certificate = o.Certificate is null ? TlsCertificates.CreateEphemeral() : TlsCertificates.Load(o.Certificate, o.Key),
            RequireClientCertificate = o.CaFile is not null,
            ClientRoots = o.CaFile is null ? null : TlsCertificates.LoadTrustFile(o.CaFile),
            ApplicationProtocols = Names(o.Alpn) ?? [],
            CipherSuites = TlsLayer.CheckCipherSuites(Names(o.Ciphers)),
        };
        if (o.Certificate is null)
            notice?.Invoke($"TLS: throwaway self-signed certificate {options.Certificate.Pin} (clients: pin={options.Certificate.Pin})");
        return options;
    }

    /// <summary>
    /// Before anything is opened: loads <paramref name="address"/>'s TLS files (so a bad one fails the start, not a
    /// connection), warns of <c>verify=0</c>, and returns the server options of a <c>tls-listen</c>.
    /// </summary>
    /// <exception cref="AddressException">A file could not be loaded.</exception>
    public static TlsServerOptions? Prepare(AddressSpec address, AddressRelayOptions options)
    {
        try
        {
            if (address.Kind == AddressKind.TlsListen) return Server(address, options.Notices);
            if (address.Kind != AddressKind.Tls) return null;
            if (!address.Options.Verify) options.Notices?.Invoke(InsecureWarning);
            Client(address);
            return null;
        }
        catch (TlsException e)
        {
            throw new AddressException($"{e.Message} (address '{address}')", e);
        }
    }

    /// <summary>The client handshake of a <c>tls:</c> address over <paramref name="plain"/> (disposed on failure).</summary>
    /// <exception cref="TlsException">The handshake failed or the certificate was refused.</exception>
    public static async Task<DuplexEnd> ConnectAsync(DuplexEnd plain, AddressSpec address, CancellationToken cancel)
    {
        TlsClientOptions options;
        try
        {
            options = Client(address);
        }
        catch
        {
            await plain.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        try
        {
            return await TlsLayer.ConnectAsync(plain, address.Host!, options, cancel).ConfigureAwait(false);
        }
        catch (TlsException e)
        {
            throw new TlsException(InAddressTerms(e.Message), e);
        }
    }

    // The verifier's hints name the command line's flags; an address says the same with its options.
    private static readonly (string Flag, string Option)[] Hints =
    [
        ("a CA in --ssl-trustfile", "a CA in the address's cafile="), ("--ssl-trustfile", "cafile="), ("--pin sha256:", "pin=sha256:"), ("--insecure", "verify=0"), ("--ssl-servername NAME", "servername=NAME"),
    ];

    /// <summary>An error sink that reads its lines' TLS hints in address terms (a forking listener's handshake failures).</summary>
    public static Action<string>? InAddressTerms(Action<string>? errors)
        => errors is null ? null : line => errors(InAddressTerms(line));

    private static string InAddressTerms(string message)
    {
        foreach ((string flag, string option) in Hints) message = message.Replace(flag, option, StringComparison.Ordinal);
        return message;
    }

    /// <summary>
    /// Wraps the one-client <paramref name="serve"/> of a listener with its server handshake when <paramref name="tls"/> is set.
    /// </summary>
    public static Func<DuplexEnd, CancellationToken, Task<T>> Accepting<T>(TlsServerOptions? tls, Func<DuplexEnd, CancellationToken, Task<T>> serve)
        => tls is null ? serve : async (plain, cancel) =>
        {
            TlsEnd secured;
            try
            {
                secured = await TlsLayer.AcceptAsync(plain, tls, cancel).ConfigureAwait(false);
            }
            catch (TlsException e)
            {
                throw new TlsException(InAddressTerms(e.Message), e);
            }
            await using (secured.ConfigureAwait(false))
            {
                return await serve(secured, cancel).ConfigureAwait(false);
            }
        };
}
