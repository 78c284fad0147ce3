namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>A network in use for one phase (see <see cref="NetworkSlot{T}"/>); disposing ends the use, once.</summary>
public sealed class NetworkLease<T>(T network, Action release) : IDisposable where T : class
{
    private bool _released;

    public T Network => _released ? throw new ObjectDisposedException(typeof(T).Name, "the lease on this network has ended") : network;

    public void Dispose()
    {
        if (_released) return;
        _released = true;
        release();
    }
}
