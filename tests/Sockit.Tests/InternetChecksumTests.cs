using Sockit.Protocols.Ping;

namespace Sockit.Tests;

public sealed class InternetChecksumTests
{
    [Theory]
    // RFC 1071 section 3's worked example: the ones' complement sum is 0xddf2, so the checksum is 0x220d.
    [InlineData("0001f203f4f5f6f7", 0x220d)]
    // The classic IPv4 header example (checksum field zeroed): 0xb861.
    [InlineData("450000730000400040110000c0a80001c0a800c7", 0xb861)]
    // An odd length pads with a zero byte: 0x0100 -> ~0x0100.
    [InlineData("01", 0xfeff)]
    [InlineData("", 0xffff)]
    // Carries wrap around: 0xffff + 0x0001 = 0x0001 after folding, checksum 0xfffe.
    [InlineData("ffff0001", 0xfffe)]
    public void ComputesKnownVectors(string hex, int expected)
        => Assert.Equal((ushort)expected, InternetChecksum.Compute(Convert.FromHexString(hex)));

    [Fact]
    public void MatchesAnEchoRequestTheKernelAnswered()
    {
        // Captured on Linux: type 8, code 0, id 0x1234, seq 1, 56 bytes of 'x'; the kernel replied to it.
        byte[] request = Convert.FromHexString("0800000012340001" + string.Concat(Enumerable.Repeat("78", 56)));
        Assert.Equal(0xb89d, InternetChecksum.Compute(request));
    }

    [Fact]
    public void APacketWithItsChecksumFilledInVerifies()
    {
        byte[] header = Convert.FromHexString("450000730000400040110000c0a80001c0a800c7");
        header[10] = 0xb8;
        header[11] = 0x61;
        Assert.True(InternetChecksum.IsValid(header));
        header[19] ^= 1;
        Assert.False(InternetChecksum.IsValid(header));
    }
}
