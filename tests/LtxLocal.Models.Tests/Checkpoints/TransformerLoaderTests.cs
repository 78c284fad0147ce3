using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Tests.Checkpoints;

[Trait("Component", "transformer")]
public sealed class TransformerLoaderTests : IClassFixture<TransformerCheckpointFixture>
{
    private readonly TransformerCheckpointFixture _checkpoint;

    public TransformerLoaderTests(TransformerCheckpointFixture checkpoint) => _checkpoint = checkpoint;

    private string WriteBundle(string name, Func<string, bool> keep, IReadOnlyDictionary<string, Tensor>? extra = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var tensors = _checkpoint.Weights.Keys.Where(keep).ToDictionary(k => k, k => _checkpoint.Weights.Load(k, Device.Cpu));
        foreach (var (k, v) in extra ?? new Dictionary<string, Tensor>()) tensors[k] = v;
        var path = Path.Combine(_checkpoint.Directory, name);
        SafetensorsWriter.Write(path, tensors, _checkpoint.Weights.Metadata);
        return path;
    }

    [Fact]
    public void Bundle_loads_the_transformer_and_leaves_text_connectors_and_other_components_alone()
    {
        var extra = new Dictionary<string, Tensor>
        {
            ["model.diffusion_model.video_embeddings_connector.transformer_1d_blocks.0.attn1.to_q.weight"] = Tensor.Zeros(new long[] { 4, 4 }),
            ["model.diffusion_model.audio_embeddings_connector.learnable_registers"] = Tensor.Zeros(new long[] { 2, 4 }),
            ["vae.decoder.conv_in.conv.weight"] = Tensor.Zeros(new long[] { 2, 2 }),
        };
        var path = WriteBundle("bundle.safetensors", _ => true, extra);
        var reports = new List<(long Loaded, long Total)>();
        using var model = TransformerLoader.Load(path, new TransformerLoadOptions
        {
            DType = DType.Float32,
            Progress = new SynchronousProgress<(long, long)>(reports.Add),
        });
        Assert.Equal(_checkpoint.Weights.Keys.Count, model.StateDict().Count);
        Assert.Equal(reports[^1].Total, reports[^1].Loaded);
        Assert.True(reports.Select(r => r.Loaded).SequenceEqual(reports.Select(r => r.Loaded).Order()), "progress only moves forward");
    }

    [Fact]
    public void A_missing_transformer_key_is_an_error_naming_it()
    {
        const string dropped = "model.diffusion_model.transformer_blocks.1.attn2.to_gate_logits.weight";
        var path = WriteBundle("missing.safetensors", k => k != dropped);
        var error = Assert.Throws<StateDictException>(() => TransformerLoader.Load(path, new TransformerLoadOptions { DType = DType.Float32 }));
        Assert.Contains("transformer_blocks.1.attn2.to_gate_logits.weight", error.Message);
    }

    [Fact]
    public void An_unsupported_config_value_names_key_and_value()
    {
        var metadata = new Dictionary<string, string>(_checkpoint.Weights.Metadata);
        metadata["config"] = metadata["config"].Replace("\"qk_norm\": \"rms_norm\"", "\"qk_norm\": \"layer_norm\"");
        var error = Assert.Throws<ModelConfigException>(() => LtxModelConfig.FromMetadata(metadata, "test"));
        Assert.Contains("qk_norm", error.Message);
        Assert.Contains("layer_norm", error.Message);
    }

    [Fact]
    public void Fp8_cast_stores_block_projections_in_float8_and_computes_like_rounded_float32_weights()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var fp8 = _checkpoint.LoadFloat32(fp8Cast: true);
        using var rounded = _checkpoint.LoadFloat32();
        var fp8Weights = fp8.StateDict();
        var cast = fp8Weights.Where(p => p.Value.DType == DType.Float8E4M3FN).Select(p => p.Key).ToHashSet();
        Assert.Contains("transformer_blocks.0.attn1.to_q.weight", cast);
        Assert.Contains("transformer_blocks.1.ff.net.2.weight", cast);
        Assert.Contains("transformer_blocks.0.audio_to_video_attn.to_out.0.weight", cast);
        Assert.All(cast, k => Assert.Matches(@"^transformer_blocks\.\d+\..*(to_q|to_k|to_v|to_out\.0|ff\.net\.0\.proj|ff\.net\.2)\.(weight|bias)$", k));
        Assert.Equal(DType.Float32, fp8Weights["transformer_blocks.0.attn1.q_norm.weight"].DType);
        Assert.Equal(DType.Float32, fp8Weights["transformer_blocks.0.scale_shift_table"].DType);

        // Independent expectation: the float32 model with the same weights rounded through e4m3.
        var roundedWeights = cast.ToDictionary(k => k, k => rounded.StateDict()[k].To(DType.Float8E4M3FN).To(DType.Float32));
        rounded.LoadStateDict(roundedWeights, strict: false);
        var (video, audio) = _checkpoint.Inputs();
        var (v8, a8) = fp8.Forward(video, audio);
        var (vRef, aRef) = rounded.Forward(video, audio);
        Assert.True((v8! - vRef!).Abs().Amax().Item() < 1e-4, "video velocity of the fp8-cast model");
        Assert.True((a8! - aRef!).Abs().Amax().Item() < 1e-4, "audio velocity of the fp8-cast model");
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
