using System.Buffers.Binary;
using System.Net;
using CsCheck;
using Sockit.Access;

namespace Sockit.Tests;

/// <summary>Generated policies and addresses: every spelling of an IPv4 address gets the same answer, and CIDR matching agrees with a model.</summary>
public sealed class AccessPolicyPropertyTests
{
    private const long Iterations = 3000;

    // Addresses clustered in a few /8s so that generated ranges actually catch some of them.
    private static readonly Gen<uint> IPv4 = Gen.Select(Gen.OneOf(Gen.Const(10u), Gen.Const(127u), Gen.Const(192u), Gen.Byte[1, 255].Select(b => (uint)b)), Gen.UInt[0, 0xFF_FFFF])
        .Select((top, low) => top << 24 | low);
    private static readonly Gen<(uint Network, int Prefix)> Cidr = Gen.Select(IPv4, Gen.Int[0, 32]);

    private static IPAddress V4(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    private static IPAddress Compatible(uint value)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(12), value);
        return new IPAddress(bytes);
    }

    private static string Text(uint value) => V4(value).ToString();

    [Fact]
    public void EveryIPv4AddressAndItsMappedAndCompatibleFormsGetTheSameAnswer()
    {
        Gen.Select(Cidr.Array[0, 4], Cidr.Array[0, 4], IPv4).Sample((allow, deny, client) =>
        {
            var builder = new AccessPolicyBuilder();
            foreach ((uint network, int prefix) in allow) builder.Allow($"{Text(network)}/{prefix}");
            foreach ((uint network, int prefix) in deny) builder.Deny($"{Text(network)}/{prefix}");
            AccessPolicy policy = builder.BuildAsync().GetAwaiter().GetResult();
            IPAddress plain = V4(client);
            bool expected = !deny.Any(r => InRange(client, r)) && (allow.Length == 0 || allow.Any(r => InRange(client, r)));
            Assert.Equal(expected, policy.IsAllowed(plain));
            Assert.Equal(expected, policy.IsAllowed(plain.MapToIPv6()));
            Assert.Equal(expected, policy.IsAllowed(IPAddress.Parse(client.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            if (client >= 0x0100_0000) Assert.Equal(expected, policy.IsAllowed(Compatible(client)));
        }, iter: Iterations);
    }

    [Fact]
    public void AnIPv4EntryInMappedFormDecidesLikeThePlainEntry()
    {
        Gen.Select(Cidr, IPv4).Sample((range, client) =>
        {
            (uint network, int prefix) = range;
            AccessPolicy plain = new AccessPolicyBuilder().Deny($"{Text(network)}/{prefix}").BuildAsync().GetAwaiter().GetResult();
            AccessPolicy mapped = new AccessPolicyBuilder().Deny($"::ffff:{Text(network)}/{prefix + 96}").BuildAsync().GetAwaiter().GetResult();
            Assert.Equal(plain.IsAllowed(V4(client)), mapped.IsAllowed(V4(client)));
            Assert.Equal(plain.IsAllowed(V4(client)), mapped.IsAllowed(V4(client).MapToIPv6()));
        }, iter: Iterations);
    }

    private static bool InRange(uint address, (uint Network, int Prefix) range)
        => range.Prefix == 0 || (address ^ range.Network) >> (32 - range.Prefix) == 0;
}
