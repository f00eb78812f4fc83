using System.Net.Sockets;
using Sockit.Addresses;
using Sockit.Endpoints;

namespace Sockit.Tests;

public sealed class AddressParserTests
{
    private static AddressSpec P(string text) => AddressParser.Parse(text);

    [Theory]
    [InlineData("-")]
    [InlineData("stdio")]
    [InlineData("STDIO")]
    public void StdioHasTwoSpellings(string text) => Assert.Equal(new AddressSpec { Kind = AddressKind.Stdio }, P(text));

    [Theory]
    [InlineData("tcp:example.org:80", AddressKind.Tcp, "example.org", 80)]
    [InlineData("TCP:host:80", AddressKind.Tcp, "host", 80)]
    [InlineData("tcp-connect:127.0.0.1:1", AddressKind.Tcp, "127.0.0.1", 1)]
    [InlineData("tcp:[::1]:443", AddressKind.Tcp, "::1", 443)]
    [InlineData("tcp:'::1':443", AddressKind.Tcp, "::1", 443)]
    [InlineData("udp:10.0.0.1:53", AddressKind.Udp, "10.0.0.1", 53)]
    [InlineData("UDP4:10.0.0.1:53", AddressKind.Udp, "10.0.0.1", 53)]
    [InlineData("tcp-listen:8080", AddressKind.TcpListen, null, 8080)]
    [InlineData("tcp-listen:0", AddressKind.TcpListen, null, 0)]
    [InlineData("TCP-L:8080", AddressKind.TcpListen, null, 8080)]
    [InlineData("tcp-listen:127.0.0.1:8080", AddressKind.TcpListen, "127.0.0.1", 8080)]
    [InlineData("tcp-listen:[::1]:8080", AddressKind.TcpListen, "::1", 8080)]
    [InlineData("udp-listen:53", AddressKind.UdpListen, null, 53)]
    [InlineData("tls:example.org:443", AddressKind.Tls, "example.org", 443)]
    [InlineData("OPENSSL:host:443", AddressKind.Tls, "host", 443)]
    [InlineData("openssl-connect:[::1]:443", AddressKind.Tls, "::1", 443)]
    [InlineData("tls-listen:127.0.0.1:8443", AddressKind.TlsListen, "127.0.0.1", 8443)]
    [InlineData("OPENSSL-LISTEN:8443", AddressKind.TlsListen, null, 8443)]
    [InlineData("UDP-LISTEN:53", AddressKind.UdpListen, null, 53)]
    public void HostsAndPortsParse(string text, AddressKind kind, string? host, int port)
    {
        AddressSpec spec = P(text);
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(host, spec.Host);
        Assert.Equal(port, spec.Port);
    }

    [Theory]
    [InlineData("unix:/tmp/s.sock", AddressKind.Unix, "/tmp/s.sock")]
    [InlineData("unix:@abstract", AddressKind.Unix, "@abstract")]
    [InlineData("UNIX-CONNECT:/p", AddressKind.Unix, "/p")]
    [InlineData("abstract-connect:name", AddressKind.Unix, "@name")]
    [InlineData("unix-listen:/tmp/a:b.sock", AddressKind.UnixListen, "/tmp/a:b.sock")]
    [InlineData("UNIX-LISTEN:/p", AddressKind.UnixListen, "/p")]
    [InlineData("abstract-listen:x", AddressKind.UnixListen, "@x")]
    [InlineData("file:/tmp/out.bin", AddressKind.File, "/tmp/out.bin")]
    [InlineData("open:'/tmp/a, b'", AddressKind.File, "/tmp/a, b")]
    [InlineData(@"file:/tmp/a\,b", AddressKind.File, "/tmp/a,b")]
    public void PathsParse(string text, AddressKind kind, string path)
    {
        AddressSpec spec = P(text);
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(path, spec.Path);
    }

