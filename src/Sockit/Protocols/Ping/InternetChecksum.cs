namespace Sockit.Protocols.Ping;

/// <summary>
/// The Internet checksum of RFC 1071, used by the ICMPv4 header: the ones' complement of the ones' complement
/// sum of the data taken as big-endian 16-bit words (an odd last byte is padded with a zero). A packet whose
/// checksum field is filled in correctly sums to zero, which is how a receiver checks it.
/// </summary>
internal static class InternetChecksum
{
    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
            sum += (uint)((data[i] << 8) | data[i + 1]);
        if (i < data.Length)
            sum += (uint)(data[i] << 8);
        // Fold the carries back in until the sum fits 16 bits (end-around carry).
        while ((sum >> 16) != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>True when <paramref name="packet"/>, checksum field included, verifies.</summary>
    public static bool IsValid(ReadOnlySpan<byte> packet) => Compute(packet) == 0;
}
