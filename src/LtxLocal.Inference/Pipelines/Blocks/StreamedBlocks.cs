using LtxLocal.Inference.Memory;
using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// The streamed plan's transformer blocks: their weights live in host memory (the model's blocks hold aliases of them
/// at rest) and are copied to the compute device for the block that runs and the next one (prefetched before the
/// current block computes), then released. The transformer calls <see cref="Enter"/> and <see cref="Leave"/> around each
/// block of a call; all guidance passes of a step run in one call, so each block is copied once a step. On CUDA the
/// host weights are pinned and the copies run on a copy stream of their own: the next block's copy overlaps the current
/// block's kernels, and an event per block makes the compute stream wait for that block only. On the CPU there is no
/// pinned memory or stream (<see cref="CopyStream.WhyNot"/>): the copy is a plain, real tensor copy, so the ledger's
/// placed weights and copied bytes are what happened.
/// </summary>
public sealed class StreamedBlocks : IBlockResidency, IDisposable
{
    private readonly IReadOnlyList<BasicAvTransformerBlock> _blocks;
    private readonly List<Dictionary<string, Tensor>> _host;
    private readonly bool[] _onDevice;
    private readonly Device _device;
    private readonly MemoryLedger _ledger;
    private readonly CopyStream? _copies;
    private readonly CopyEvent?[] _ready;

    private StreamedBlocks(LtxModel model, Device device, MemoryLedger ledger)
    {
        _blocks = model.Blocks;
        _device = device;
        _ledger = ledger;
        _host = [.. _blocks.Select(b => b.StateDict().ToDictionary(p => p.Key, p => p.Value.Alias().DetachFromScope(), StringComparer.Ordinal))];
        _onDevice = new bool[_blocks.Count];
        _ready = new CopyEvent?[_blocks.Count];
        BlockBytes = _host.Select(h => Memory.TensorBytes.Of([.. h.Values])).ToArray();
        WhyNotPinned = CopyStream.WhyNotPinned(device);
        if (WhyNotPinned is null) _copies = CopyStream.Open(device);
    }

    /// <summary>Why the host weights are not pinned and copied on a stream of their own (the CPU); null on CUDA, where they are.</summary>
    public string? WhyNotPinned { get; }

    /// <summary>Bytes of each block as stored (the copy volume of bringing it in).</summary>
    public long[] BlockBytes { get; }

    /// <summary>
    /// Streams <paramref name="model"/>'s blocks (loaded in host memory) to <paramref name="device"/>: the rest of the model
    /// moves there now, the blocks stay where they are until a forward brings them in.
    /// </summary>
    public static StreamedBlocks Attach(LtxModel model, Device device, MemoryLedger ledger)
    {
        var streamer = new StreamedBlocks(model, device, ledger);
        for (int i = 0; i < streamer._blocks.Count; i++) streamer.Pin(i);
        foreach (var (name, child) in model.NamedChildren())
            if (name != "transformer_blocks") child.To(device);
        model.LoadStateDict(new PlacingSource(model.StateDict(), name => name.StartsWith(NetworkWeights.BlocksPrefix, StringComparison.Ordinal) ? null : device));
        model.Residency = streamer;
        return streamer;
    }

    public void Enter(int block)
    {
        BringIn(block);
        WaitFor(block);
        // Issued before this block's kernels, so on CUDA the copy runs while they do; waited for when that block enters.
        if (block + 1 < _blocks.Count && MemoryPlan.StreamWindow > 1) BringIn(block + 1);
    }

    public void Leave(int block)
    {
        if (!_onDevice[block]) return;
        WaitFor(block);
        _blocks[block].LoadStateDict(new PlacingSource(_host[block], _ => null));
        _onDevice[block] = false;
        _ledger.ReleaseWeights($"transformer_block{block}");
    }

    private void BringIn(int block)
    {
        if (_onDevice[block]) return;
        // At rest the block holds the host tensors, and what changed them (a LoRA fused, then unfused) replaced them there:
        // those are the weights to bring in.
        foreach (var (name, tensor) in _blocks[block].StateDict())
        {
            _host[block][name].Dispose();
            _host[block][name] = tensor.Alias().DetachFromScope();
        }
        Pin(block);
        _blocks[block].LoadStateDict(new PlacingSource(_host[block], _ => _device, copy: true, _copies));
        if (_copies is not null) _ready[block] = _copies.Record();
        _onDevice[block] = true;
        _ledger.PlaceWeights($"transformer_block{block}", BlockBytes[block]);
        _ledger.Copied(BlockBytes[block]);
    }

    /// <summary>The compute stream waits for the block's copies (a no-op without a copy stream: the copy was synchronous).</summary>
    private void WaitFor(int block)
    {
        if (_ready[block] is not { } ready) return;
        ready.Wait();
        ready.Dispose();
        _ready[block] = null;
    }

    /// <summary>
    /// Moves the block's host weights that are not page-locked (all at first; those a LoRA fusion replaced later) into
    /// pinned memory, and makes the block hold those; nothing where there is no pinned memory.
    /// </summary>
    private void Pin(int block)
    {
        if (WhyNotPinned is not null) return;
        bool changed = false;
        foreach (var name in _host[block].Keys.ToList())
        {
            var host = _host[block][name];
            if (host.IsPinned) continue;
            _host[block][name] = host.PinMemory(out _).DetachFromScope();
            host.Dispose();
            changed = true;
        }
        if (changed) _blocks[block].LoadStateDict(new PlacingSource(_host[block], _ => null));
    }

    public void Dispose()
    {
        for (int i = 0; i < _blocks.Count; i++) Leave(i);
        foreach (var tensor in _host.SelectMany(h => h.Values)) tensor.Dispose();
        _host.Clear();
        _copies?.Dispose();
    }

    /// <summary>
    /// Tensors by name, each loaded onto the device <c>place</c> names (null: an alias where it is), copied when asked
    /// even onto the device it is on, so a CPU "copy" is a real one; with a copy stream, copies to the device are issued on it.
    /// </summary>
    private sealed class PlacingSource(IReadOnlyDictionary<string, Tensor> tensors, Func<string, Device?> place, bool copy = false,
        CopyStream? copies = null) : ITensorSource
    {
        public IReadOnlyCollection<string> Keys => [.. tensors.Keys];

        public bool Contains(string name) => tensors.ContainsKey(name);

        public TensorInfo Info(string name) => new(name, tensors[name].DType, tensors[name].Shape);

        public Tensor Load(string name, Device device, DType? dtype = null)
        {
            var tensor = tensors[name];
            var target = place(name) ?? tensor.Device;
            if (copies is not null && copy && target == copies.Device) return copies.Copy(tensor);
            return tensor.To(target, tensor.DType, copy: copy);
        }
    }
}