    [Theory]
    [InlineData("exec:/bin/cat", new[] { "/bin/cat" })]
    [InlineData("exec:cmd a b", new[] { "cmd", "a", "b" })]
    [InlineData("EXEC:'cmd a'", new[] { "cmd", "a" })]
    [InlineData("exec:\"cmd a,b:c\"", new[] { "cmd", "a,b:c" })]
    [InlineData(@"exec:'printf %s a\ b'", new[] { "printf", "%s", "a b" })]
    [InlineData("exec:echo $(id) `id`;", new[] { "echo", "$(id)", "`id`;" })]
    [InlineData("exec:test [ -f x,y ]", new[] { "test", "[", "-f", "x,y", "]" })]
    public void ExecSplitsItsArgvWithoutAShell(string text, string[] argv)
    {
        AddressSpec spec = P(text);
        Assert.Equal(AddressKind.Exec, spec.Kind);
        Assert.Equal(argv, spec.Argv);
        Assert.Null(spec.Command);
    }

    [Theory]
    [InlineData("sh:echo $HOME | wc -c", "echo $HOME | wc -c")]
    [InlineData("SYSTEM:cmd", "cmd")]
    [InlineData("sh:'a, b; c'", "a, b; c")]
    [InlineData("sh:echo a:b", "echo a:b")]
    public void ShellKeepsItsCommandWhole(string text, string command)
    {
        AddressSpec spec = P(text);
        Assert.Equal(AddressKind.Shell, spec.Kind);
        Assert.Equal(command, spec.Command);
    }

    [Fact]
    public void OptionsAreTyped()
    {
        AddressOptions o = P("TCP-LISTEN:8080,fork,reuseaddr,max-conns=10,bind=127.0.0.1").Options;
        Assert.True(o.Fork);
        Assert.Equal(10, o.MaxConns);
        Assert.Equal("127.0.0.1", o.Bind);
        Assert.Equal(10, P("tcp-listen:1,fork,max-children=10").Options.MaxConns);
        Assert.Equal(4000, P("tcp:h:80,sourceport=4000").Options.SourcePort);
        Assert.Equal("::1", P("tcp:h:80,bind=[::1]").Options.Bind);
        Assert.Equal("::1", P("udp:h:80,bind=::1").Options.Bind);
        Assert.Equal("/tmp/me.sock", P("unix:/tmp/s,bind=/tmp/me.sock").Options.Bind);
        Assert.Equal(IpFamily.IPv4, P("tcp:h:80,4").Options.Family);
        Assert.Equal(IpFamily.IPv6, P("tcp-listen:80,6").Options.Family);
        Assert.Equal(IpFamily.IPv6, P("tcp:h:80,pf=ip6").Options.Family);
        Assert.Equal(IpFamily.IPv4, P("tcp4:h:80").Options.Family);
        Assert.Equal(IpFamily.IPv6, P("TCP6-LISTEN:80,6").Options.Family);
        Assert.True(P("file:/x,rdonly").Options.ReadOnly);
        Assert.True(P("file:/x,wronly,trunc").Options is { WriteOnly: true, Truncate: true });
        Assert.True(P("udp-listen:53,fork").Options.Fork);
        Assert.True(P("unix-listen:/p,FORK").Options.Fork);
    }

    [Fact]
    public void SocketAddressesGiveTheirEndpoint()
    {
        Assert.Equal(EndpointSpec.Ip("h", 80, SocketType.Stream, IpFamily.IPv6), P("tcp:h:80,6").ToEndpoint());
        Assert.Equal(EndpointSpec.Ip("127.0.0.1", 53, SocketType.Dgram), P("udp-listen:53,bind=127.0.0.1").ToEndpoint());
        Assert.Equal(EndpointSpec.Unix("@x"), P("unix-listen:@x").ToEndpoint());
        Assert.Null(P("exec:/bin/cat").ToEndpoint());
        Assert.True(P("tcp-listen:1").IsListener);
        Assert.False(P("tcp:h:1").IsListener);
    }

