using Sockit.Relay;

namespace Sockit.Addresses;

/// <summary>
/// <c>file:PATH</c> as a relay end: reads return the bytes the file held when it was opened, then EOF; writes
/// are appended (never overwriting a byte already there). <c>rdonly</c> refuses writes with an error (nothing
/// arriving is silently lost); <c>wronly</c> reads nothing (EOF at once); <c>trunc</c> empties the file first.
/// </summary>
internal sealed class FileEnd : DuplexEnd
{
    private readonly string _path;
    private readonly FileStream? _reader;
    private FileStream? _appender;
    private long _left;

    private FileEnd(string path, FileStream? reader, FileStream? appender)
    {
        _path = path;
        _reader = reader;
        _appender = appender;
        // Bytes appended while we read (an echo of what we sent, say) are not read back: only what was there.
        _left = reader?.Length ?? 0;
    }

    /// <summary>Opens (creating it unless <c>rdonly</c>) the file at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be opened; the message names it.</exception>
    public static FileEnd Open(string path, AddressOptions options)
    {
        FileStream? appender = null;
        try
        {
            if (!options.ReadOnly)
                appender = new FileStream(path, options.Truncate ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            FileStream? reader = options.WriteOnly ? null
                : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            return new FileEnd(path, reader, appender);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            appender?.Dispose();
            throw new IOException($"file {path}: {e.Message}", e);
        }
    }

    public override string Name => "file " + _path;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        if (_reader is null || _left <= 0 || buffer.Length == 0) return 0;
        int n = await _reader.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancel).ConfigureAwait(false);
        _left = n == 0 ? 0 : _left - n;
        return n;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        FileStream appender = _appender ?? throw new IOException($"file {_path} is rdonly (or its writes were completed): {data.Length} bytes arrived for it");
        await appender.WriteAsync(data, cancel).ConfigureAwait(false);
    }

    public override async ValueTask CompleteWritesAsync()
    {
        FileStream? appender = Interlocked.Exchange(ref _appender, null);
        if (appender is not null) await appender.DisposeAsync().ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await CompleteWritesAsync().ConfigureAwait(false);
        if (_reader is not null) await _reader.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
