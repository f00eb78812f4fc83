using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sockit.Relay;

/// <summary>The variables ncat sets for a program it runs with <c>-e</c>/<c>-c</c>, built from socket addresses only.</summary>
public static class ExecEnvironment
{
    /// <summary>
    /// <c>NCAT_REMOTE_ADDR</c>, <c>NCAT_REMOTE_PORT</c>, <c>NCAT_LOCAL_ADDR</c>, <c>NCAT_LOCAL_PORT</c> and
    /// <c>NCAT_PROTO</c> (<c>TCP</c> or <c>UDP</c>; <c>UNIX</c> for a Unix socket, whose addresses are the
    /// socket paths and whose ports are empty, where ncat says <c>localhost</c> and <c>TCP</c>).
    /// An IPv4 peer of a dual-stack listener is shown as plain IPv4 (127.0.0.1, not ::ffff:127.0.0.1).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Ncat(EndPoint? local, EndPoint? remote, ProtocolType protocol)
    {
        bool unix = local is UnixDomainSocketEndPoint || remote is UnixDomainSocketEndPoint;
        var vars = new Dictionary<string, string>(5)
        {
            ["NCAT_PROTO"] = unix ? "UNIX" : protocol == ProtocolType.Udp ? "UDP" : "TCP",
        };
        (vars["NCAT_REMOTE_ADDR"], vars["NCAT_REMOTE_PORT"]) = Parts(remote);
        (vars["NCAT_LOCAL_ADDR"], vars["NCAT_LOCAL_PORT"]) = Parts(local);
        return vars;
    }

    private static (string Address, string Port) Parts(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => ((ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString(),
            ip.Port.ToString(CultureInfo.InvariantCulture)),
        UnixDomainSocketEndPoint unix => (unix.ToString(), ""),
        _ => ("", ""),
    };
}
