using LtxLocal.Inference.Memory;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// One network of a model and its home under the memory plan (<see cref="NetworkHomes"/> decides it): a resident slot
/// loads once and keeps the network until the model is disposed; a sequential one loads it for each lease and releases
/// it when the last lease ends. Leases nest (a phase that holds a network and a block inside it that asks again share
/// the one copy). Placing and releasing is written to the ledger when the home is the compute device. When the plan
/// changes, a resident slot of the new plan takes over the loaded network of the old plan's slot if it would load it the
/// same way (<see cref="TakeOver"/>), so a network whose placement did not change is not reloaded.
/// </summary>
public sealed class NetworkSlot<T> : IDisposable where T : class, IDisposable
{
    private readonly Func<Device, T> _load;
    private readonly Func<T, long> _weightBytes;
    private readonly MemoryLedger _ledger;
    private readonly bool _onComputeDevice;
    private readonly Action<T>? _beforeUnload;
    private T? _network;
    private int _leases;

    internal NetworkSlot(string name, Device home, bool resident, bool onComputeDevice, MemoryLedger ledger, Func<Device, T> load, Func<T, long> weightBytes,
        Action<T>? beforeUnload = null, string? variant = "")
    {
        // Null: this network's load leaves state outside it (a streamer), so another slot cannot take it over.
        Placement = variant is null ? null : $"{home}/{variant}";
        _beforeUnload = beforeUnload;
        Name = name;
        Home = home;
        Resident = resident;
        _onComputeDevice = onComputeDevice;
        _ledger = ledger;
        _load = load;
        _weightBytes = weightBytes;
    }

    public string Name { get; }

    /// <summary>The device the network's weights are loaded onto while it is in use.</summary>
    public Device Home { get; }

    /// <summary>True when the network stays loaded between phases and jobs.</summary>
    public bool Resident { get; }

    public bool IsLoaded => _network is not null;

    /// <summary>How the network is loaded (home device, and fp8 for the transformer); null when it cannot change slots.</summary>
    public string? Placement { get; }

    /// <summary>
    /// Takes <paramref name="previous"/>'s loaded network (the same network under the plan before) when this slot is resident
    /// and would load it the same way; its ledger entry stays as it is. Returns whether it did.
    /// </summary>
    public bool TakeOver(NetworkSlot<T> previous)
    {
        if (!Resident || _network is not null || previous._network is null || previous._leases > 0 || Placement is null
            || previous.Placement != Placement || previous.Name != Name)
            return false;
        _network = previous._network;
        previous._network = null;
        return true;
    }

    /// <summary>The network, loaded onto its home if it is not there; dispose the lease when the phase that needs it ends.</summary>
    public NetworkLease<T> Acquire()
    {
        if (_network is null)
        {
            _network = _load(Home);
            if (_onComputeDevice) _ledger.PlaceWeights(Name, _weightBytes(_network));
        }
        _leases++;
        return new NetworkLease<T>(_network, Release);
    }

    /// <summary>Runs <paramref name="body"/> with the network under one lease.</summary>
    public TResult Use<TResult>(Func<T, TResult> body)
    {
        using var lease = Acquire();
        return body(lease.Network);
    }

    /// <summary>Loads a resident network now, so a broken file fails when the model loads, not in the middle of a job.</summary>
    public void LoadIfResident()
    {
        if (Resident) Acquire().Dispose();
    }

    private void Release()
    {
        if (--_leases > 0 || Resident) return;
        Unload();
    }

    private void Unload()
    {
        if (_network is null) return;
        _beforeUnload?.Invoke(_network);
        _network.Dispose();
        _network = null;
        _ledger.ReleaseWeights(Name);
    }

    public void Dispose() => Unload();
}
