using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Sockit.Access;
using Sockit.Cli.Commands;
using Sockit.Diagnostics;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Cli.Relay;

/// <summary>
/// <c>-u</c>: connect mode sends each stdin chunk as a datagram and prints replies; listen mode prints
/// datagrams from every peer and sends stdin to EVERY peer seen so far (nc -u answers only the first).
/// </summary>
internal static class UdpCat
{
    public static async Task<int> ConnectAsync(CatSettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        DatagramChannel channel;
        try
        {
            channel = await DatagramChannel.ConnectAsync(s.Endpoint, new ConnectOptions { LocalEndPoint = s.Source, Trace = s.Trace }, cancel);
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Client", "connect") is { } userError)
        {
            throw userError;
        }
        await using (channel)
        {
            log.Info($"Sending datagrams to {SocketNames.EndPoint(channel.RemoteEndPoint)}");
            await using StdioSession stdio = StdioSession.Open(s);
            var relay = new DatagramRelay(stdio.End, StreamCat.Options(s, log));
            RelayResult result = await relay.RunAsync(
                async (buffer, ct) =>
                {
                    while (true)
                    {
                        try
                        {
                            return (await channel.ReceiveAsync(buffer, ct), null);
                        }
                        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                        {
                            // An ICMP port-unreachable for an earlier datagram: nobody listens (yet); keep going, as nc does.
                            log.Info("peer: port unreachable");
                        }
                    }
                },
                async (datagram, ct) =>
                {
                    try
                    {
                        return await channel.SendAsync(datagram, ct);
                    }
                    catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused)
                    {
                        return 0;
                    }
                },
                cancel);
            log.Summary(SocketNames.EndPoint(channel.RemoteEndPoint), result);
            return stdio.Finish(StreamCat.Outcome(result, "Client"), s.Sha256);
        }
    }

    public static async Task<int> ListenAsync(CatSettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        DatagramChannel channel;
        try
        {
            channel = DatagramChannel.Bind(s.Endpoint, s.Trace);
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Server", "bind") is { } userError)
        {
            throw userError;
        }
        await using (channel)
        {
            log.Info($"Listening on {(s.Endpoint.IsUnix ? s.Endpoint.UnixPath + " (datagram)" : SocketNames.EndPoint(channel.LocalEndPoint) + " (UDP)")}");
            var peers = new ConcurrentDictionary<EndPoint, byte>();
            await using StdioSession stdio = StdioSession.Open(s);
            var relay = new DatagramRelay(stdio.End, StreamCat.Options(s, log));
            RelayResult result = await relay.RunAsync(
                async (buffer, ct) =>
                {
                    while (true)
                    {
                        try
                        {
                            SocketReceiveFromResult r = await channel.ReceiveFromAsync(buffer, ct);
                            // A refused peer's datagram is dropped unread by stdout, and it never becomes a peer to answer.
                            if (s.Access is { IsOpen: false } access && access.Check(r.RemoteEndPoint) is { Allowed: false } decision)
                            {
                                log.Info(AccessText.Dropped(r.RemoteEndPoint, decision));
                                continue;
                            }
                            // An unbound Unix sender has no address to answer: its data is printed, nothing is sent back.
                            if (IsAnswerable(r.RemoteEndPoint) && peers.TryAdd(r.RemoteEndPoint, 0)) log.Info($"Datagram from {SocketNames.EndPoint(r.RemoteEndPoint)} (new peer)");
                            return (r.ReceivedBytes, r.RemoteEndPoint);
                        }
                        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
                        {
                            // A peer we answered has gone (ICMP unreachable): the others still count.
                        }
                    }
                },
                async (datagram, ct) =>
                {
                    long sent = 0;
                    foreach (EndPoint peer in peers.Keys)
                    {
                        try
                        {
                            sent += await channel.SendToAsync(datagram, peer, ct);
                        }
                        catch (SocketException)
                        {
                            peers.TryRemove(peer, out _);
                        }
                    }
                    return sent;
                },
                cancel);
            log.Summary("udp", result);
            return stdio.Finish(StreamCat.Outcome(result, "Server"), s.Sha256);
        }
    }

    private static bool IsAnswerable(EndPoint peer)
        => peer is not UnixDomainSocketEndPoint unix || unix.ToString().Length > 0;
}
