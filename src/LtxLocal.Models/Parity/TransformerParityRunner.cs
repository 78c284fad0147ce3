using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch;

namespace LtxLocal.Models.Parity;

/// <summary>
/// LTXModel.forward on a transformer/ case: the model is built from the case's weights file (config from its
/// metadata) in float32, the inputs are the case's in.* tensors, and the outputs are the velocities and every
/// out.dbg.* intermediate the case stores. For cases whose RoPE grid is a float32 linspace it also measures what one
/// ulp of that grid moves each intermediate (<see cref="RopeGridSensitivity"/>, into <see cref="ParityCase.GridMovement"/>).
/// </summary>
public sealed class TransformerParityRunner() : ParityRunner("transformer")
{
    protected override void Replay(ParityReplay replay)
    {
        var (fixture, device) = (replay.Fixture, replay.Device);
        var modelType = Enum.Parse<LtxModelType>(fixture.Json.GetProperty("model_type").GetString()!);
        using var model = TransformerLoader.Load(fixture.WeightsPath, new TransformerLoadOptions { Device = device, DType = DType.Float32 }, modelType);
        var video = ReadModality(replay, "video");
        var audio = ReadModality(replay, "audio");
        using var perturbations = replay.Optional("in.perturbations.keep_mask") is { } keep ? new BatchedPerturbations(keep) : null;
        var debug = new Dictionary<string, Tensor>();
        Tensor? videoVelocity, audioVelocity;
        IReadOnlyCollection<long> gridSizes;
        using (var grids = RopeGridProbe.Record())
        {
            (videoVelocity, audioVelocity) = model.Forward(video, audio, perturbations, debug);
            gridSizes = [.. grids.Counts];
        }
        try
        {
            // Float32 RoPE grids only (none when the case forms them in double): what one ulp of them moves.
            fixture.GridMovement = RopeGridSensitivity.Measure(gridSizes, debug, nudged =>
            {
                var (v, a) = model.Forward(video, audio, perturbations, nudged);
                v?.Dispose();
                a?.Dispose();
            });
            foreach (var tensor in fixture.Outputs(includeDebug: true))
            {
                var actual = tensor switch
                {
                    "out.video.velocity" => videoVelocity,
                    "out.audio.velocity" => audioVelocity,
                    _ => debug.GetValueOrDefault(tensor["out.dbg.".Length..]),
                };
                if (actual is null) throw replay.Mismatch($"the model produced nothing for {tensor}");
                replay.Check(tensor, actual);
            }
        }
        finally
        {
            foreach (var t in debug.Values) t.Dispose();
        }
    }

    private static Modality? ReadModality(ParityReplay replay, string stream)
    {
        if (!replay.Has($"in.{stream}.latent")) return null;
        Tensor In(string field) => replay.In($"in.{stream}.{field}");
        Tensor? Optional(string field) => replay.Optional($"in.{stream}.{field}");
        var call = replay.Fixture.Call;
        bool enabled = call.ValueKind != JsonValueKind.Object || !call.TryGetProperty($"{stream}.enabled", out var e) || e.ValueKind != JsonValueKind.False;
        return new Modality(In("latent"), In("sigma"), In("timesteps"), In("positions"), In("context"))
        {
            Enabled = enabled,
            ContextMask = Optional("context_mask"),
            AttentionMask = Optional("attention_mask"),
            KeyframesMask = Optional("keyframes_mask"),
        };
    }
}
