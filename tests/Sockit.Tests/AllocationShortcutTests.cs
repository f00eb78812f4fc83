using System.Text;
using Sockit.Protocols.Grumpy;
using Sockit.Transports;

namespace Sockit.Tests;

/// <summary>The allocation shortcuts on the server's path give exactly what the plain code gave.</summary>
public sealed class AllocationShortcutTests
{
    [Theory]
    [InlineData("Hello server, would you like to chat?\n")]
    [InlineData("Hello server, would you like to chat?\r\n")]
    [InlineData("no newline")]
    [InlineData("\n")]
    [InlineData("")]
    [InlineData("two\n\n")]
    [InlineData("cr only\r")]
    [InlineData("tab\there\n")]
    [InlineData("ascii then é\n")]
    [InlineData("bell\u0007\n")]
    public void SaidLineFromBytesMatchesSaidOfForLog(string message)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(message);
        foreach (string host in new[] { "127.0.0.1", "::1", "/tmp/some path/s.sock" })
            Assert.Equal(GrumpyText.Said(host, MessageText.ForLog(bytes)), GrumpyText.Said(host, bytes.AsSpan()));
    }

    [Fact]
    public void SaidLineOfALongMessageTakesTheGeneralPathWithTheSameResult()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(new string('x', 5000) + "\n");
        Assert.Equal(GrumpyText.Said("127.0.0.1", MessageText.ForLog(bytes)), GrumpyText.Said("127.0.0.1", bytes.AsSpan()));
    }

    [Fact]
    public void PoolHandsBackAResetSourceAndDropsOneThatFired()
    {
        var pool = new CancellationSourcePool(4);
        CancellationTokenSource first = pool.Rent();
        first.CancelAfter(TimeSpan.FromHours(1));
        pool.Return(first);
        CancellationTokenSource again = pool.Rent();
        Assert.Same(first, again);
        Assert.False(again.IsCancellationRequested);

        again.Cancel();
        pool.Return(again);
        CancellationTokenSource fresh = pool.Rent();
        Assert.NotSame(again, fresh);
        Assert.False(fresh.IsCancellationRequested);
    }

    [Fact]
    public void PoolKeepsNoMoreThanItsCapacity()
    {
        var pool = new CancellationSourcePool(1);
        CancellationTokenSource a = pool.Rent(), b = pool.Rent();
        pool.Return(a);
        pool.Return(b);
        Assert.Same(a, pool.Rent());
        Assert.NotSame(b, pool.Rent());
    }
}
