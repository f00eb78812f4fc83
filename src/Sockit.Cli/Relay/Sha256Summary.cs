using System.Security.Cryptography;

namespace Sockit.Cli.Relay;

/// <summary>
/// A running SHA-256 over the bytes of one direction of a transfer, so both ends can print
/// <c>sha256 &lt;hex&gt;</c> and compare. Use one per direction; not thread-safe.
/// </summary>
internal sealed class Sha256Summary : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Bytes hashed so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Adds <paramref name="data"/> to the hash.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        Bytes += data.Length;
    }

    /// <summary>The lowercase hex digest of everything appended so far; appending may go on afterwards.</summary>
    public string HexDigest()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        _hash.GetCurrentHash(digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>The summary line: <c>sha256 &lt;hex&gt;</c>, the format of <c>sha256sum</c>'s digest.</summary>
    public string Line() => "sha256 " + HexDigest();

    /// <summary>Releases the hash.</summary>
    public void Dispose() => _hash.Dispose();
}
