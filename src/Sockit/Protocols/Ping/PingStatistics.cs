using System.Globalization;

namespace Sockit.Protocols.Ping;

/// <summary>What a ping run counted, and the round-trip times of the replies.</summary>
/// <param name="Target">The host as the user named it.</param>
/// <param name="Transmitted">Echo requests sent.</param>
/// <param name="Received">Replies matched to a request in time.</param>
/// <param name="RoundTripsMs">Round-trip time of each reply, in milliseconds, in arrival order.</param>
public sealed record PingStatistics(string Target, int Transmitted, int Received, IReadOnlyList<double> RoundTripsMs)
{
    /// <summary>Lost requests as a percentage of those sent (0 when none were sent).</summary>
    public double LossPercent => Transmitted == 0 ? 0 : (Transmitted - Received) * 100.0 / Transmitted;

    /// <summary>
    /// The closing lines, as ping prints them:
    /// <c>--- HOST ping statistics ---</c>, <c>N packets transmitted, M received, L% packet loss</c> and, when a
    /// reply came, <c>rtt min/avg/max = a/b/c ms</c>.
    /// </summary>
    public IEnumerable<string> SummaryLines()
    {
        yield return $"--- {Target} ping statistics ---";
        yield return $"{Transmitted} packets transmitted, {Received} received, {LossPercent.ToString("0.#", CultureInfo.InvariantCulture)}% packet loss";
        if (RoundTripsMs.Count > 0)
            yield return $"rtt min/avg/max = {PingText.Ms(RoundTripsMs.Min())}/{PingText.Ms(RoundTripsMs.Average())}/{PingText.Ms(RoundTripsMs.Max())} ms";
    }
}
