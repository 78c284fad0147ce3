using System.Runtime.CompilerServices;
using LtxLocal.Inference.Memory;
using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// Where each network of a model lives under a <see cref="MemoryPlan"/>, decided in this one place: the text encoder
/// on the CPU (float32) when the plan says so, every other network on the compute device; resident plans keep them
/// loaded, sequential and streamed ones load each for its phase, and streamed keeps the transformer's blocks in host
/// memory. bf16 on a GPU, float32 on the CPU. The networks the worker keeps (<see cref="ResidentNetworks"/>) stay loaded
/// between phases and jobs under every plan.
/// </summary>
public sealed class NetworkHomes(MemoryPlan plan, Device device, MemoryLedger ledger, ResidentNetworks? kept = null)
{
    private readonly ResidentNetworks _kept = kept ?? ResidentNetworks.None;

    public MemoryPlan Plan => plan;
    public ResidentNetworks Kept => _kept;
    public Device ComputeDevice => device;
    public MemoryLedger Ledger => ledger;

    public static DType DTypeOn(Device device) => device.IsCuda ? DType.BFloat16 : DType.Float32;

    /// <summary>A network that runs on the compute device.</summary>
    public NetworkSlot<T> OnComputeDevice<T>(string name, Func<Device, DType, T> load, Func<T, long> weightBytes) where T : class, IDisposable =>
        new(name, device, Resident(name), onComputeDevice: true, ledger, d => load(d, DTypeOn(d)), weightBytes);

    private bool Resident(string name) => plan.Placement == WeightPlacement.Resident || _kept.Keeps(name);

    /// <summary>
    /// The transformer: a network like the others, except under the streamed plan, where it loads into host memory and
    /// its blocks are streamed to the compute device during each call (<see cref="StreamedBlocks"/>); the ledger then
    /// holds the rest of it, and the blocks while they are in.
    /// </summary>
    public NetworkSlot<LtxModel> Transformer(Func<Device, DType, LtxModel> load)
    {
        if (plan.Placement != WeightPlacement.Streamed)
            return new("transformer", device, Resident(ResidentNetworks.Transformer), onComputeDevice: true, ledger, d => load(d, DTypeOn(d)),
                m => WeightBytes.Of(m), variant: plan.Fp8 ? "fp8" : "");
        var streamers = new ConditionalWeakTable<LtxModel, StreamedBlocks>();
        // Kept, a streamed transformer keeps its host copy (and the parts outside the blocks on the device) between jobs.
        return new("transformer", device, _kept.Keeps(ResidentNetworks.Transformer), onComputeDevice: true, ledger,
            d => PartialLoad.Then(load(Device.Cpu, DTypeOn(d)), model =>
            {
                streamers.Add(model, StreamedBlocks.Attach(model, d, ledger));
                return model;
            }),
            model => WeightBytes.Of(model) - (streamers.TryGetValue(model, out var s) ? s.BlockBytes.Sum() : 0),
            model =>
            {
                if (streamers.TryGetValue(model, out var s)) s.Dispose();
            }, variant: null);
    }

    /// <summary>The text encoder: on the CPU under a text-cpu plan, else like every other network.</summary>
    public NetworkSlot<T> TextEncoder<T>(string name, Func<Device, DType, T> load, Func<T, long> weightBytes) where T : class, IDisposable
    {
        var home = plan.TextEncoderOnCpu ? Device.Cpu : device;
        return new(name, home, Resident(name), onComputeDevice: home == device, ledger, d => load(d, DTypeOn(d)), weightBytes);
    }
}
