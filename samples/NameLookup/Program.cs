// Names and addresses (the seed's gethostbyname(...) and gethostbyaddr(...)), with System.Net.Dns.
//
//   NameLookup NAME      the addresses of a host name, like gethostbyname("localhost")
//   NameLookup ADDRESS   the name of an address, like gethostbyaddr() on 127.0.0.1
//
// gethostbyname knows IPv4 only and is obsolete; .NET asks getaddrinfo(), which answers for both families
// from /etc/hosts and DNS (as /etc/nsswitch.conf says). The production version is `sockit resolve`.
using System.Net;
using System.Net.Sockets;

if (args.Length != 1)
{
    Console.Error.WriteLine("[Usage]: NameLookup NAME|ADDRESS");
    return 1;
}

try
{
    if (IPAddress.TryParse(args[0], out IPAddress? address))
    {
        // gethostbyaddr(&addr, sizeof addr, AF_INET): address to name. Dns.GetHostEntry(IPAddress) asks
        // getnameinfo(); an address with no name fails with HostNotFound.
        IPHostEntry entry = Dns.GetHostEntry(address);
        Console.WriteLine($"{address} is {entry.HostName}");
        foreach (string alias in entry.Aliases) Console.WriteLine($"{address} is also {alias}");
    }
    else
    {
        // gethostbyname(name) fills a struct hostent: h_name (the official name), h_aliases, h_addr_list.
        // IPHostEntry has the same three: HostName, Aliases, AddressList. (Dns.GetHostAddresses(name)
        // returns just the list.) An IP literal never reaches here: it needs no lookup.
        IPHostEntry entry = Dns.GetHostEntry(args[0]);
        Console.WriteLine($"{args[0]}: official name {entry.HostName}");
        foreach (string alias in entry.Aliases) Console.WriteLine($"{args[0]}: alias {alias}");
        foreach (IPAddress found in entry.AddressList)
        {
            string family = found.AddressFamily == AddressFamily.InterNetwork ? "AF_INET" : "AF_INET6";
            Console.WriteLine($"{args[0]} has address {found} ({family})");
        }
    }
    return 0;
}
catch (SocketException e)
{
    // h_errno's HOST_NOT_FOUND, TRY_AGAIN, ... arrive as e.SocketErrorCode; the message says it in words.
    Console.Error.WriteLine($"[Lookup error]: {args[0]}: {e.Message}");
    return 1;
}
