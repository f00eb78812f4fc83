using System.Net.Sockets;
using System.Runtime.Versioning;
using Sockit.Relay.Splice;

namespace Sockit.Tests;

/// <summary>
/// A spliced socket's registration with the runtime's socket engine: found in the engine's epoll, told to stop
/// reporting what the splice reads or writes, and given back whole, after which the engine completes its reads again.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class EngineRegistrationTests
{
    private const uint In = 0x1, Out = 0x4, ReadHangUp = 0x2000;

    [Fact]
    public async Task EngineStopsReportingWhatASpliceOwnsAndGetsItBackWhole()
    {
        (Socket peer, Socket socket) = await LoopbackPair.ConnectAsync();
        using var _ = peer;
        using var __ = socket;
        int fd = (int)socket.SafeHandle.DangerousGetHandle();
        Assert.Null(EngineRegistration.Find(fd, -1)); // the engine has not waited on it yet

        byte[] buffer = new byte[16];
        ValueTask<int> pending = socket.ReceiveAsync(buffer.AsMemory()); // nothing to read: the engine registers it and waits
        Assert.False(pending.IsCompleted);
        EngineRegistration? registration = EngineRegistration.Find(fd, -1);
        Assert.NotNull(registration);
        int epoll = EngineRegistration.LastEpoll;
        uint original = EngineRegistration.EventsNow(epoll, fd) ?? 0;
        Assert.Equal(In | Out, original & (In | Out));

        registration.Ignore(reading: false, writing: true);
        Assert.Equal(original & ~Out, EngineRegistration.EventsNow(epoll, fd));
        registration.Ignore(reading: true, writing: true);
        Assert.Equal(original & ~(In | Out | ReadHangUp), EngineRegistration.EventsNow(epoll, fd));
        registration.Restore();
        Assert.Equal(original, EngineRegistration.EventsNow(epoll, fd));

        await peer.SendAsync("back"u8.ToArray());
        Assert.Equal(4, await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
