namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>Reads a /proc/.../stat line (proc(5)).</summary>
internal static class ProcStat
{
    /// <summary>
    /// The fields after <c>pid (comm)</c>, from the state (field 3) on. The command name may hold spaces and
    /// parentheses, so the split starts after the last ')'.
    /// </summary>
    public static string[] FieldsAfterName(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
}
