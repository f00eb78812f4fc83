using System.Buffers;

namespace Sockit.Relay;

/// <summary>
/// Buffers borrowed for one read or one write on the fan-out path (a broker member's read, a coalesced send). Not
/// <see cref="ArrayPool{T}.Shared"/>: these are rented on one thread and returned on another after an await, which its
/// per-thread caches answer with a fresh array now and then; this pool has no per-thread part, so once warm it
/// allocates nothing. It keeps at most <see cref="ArraysPerSize"/> idle arrays of each size.
/// </summary>
internal static class FanOutBuffers
{
    public const int ArraysPerSize = 256;

    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(BroadcastMember.CoalesceLimit, ArraysPerSize);
}
