using System.Security.Cryptography;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// This server process as one node of the queue. The id adds a random suffix to the configured name, so a
/// node restarted under the same name never renews (or finishes) the leases its previous process held.
/// </summary>
public sealed class ClusterNode
{
    private readonly ServerOptions _options;

    public ClusterNode(IOptions<ServerOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        if (_options.LeaseRenewSeconds <= 0 || _options.LeaseExpirySeconds < 2 * _options.LeaseRenewSeconds)
            throw new InvalidOperationException(
                $"Ltx:LeaseExpirySeconds ({_options.LeaseExpirySeconds}) must be at least twice Ltx:LeaseRenewSeconds ({_options.LeaseRenewSeconds}), " +
                "which must be positive: one late renewal must not lose a lease");
        Name = string.IsNullOrWhiteSpace(_options.NodeName) ? Environment.MachineName : _options.NodeName;
        Id = $"{Name}#{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        Marker = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        StartedAt = clock.GetUtcNow();
    }

    public string Name { get; }
    public string Id { get; }
    /// <summary>Written to the outputs folder at start-up; other nodes look for it to prove the folder is shared.</summary>
    public string Marker { get; }
    public DateTimeOffset StartedAt { get; }

    public TimeSpan RenewEvery => _options.LeaseRenew;
    public TimeSpan LeaseExpiry => _options.LeaseExpiry;

    /// <summary>A lease from <paramref name="now"/> until the expiry.</summary>
    public LeaseTerms Lease(DateTimeOffset now) => new(Id, now, now + _options.LeaseExpiry);

    public ClusterNodeRecord Record => new(Id, Name, StartedAt, StartedAt, Marker, 0);
}
