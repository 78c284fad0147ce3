namespace LtxLocal.Inference.Memory;

/// <summary>
/// What a generator has placed on its compute device, kept as it happens: the weights of each network while it is there
/// and the activations the pipeline holds between network calls (latent states, prompt contexts, guidance outputs,
/// decoded chunks), with each phase's peak. Block streaming adds the bytes it copies. One job at a time writes it (the
/// generator's thread); readers take <see cref="Snapshot"/>. The transient working set inside one network call is not
/// in it (the CUDA allocator's own peak covers that where a GPU exists).
/// </summary>
public sealed class MemoryLedger
{
    private readonly object _lock = new();
    private readonly Dictionary<string, long> _weights = new(StringComparer.Ordinal), _held = new(StringComparer.Ordinal);
    private readonly List<PhaseMemory> _phases = [];
    private string _phase = "load";
    private long _copied, _copiedThisStep, _steps;

    public string Phase
    {
        get { lock (_lock) return _phase; }
    }

    /// <summary>A new job: the phases and held activations start empty; weights still placed (resident) stay.</summary>
    public void StartJob()
    {
        lock (_lock)
        {
            _phases.Clear();
            _held.Clear();
            (_copied, _copiedThisStep, _steps) = (0, 0, 0);
            _phase = "load";
        }
    }

    public void BeginPhase(string phase)
    {
        lock (_lock)
        {
            _phase = phase;
            Touch();
        }
    }

    public void PlaceWeights(string network, long bytes) => Set(_weights, network, bytes);

    public void ReleaseWeights(string network) => Remove(_weights, network);

    public void Hold(string name, long bytes) => Set(_held, name, bytes);

    public void Drop(string name) => Remove(_held, name);

    /// <summary>Bytes copied from host memory to the compute device (streamed blocks).</summary>
    public void Copied(long bytes)
    {
        lock (_lock)
        {
            _copied += bytes;
            _copiedThisStep += bytes;
        }
    }

    /// <summary>A denoising step ended; returns what it copied.</summary>
    public long EndStep()
    {
        lock (_lock)
        {
            var step = _copiedThisStep;
            _copiedThisStep = 0;
            _steps++;
            return step;
        }
    }

    public LedgerSnapshot Snapshot()
    {
        lock (_lock)
            return new LedgerSnapshot([.. _phases], _weights.Values.Sum(), _held.Values.Sum(), _copied, _steps);
    }

    private void Set(Dictionary<string, long> map, string name, long bytes)
    {
        lock (_lock)
        {
            map[name] = bytes;
            Touch();
        }
    }

    private void Remove(Dictionary<string, long> map, string name)
    {
        lock (_lock) map.Remove(name);
    }

    // The phase's peak is the largest total seen while it ran, with the weights and activations of that moment.
    private void Touch()
    {
        long weights = _weights.Values.Sum(), held = _held.Values.Sum();
        int index = _phases.FindIndex(p => p.Phase == _phase);
        if (index < 0) _phases.Add(new PhaseMemory(_phase, weights, held));
        else if (weights + held > _phases[index].TotalBytes) _phases[index] = new PhaseMemory(_phase, weights, held);
    }
}
