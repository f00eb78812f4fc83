using CsCheck;
using Sockit.Addresses;
using Sockit.Endpoints;
using Sockit.Security;

namespace Sockit.Tests;

public sealed class AddressPropertyTests
{
    private static readonly Gen<string> Fragment = Gen.OneOf(
        Gen.OneOf("tcp", "tcp-listen", "udp", "unix", "exec", "sh", "file", "stdio", "-", "TCP-L", "tls", ":", ",", "'", "\"",
            "\\", "[", "]", "=", "fork", "max-conns=", "bind=", "sourceport=", "4", "6", "pf=", "::1", "127.0.0.1", "80", "0", "99999",
            "@", "/tmp/x", " ", "\t", "\0", "\n", "rdonly", "proxy=", "reuseaddr", "openssl",
            "tls-listen", "cert=", "key=", "cafile=", "verify=", "pin=sha256:", "servername=", "alpn=", "ciphers="),
        Gen.String[Gen.Char, 0, 6]);

    [Fact]
    public void RandomTextOnlyEverFailsWithAnAddressException()
        => Fragment.Array[0, 12].Select(string.Concat).Sample(text =>
        {
            try
            {
                AddressParser.Parse(text);
            }
            catch (AddressException e)
            {
                Assert.False(e.Message.Any(char.IsControl), $"control character in: {e.Message}");
            }
        }, iter: 20_000);

    private static readonly Gen<string> Host = Gen.OneOf(
        Gen.OneOf("example.org", "127.0.0.1", "::1", "fe80::1", "a-b.c_d", "10.0.0.255", "2001:db8::7"),
        Gen.String[Gen.Char['a', 'z'], 1, 20]);

    private static readonly Gen<string> AnyText = Gen.String[Gen.Char, 1, 30];

    private static readonly Gen<IpFamily> Family = Gen.Enum<IpFamily>();

    private static readonly Gen<AddressSpec> Valid = Gen.OneOf(
        Gen.Const(new AddressSpec { Kind = AddressKind.Stdio }),
        Gen.Select(Gen.OneOf(AddressKind.Tcp, AddressKind.Udp), Host, Gen.Int[1, 65535], Gen.Int[1, 65535].Nullable(), Family,
            (kind, host, port, source, family) => new AddressSpec
            {
                Kind = kind, Host = host, Port = port, Options = new AddressOptions { SourcePort = source, Family = family },
            }),
        Gen.Select(Gen.OneOf(AddressKind.TcpListen, AddressKind.UdpListen), Gen.OneOf<string?>(null, "127.0.0.1", "::"), Gen.Int[0, 65535],
            Gen.Bool, Gen.Int[1, 1000], Family,
            (kind, bind, port, fork, max, family) => new AddressSpec
            {
                Kind = kind, Host = bind, Port = port, Options = new AddressOptions { Fork = fork, MaxConns = fork ? max : null, Family = family },
            }),
        Gen.Select(Gen.OneOf(AddressKind.Unix, AddressKind.UnixListen, AddressKind.File), AnyText,
            (kind, path) => new AddressSpec { Kind = kind, Path = path }),
        Gen.Select(AnyText, AnyText.Null(), (path, bind) => new AddressSpec { Kind = AddressKind.Unix, Path = path, Options = new AddressOptions { Bind = bind } }),
        Gen.Select(Host, Gen.Int[1, 65535], AnyText.Null(), Gen.Bool, Gen.Byte.Array[32].Null(), Gen.OneOf<string?>(null, "example.org", "a-b.c"),
            (host, port, ca, verify, pin, name) => new AddressSpec
            {
                Kind = AddressKind.Tls, Host = host, Port = port,
                Options = new AddressOptions { CaFile = ca, Verify = verify, Pin = pin is null ? null : CertificatePin.Parse("sha256:" + Convert.ToHexString(pin)), ServerName = name },
            }),
        Gen.Select(Gen.OneOf<string?>(null, "127.0.0.1", "::"), Gen.Int[0, 65535], Gen.Bool, AnyText.Null(), AnyText.Null(),
            (bind, port, fork, cert, key) => new AddressSpec
            {
                Kind = AddressKind.TlsListen, Host = bind, Port = port, Options = new AddressOptions { Fork = fork, Certificate = cert, Key = key },
            }),
        Gen.Select(AnyText.Array[1, 5], argv => new AddressSpec { Kind = AddressKind.Exec, Argv = argv }),
        Gen.Select(AnyText.Where(t => !string.IsNullOrWhiteSpace(t)), command => new AddressSpec { Kind = AddressKind.Shell, Command = command }));

    [Fact]
    public void FormattedAddressesParseBackToTheSameSpec()
        => Valid.Sample(spec => Assert.Equal(spec, AddressParser.Parse(spec.ToString())), iter: 20_000);
}
