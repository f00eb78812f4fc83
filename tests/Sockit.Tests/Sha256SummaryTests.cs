using Sockit.Cli.Relay;

namespace Sockit.Tests;

public sealed class Sha256SummaryTests
{
    [Fact]
    public void NothingHashedIsTheEmptyDigest()
    {
        using var sha = new Sha256Summary();
        Assert.Equal("sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", sha.Line());
    }

    [Fact]
    public void ChunksHashLikeTheWhole()
    {
        using var sha = new Sha256Summary();
        sha.Append("a"u8);
        sha.Append("bc"u8);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha.HexDigest());
        Assert.Equal(3, sha.Bytes);
        // Reading the digest does not end the hash: more data goes on from "abc".
        sha.Append("dbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"u8);
        Assert.Equal("sha256 248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", sha.Line());
    }
}
