using System.Net.Sockets;
using Sockit.Protocols.Grumpy;
using Sockit.Transports;

namespace Sockit.Tests;

public sealed class DatagramTextTests
{
    [Fact]
    public void DatagramLinesReadLikeTheSeedsConnectionLines()
    {
        Assert.Equal("SERVER AT 0.0.0.0:10001 LISTENING FOR DATAGRAMS", GrumpyText.ListeningForDatagrams("0.0.0.0:10001"));
        Assert.Equal("RECEIVED DATAGRAM FROM 127.0.0.1:57257", GrumpyText.ReceivedDatagram("127.0.0.1:57257"));
        Assert.Equal("DATAGRAM FROM [::1]:5 CUT AT 16 BYTES", GrumpyText.DatagramCut("[::1]:5", 16));
        Assert.Equal("REPLY TO 127.0.0.1:9 FAILED: Connection refused", GrumpyText.ReplyFailed("127.0.0.1:9", "Connection refused"));
        Assert.StartsWith("CANNOT ANSWER unnamed: ", GrumpyText.Unanswerable("unnamed"), StringComparison.Ordinal);
    }

    [Fact]
    public void UnixDatagramClientsGetAUniqueAddressThatFitsSunPath()
    {
        UnixDomainSocketEndPoint first = UnixSocketPath.ClientEndPoint(), second = UnixSocketPath.ClientEndPoint();
        Assert.NotEqual(first.ToString(), second.ToString());
        string name = first.ToString();
        Assert.InRange(name.Length, 2, 107);
        // An abstract name on Linux: .NET shows its leading NUL as '@', and no file appears anywhere.
        if (OperatingSystem.IsLinux())
            Assert.Equal('@', name[0]);
    }
}
