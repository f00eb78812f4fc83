using System.Net;

namespace Sockit.Relay;

/// <summary>
/// UDP around one local end: every chunk read locally is sent as one datagram (to the connected peer, or to
/// every peer seen so far when listening); every datagram received is written locally whole. Datagrams
/// have no EOF, so it runs until cancelled, idle, or <see cref="RelayOptions.QuitAfterInputEof"/> after the
/// local input ends. The socket side is two functions, so one relay serves a connected client (one peer) and
/// a listener that answers every peer it has heard (see <see cref="Transports.DatagramChannel"/>).
/// </summary>
/// <param name="local">The stream end: what it reads is sent, what is received is written to it.</param>
/// <param name="options">Buffer size (at most 65,507 bytes per datagram), idle timeout, <c>-q</c>, directions, EOF callback.</param>
public sealed class DatagramRelay(DuplexEnd local, RelayOptions options)
{
    /// <summary>Receives one datagram: its length and sender.</summary>
    public delegate ValueTask<(int Length, EndPoint? From)> Receive(Memory<byte> buffer, CancellationToken cancel);

    /// <summary>Sends one datagram (to every peer the caller knows of); returns the bytes sent in all.</summary>
    public delegate ValueTask<long> Send(ReadOnlyMemory<byte> datagram, CancellationToken cancel);

    /// <summary>
    /// Runs until cancelled, idle, or quit after the local input's EOF. Never throws for socket or stream
    /// failures: the first one ends the relay and is reported in the result (A to B: bytes sent; B to A: received).
    /// </summary>
    public async Task<RelayResult> RunAsync(Receive receive, Send send, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var clock = new ActivityClock();
        RelayEndReason? reason = null;
        Exception? error = null;
        long sent = 0, received = 0;

        void StopFor(RelayEndReason why, Exception? e = null)
        {
            lock (stop)
            {
                if (reason is null) (reason, error) = (why, e);
            }
            stop.Cancel();
        }

        async Task InputAsync()
        {
            if (!options.CopyAToB) return;
            byte[] buffer = new byte[Math.Min(options.BufferSize, 65507)];
            try
            {
                int n;
                while ((n = await local.ReadAsync(buffer, stop.Token).ConfigureAwait(false)) > 0)
                {
                    clock.Touch();
                    sent += await send(buffer.AsMemory(0, n), stop.Token).ConfigureAwait(false);
                }
                options.OnEof?.Invoke("A");
                if (options.QuitAfterInputEof is { } linger)
                {
                    await Task.Delay(linger, stop.Token).ConfigureAwait(false);
                    StopFor(RelayEndReason.QuitAfterInputEof);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e) when (RelayErrors.IsStreamFailure(e))
            {
                StopFor(RelayEndReason.WriteError, e);
            }
        }

        async Task OutputAsync()
        {
            byte[] buffer = new byte[65536];
            try
            {
                while (true)
                {
                    (int n, _) = await receive(buffer, stop.Token).ConfigureAwait(false);
                    clock.Touch();
                    received += n;
                    if (n > 0 && options.CopyBToA) await local.WriteAsync(buffer.AsMemory(0, n), stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e) when (RelayErrors.IsStreamFailure(e))
            {
                StopFor(RelayEndReason.ReadError, e);
            }
        }

        async Task IdleAsync()
        {
            if (options.IdleTimeout is { } limit && await clock.WaitIdleAsync(limit, stop.Token).ConfigureAwait(false))
                StopFor(RelayEndReason.IdleTimeout);
        }

        try
        {
            await Task.WhenAll(InputAsync(), OutputAsync(), IdleAsync()).ConfigureAwait(false);
        }
        finally
        {
            StopFor(RelayEndReason.Cancelled);
        }
        return new RelayResult(sent, received, reason ?? RelayEndReason.Cancelled, error);
    }
}
