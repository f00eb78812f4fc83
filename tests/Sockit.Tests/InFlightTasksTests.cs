using Sockit.Transports;

namespace Sockit.Tests;

public sealed class InFlightTasksTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task DrainWaitsForWorkThatFinishesWithinTheGrace()
    {
        using var tasks = new InFlightTasks();
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool finished = false;
        tasks.Start(async () =>
        {
            await finish.Task;
            finished = true;
        });
        Task drain = tasks.DrainAsync(Wait);
        Assert.False(drain.IsCompleted);
        finish.SetResult();
        await drain.WaitAsync(Wait);
        Assert.True(finished);
        Assert.False(tasks.Aborted);
    }

    [Fact]
    public async Task DrainAbortsWorkThatOutlastsTheGraceAndStillWaitsForIt()
    {
        using var tasks = new InFlightTasks();
        bool sawAbort = false;
        tasks.Start(async () =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, tasks.Abort);
            }
            catch (OperationCanceledException)
            {
                sawAbort = true;
            }
        });
        await tasks.DrainAsync(TimeSpan.FromMilliseconds(50)).WaitAsync(Wait);
        Assert.True(tasks.Aborted);
        Assert.True(sawAbort);
    }

    [Fact]
    public async Task DrainIsNotBrokenByWorkThatThrows()
    {
        // A server's error callback (a log that throws, say) can make a connection's task fault; shutdown must
        // still drain the others and return, not throw the callback's exception out of RunAsync.
        using var tasks = new InFlightTasks();
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool otherFinished = false;
        tasks.Start(() => throw new InvalidOperationException("a log callback failed"));
        tasks.Start(async () =>
        {
            await finish.Task;
            otherFinished = true;
        });
        Task drain = tasks.DrainAsync(Wait);
        finish.SetResult();
        await drain.WaitAsync(Wait);
        Assert.True(otherFinished);
        Assert.False(tasks.Aborted);
    }
}
