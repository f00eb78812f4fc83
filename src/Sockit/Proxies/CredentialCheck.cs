using System.Security.Cryptography;
using System.Text;

namespace Sockit.Proxies;

/// <summary>Compares secrets in time that does not depend on where they first differ.</summary>
internal static class CredentialCheck
{
    public static bool Equal(string given, string expected)
        => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    public static bool Equal(ProxyCredentials given, ProxyCredentials expected)
        => Equal(given.User, expected.User) & Equal(given.Password, expected.Password);
}
