using Sockit.Cli.Relay;

namespace Sockit.Tests;

public sealed class ProgressMeterTests
{
    private const long MiB = 1024 * 1024;

    private sealed class FakeClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KiB")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(13_107_200, "12.5 MiB")]
    [InlineData(3L * 1024 * MiB, "3.0 GiB")]
    [InlineData(1536L * 1024 * 1024 * MiB, "1536.0 TiB")]
    public void SizesUseBinaryUnits(long bytes, string text) => Assert.Equal(text, ProgressMeter.FormatSize(bytes));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(6.2, "7s")]
    [InlineData(59, "59s")]
    [InlineData(125, "2m05s")]
    [InlineData(3720, "1h02m")]
    public void DurationsAreShort(double seconds, string text)
        => Assert.Equal(text, ProgressMeter.FormatDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void LineWithATotalShowsRateAndEta()
        => Assert.Equal("12.5 MiB / 100.0 MiB  12.5 MiB/s  ETA 7s",
            ProgressMeter.Format(12 * MiB + MiB / 2, 100 * MiB, TimeSpan.FromSeconds(1)));

    [Fact]
    public void LineWithoutATotalShowsBytesAndRate()
        => Assert.Equal("1.5 KiB  768 B/s", ProgressMeter.Format(1536, null, TimeSpan.FromSeconds(2)));

    [Fact]
    public void LineBeforeAnyTimeHasPassedHasNoRate()
        => Assert.Equal("0 B / 1.0 KiB", ProgressMeter.Format(0, 1024, TimeSpan.Zero));

    [Fact]
    public void FinalLineSaysHowLongItTook()
    {
        Assert.Equal("100.0 MiB in 8.0 s  12.5 MiB/s", ProgressMeter.FormatFinal(100 * MiB, 100 * MiB, TimeSpan.FromSeconds(8)));
        Assert.Equal("50.0 MiB / 100.0 MiB in 4.0 s  12.5 MiB/s", ProgressMeter.FormatFinal(50 * MiB, 100 * MiB, TimeSpan.FromSeconds(4)));
    }

    [Fact]
    public void RedrawsAtMostFourTimesASecondThenEndsWithANewline()
    {
        var clock = new FakeClock();
        using var output = new StringWriter();
        var meter = new ProgressMeter(output, 100 * MiB, clock);

        meter.Add(MiB);
        Assert.Equal("", output.ToString());

        clock.Advance(TimeSpan.FromMilliseconds(250));
        meter.Add(MiB);
        Assert.Equal("\r2.0 MiB / 100.0 MiB  8.0 MiB/s  ETA 13s", output.ToString());

        clock.Advance(TimeSpan.FromMilliseconds(100));
        meter.Add(MiB);
        Assert.Equal("\r2.0 MiB / 100.0 MiB  8.0 MiB/s  ETA 13s", output.ToString());

        clock.Advance(TimeSpan.FromMilliseconds(150));
        meter.Add(97 * MiB);
        meter.Complete();
        meter.Complete();
        Assert.Equal(
            "\r2.0 MiB / 100.0 MiB  8.0 MiB/s  ETA 13s" +
            "\r100.0 MiB / 100.0 MiB  200.0 MiB/s  ETA 0s" +
            "\r100.0 MiB in 0.5 s  200.0 MiB/s" + new string(' ', 11) + "\n",
            output.ToString());
        Assert.Equal(100 * MiB, meter.Bytes);
    }

    [Fact]
    public void ADisabledMeterCountsButWritesNothing()
    {
        var clock = new FakeClock();
        using var output = new StringWriter();
        var meter = new ProgressMeter(output, null, clock, enabled: false);
        clock.Advance(TimeSpan.FromSeconds(1));
        meter.Add(10);
        meter.Complete();
        Assert.Equal("", output.ToString());
        Assert.Equal(10, meter.Bytes);
    }
}