    [Theory]
    [InlineData("", "empty address")]
    [InlineData("foo:bar", "unknown address type 'foo' in 'foo:bar'")]
    [InlineData("tcp4-l:80", "unknown address type 'tcp4-l'")]
    [InlineData("tcp:host", "expected tcp:HOST:PORT in address 'tcp:host'")]
    [InlineData("tcp:host:80:1", "expected tcp:HOST:PORT")]
    [InlineData("tcp::80", "missing HOST in address 'tcp::80'")]
    [InlineData("tcp:host:99999", "invalid port '99999'")]
    [InlineData("tcp:host:0", "invalid port '0'")]
    [InlineData("tls:h:443,alpn=:", "alpn= needs one or more names separated by ':'")]
    [InlineData("tcp:host:http", "invalid port 'http'")]
    [InlineData("tcp:ex ample:80", "invalid host 'ex ample'")]
    [InlineData("tcp:999.1.1.1:80", "invalid IPv4 address '999.1.1.1'")]
    [InlineData("tcp:[::g]:80", "invalid IPv6 address '::g'")]
    [InlineData("tcp-listen:localhost:80", "invalid bind address 'localhost'")]
    [InlineData("tcp-listen:", "invalid port ''")]
    [InlineData("stdio:x", "stdio takes no parameters")]
    [InlineData("unix:", "expected unix:PATH")]
    [InlineData("exec:   ", "exec: needs a PROGRAM")]
    [InlineData("sh:  ", "sh: needs a COMMAND")]
    [InlineData("tcp:h:80,bogus", "unknown option 'bogus' in address 'tcp:h:80,bogus'")]
    [InlineData("tcp:h:80,fork", "option 'fork' does not apply to tcp:")]
    [InlineData("exec:/bin/cat,bind=1.2.3.4", "option 'bind' does not apply to exec:")]
    [InlineData("tcp-listen:80,sourceport=1", "option 'sourceport' does not apply to tcp-listen:")]
    [InlineData("file:/x,fork", "option 'fork' does not apply to file:")]
    [InlineData("tcp:h:80,,4", "empty option")]
    [InlineData("tcp:h:80,", "empty option")]
    [InlineData("tcp-listen:80,max-conns=5", "max-conns needs fork")]
    [InlineData("tcp-listen:80,fork,max-conns=0", "invalid max-conns=0")]
    [InlineData("tcp-listen:80,fork,max-conns", "option 'max-conns' needs a value")]
    [InlineData("tcp-listen:80,fork=1", "option 'fork' takes no value")]
    [InlineData("tcp:h:80,bind=example.org", "invalid bind address 'example.org'")]
    [InlineData("tcp4:h:80,6", "both IPv4 and IPv6 asked for")]
    [InlineData("tcp:h:80,pf=ipx", "invalid pf=ipx")]
    [InlineData("tcp-listen:1.2.3.4:80,bind=1.2.3.4", "the listen address is given twice")]
    [InlineData("file:/x,rdonly,wronly", "rdonly cannot go with wronly or trunc")]
    [InlineData("exec:'cat", "unclosed ' in address")]
    [InlineData("exec:\"cat", "unclosed \" in address")]
    [InlineData("tcp:[::1:80", "unclosed [ in address")]
    [InlineData("exec:cat\\", "a backslash ends address")]
    [InlineData("SYSTEM:echo a,b", "unknown option 'b'")] // a comma starts the options, in socat too: quote it
    [InlineData("tls-listen:443,pin=sha256:00", "option 'pin' does not apply to tls-listen:")]
    [InlineData("tls:h:443,pin=md5:00", "a pin is sha256:HEX")]
    [InlineData("tls:h:443,verify=maybe", "invalid verify=maybe: give 0 or 1")]
    [InlineData("tls:h:443,cafile=", "cafile= needs a FILE")]
    [InlineData("tcp:h:443,cert=c.pem", "option 'cert' does not apply to tcp:")]
    [InlineData("udp:h:53,proxy=p:3128", "option 'proxy' does not apply to udp:")]
    [InlineData("tcp:h:80,proxy-type=socks5", "proxy-type and proxy-auth need proxy=HOST[:PORT]")]
    [InlineData("tcp:h:80,proxy=p:3128,proxy-type=gopher", "invalid proxy-type 'gopher': http, socks4 or socks5")]
    [InlineData("tcp:h:80,proxy=::1:1080", "invalid proxy '::1:1080': write an IPv6 proxy as [ADDR]:PORT")]
    [InlineData("tcp:h:80,proxy=p:99999", "invalid port '99999'")]
    [InlineData("tcp:h:80,proxy=p:1080,proxy-auth=:pw", "proxy-auth: the proxy user name is empty")]
    public void EveryErrorIsOneLineNamingTheBadPart(string text, string message)
    {
        var e = Assert.Throws<AddressException>(() => P(text));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("TCP-LISTEN:8080,fork,reuseaddr", "tcp-listen:8080,fork")]
    [InlineData("TCP:host:80", "tcp:host:80")]
    [InlineData("tcp6:[::1]:80", "tcp:[::1]:80,6")]
    [InlineData("-", "stdio")]
    [InlineData("EXEC:'cmd a'", "exec:cmd a")]
    [InlineData("OPENSSL-LISTEN:8443,fork,key=k.pem,cert=c.pem", "tls-listen:8443,fork,cert=c.pem,key=k.pem")]
    [InlineData("OPENSSL:h:443,verify=1,cafile=ca.pem", "tls:h:443,cafile=ca.pem")]
    [InlineData("tls:h:443,verify=0,servername=example.org", "tls:h:443,verify=0,servername=example.org")]
    [InlineData("OPENSSL-LISTEN:8443,fork,alpn=h2::http/1.1,cipher=TLS_AES_128_GCM_SHA256", "tls-listen:8443,fork,alpn=h2:http/1.1,ciphers=TLS_AES_128_GCM_SHA256")]
    [InlineData("tls:h:443,openssl-cipherlist=TLS_AES_256_GCM_SHA384::TLS_AES_128_GCM_SHA256", "tls:h:443,ciphers=TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256")]
    [InlineData("tls:h:443,pin=SHA256:AB:CD:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01",
        "tls:h:443,pin=sha256:abcd000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("exec:'a\\ b' c", @"exec:a\\ b c")]
    [InlineData("TCP:h:80,PROXY=[::1]:1080,proxy-type=SOCKS5", "tcp:h:80,proxy=[::1]:1080,proxy-type=socks5")]
    [InlineData("tls:h:443,proxy=p,proxy-type=http", "tls:h:443,proxy=p")]
    public void CanonicalTextIsLowercaseAndReadsBack(string text, string canonical)
    {
        Assert.Equal(canonical, P(text).ToString());
        Assert.Equal(P(text), P(canonical));
    }

    [Fact]
    public void ProxyOptionsAreTypedAndThePasswordIsNeverPrinted()
    {
        AddressSpec spec = P("tcp:example.org:80,proxy=127.0.0.1:1080,proxy-type=socks5,proxy-auth=me:s3cret:x");
        Assert.Equal("127.0.0.1:1080", spec.Options.Proxy);
        Assert.Equal(Sockit.Proxies.ProxyKind.Socks5, spec.Options.ProxyType);
        Assert.Equal(new Sockit.Proxies.ProxyCredentials("me", "s3cret:x"), spec.Options.ProxyAuth);
        Assert.Equal("tcp:example.org:80,proxy=127.0.0.1:1080,proxy-type=socks5,proxy-auth=me:***", spec.ToString());
        Assert.DoesNotContain("s3cret", spec.ToString(), StringComparison.Ordinal);
    }
}
