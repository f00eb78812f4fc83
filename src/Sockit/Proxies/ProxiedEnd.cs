using Sockit.Relay;

namespace Sockit.Proxies;

/// <summary>
/// A connection through a proxy: named after its destination, and returning first the bytes that arrived with the
/// proxy's reply (read past it while reading the handshake), then the connection's own.
/// </summary>
internal sealed class ProxiedEnd(DuplexEnd inner, string name, ReadOnlyMemory<byte> leftover) : DuplexEndDecorator(inner)
{
    private ReadOnlyMemory<byte> _pending = leftover.ToArray();

    public override string Name => name;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        if (_pending.IsEmpty) return Inner.ReadAsync(buffer, cancel);
        // A zero-byte read waits for data; there is some already.
        int n = Math.Min(buffer.Length, _pending.Length);
        _pending[..n].CopyTo(buffer);
        _pending = _pending[n..];
        return ValueTask.FromResult(n);
    }
}
