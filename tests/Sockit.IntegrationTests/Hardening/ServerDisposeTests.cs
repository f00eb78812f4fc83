using System.Net;
using System.Net.Sockets;
using Sockit.Endpoints;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Hardening;

/// <summary>Disposing a server while it runs (without cancelling RunAsync first) ends it cleanly.</summary>
public sealed class ServerDisposeTests
{
    [Fact]
    public async Task DisposingARunningStreamServerAbortsHandlersAndEndsRun()
    {
        var handlerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new List<Exception>();
        var server = StreamServer.Listen(EndpointSpec.Ip("127.0.0.1", 0), new StreamServerOptions
        {
            ShutdownGrace = TimeSpan.FromSeconds(30),
            OnConnectionError = (_, e) => { lock (errors) errors.Add(e); },
        });
        Task running = server.RunAsync(async (connection, abort) =>
        {
            handlerStarted.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, abort);
            }
            finally
            {
                handlerAborted.TrySetResult();
            }
        }, CancellationToken.None);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));
        await handlerStarted.Task.WaitAsync(RunningProcess.DefaultWait);

        await server.DisposeAsync();

        // Dispose means "in-flight connections are not waited for": the handler is aborted at once, not after
        // the 30 s grace, and RunAsync returns instead of failing on a disposed socket or token source.
        await handlerAborted.Task.WaitAsync(RunningProcess.DefaultWait);
        await running.WaitAsync(RunningProcess.DefaultWait);
        lock (errors) Assert.Empty(errors);
    }
}
