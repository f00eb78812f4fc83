using System.Diagnostics;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>Finds out whether something works here by doing it once: run a command, see whether it exits 0.</summary>
public static class CommandProbe
{
    /// <summary>True when <paramref name="file"/> runs and exits 0 within 30 s; false if it fails, hangs or is missing.</summary>
    public static bool Succeeds(string file, params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments) info.ArgumentList.Add(argument);
            using var process = Process.Start(info)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}
