using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Testing;
using LtxLocal.Torch;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.Transformer;

/// <summary>
/// LTXModel.forward against the reference on every case under transformer/: the model is built from the case's
/// weights file (config from its metadata, keys under model.diffusion_model.) in float32, the inputs are the case's
/// in.* tensors, and every out.* tensor (velocities and the out.dbg.* intermediates) must be within tolerance.
/// </summary>
public sealed class TransformerParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("transformer");

    [Theory]
    [Trait("Category", "Parity")]
    [Trait("Component", "transformer")]
    [MemberData(nameof(Cases))]
    public void Forward_matches_reference(string name)
    {
        using var fixture = new FixtureCase("transformer", name);
        using var scope = TorchRuntime.NewDisposeScope();
        var modelType = Enum.Parse<LtxModelType>(fixture.Json.GetProperty("model_type").GetString()!);
        using var model = TransformerLoader.Load(fixture.WeightsPath,
            new TransformerLoadOptions { Device = TestDevice.Current, DType = DType.Float32 }, modelType);

        var video = ReadModality(fixture, "video");
        var audio = ReadModality(fixture, "audio");
        using var perturbations = fixture.Has("in.perturbations.keep_mask") ? new BatchedPerturbations(fixture.Tensor("in.perturbations.keep_mask")) : null;
        var debug = new Dictionary<string, Tensor>();
        var (videoVelocity, audioVelocity) = model.Forward(video, audio, perturbations, debug);
        try
        {
            foreach (var tensor in fixture.Outputs(includeDebug: true))
            {
                var actual = tensor switch
                {
                    "out.video.velocity" => videoVelocity,
                    "out.audio.velocity" => audioVelocity,
                    _ => debug.GetValueOrDefault(tensor["out.dbg.".Length..]),
                };
                Assert.True(actual is not null, $"{name}: the model produced nothing for {tensor}");
                if (!tensor.StartsWith("out.dbg.", StringComparison.Ordinal))
                    output.WriteLine($"{name} {tensor}: max error {ParityAssert.MaxError(fixture.Tensor(tensor, Device.Cpu), actual!):G3} ({fixture.Tolerance(tensor)})");
                fixture.AssertClose(tensor, actual!);
            }
        }
        finally
        {
            foreach (var t in debug.Values) t.Dispose();
        }
    }

    private static Modality? ReadModality(FixtureCase fixture, string stream)
    {
        if (!fixture.Has($"in.{stream}.latent")) return null;
        Tensor? Optional(string field) => fixture.Has($"in.{stream}.{field}") ? fixture.Tensor($"in.{stream}.{field}") : null;
        bool enabled = !fixture.Call.TryGetProperty($"{stream}.enabled", out var e) || e.ValueKind != JsonValueKind.False;
        return new Modality(fixture.Tensor($"in.{stream}.latent"), fixture.Tensor($"in.{stream}.sigma"), fixture.Tensor($"in.{stream}.timesteps"),
            fixture.Tensor($"in.{stream}.positions"), fixture.Tensor($"in.{stream}.context"))
        {
            Enabled = enabled,
            ContextMask = Optional("context_mask"),
            AttentionMask = Optional("attention_mask"),
            KeyframesMask = Optional("keyframes_mask"),
        };
    }
}
