using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Models.TextEncoder.Tiny;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Tests.TextEncoder;

/// <summary>
/// The LTX-2.5 split layout: a transformer file (config + connectors) next to a Gemma 4 text-encoder pack (gemma_config,
/// flattened language model, text_embedding_projection), built from the text_connector fixtures' V2 cases.
/// </summary>
[Trait("Component", "gemma4")]
public sealed class TextEncoderPackTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-te-pack-").FullName;

    public static IEnumerable<object[]> V2Cases() => FixtureCase.CasesOf("text_connector").Where(c =>
    {
        using var fixture = new FixtureCase("text_connector", (string)c[0]);
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        return weights.Keys.Any(k => k.StartsWith(EmbeddingsProcessor.ProjectionPrefix + "video_aggregate_embed.", StringComparison.Ordinal));
    });

    /// <summary>Splits the fixture's single file the way LTX-2.5 ships it; returns (transformer, pack) paths.</summary>
    private (string Transformer, string Pack) Split(FixtureCase fixture, string declaredVersion, string packVersion)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        var all = weights.LoadAll(Device.Cpu);
        var projection = all.Where(e => e.Key.StartsWith(EmbeddingsProcessor.ProjectionPrefix, StringComparison.Ordinal)).ToDictionary();
        var transformer = Path.Combine(_dir, "transformer.safetensors");
        var metadata = new Dictionary<string, string>
        {
            ["config"] = weights.Metadata["config"],
            ["gemma_source_checkpoint"] = JsonSerializer.Serialize(new { gemma_version = declaredVersion }),
        };
        SafetensorsWriter.Write(transformer, all.Where(e => !projection.ContainsKey(e.Key)).ToDictionary(), metadata);

        using var gemma = JsonDocument.Parse(weights.Metadata["gemma_config"]);
        var (hidden, layers) = TextProcessorConfig.GemmaSizes(gemma.RootElement);
        var pack = Path.Combine(_dir, "gemma4-tiny-with-proj.safetensors");
        TinyGemma4.CreatePack(pack, new TinyGemma4Options(HiddenSize: hidden, Layers: layers, Heads: 4, HeadDim: hidden / 4,
            GlobalHeadDim: hidden / 2, GemmaVersion: packVersion), projection);
        return (transformer, pack);
    }

    [Theory]
    [MemberData(nameof(V2Cases))]
    public void Split_files_give_the_single_file_contexts(string caseName)
    {
        using var fixture = new FixtureCase("text_connector", caseName);
        var (transformer, pack) = Split(fixture, "v1", "v1");
        using var scope = TorchRuntime.NewDisposeScope();
        using var processor = EmbeddingsProcessor.LoadSplit(transformer, pack, TestDevice.Current, DType.Float32);
        using var context = processor.Forward(fixture.Tensor("in.hidden_states"), fixture.Tensor("in.attention_mask"));

        fixture.AssertClose("out.video_encoding", context.Video);
        fixture.AssertClose("out.audio_encoding", context.Audio!);
        fixture.AssertClose("out.attention_mask", context.Mask);
    }

    [Theory]
    [MemberData(nameof(V2Cases))]
    public void A_prompt_runs_through_the_pack_gemma4_and_the_split_connectors(string caseName)
    {
        using var fixture = new FixtureCase("text_connector", caseName);
        var (transformer, pack) = Split(fixture, "v1", "v1");
        using var scope = TorchRuntime.NewDisposeScope();
        using var processor = EmbeddingsProcessor.LoadSplit(transformer, pack, TestDevice.Current, DType.Float32);
        int registers = processor.Config.Video.Registers;
        using var encoder = GemmaTextEncoder.Load(pack, TestDevice.Current, DType.Float32, maxLength: registers);
        Assert.IsType<Gemma4TextModel>(encoder.TextModel);

        using var encoding = encoder.Encode("A red fox runs through the snow 🦊, the camera follows.");
        using var context = processor.Forward(encoding.HiddenStates, encoding.AttentionMask);

        Assert.Equal(new long[] { 1, registers, processor.Config.GemmaHidden, processor.Config.GemmaStates }, encoding.HiddenStates.Shape);
        Assert.Equal(new long[] { 1, registers, processor.Config.VideoDim }, context.Video.Shape);
        Assert.Equal(new long[] { 1, registers, processor.Config.AudioDim }, context.Audio!.Shape);
        Assert.Equal(1.0, context.Video.IsFinite().All().Item());
        Assert.Equal(1.0, context.Audio.IsFinite().All().Item());
    }

    [Theory]
    [MemberData(nameof(V2Cases))]
    public void A_pack_of_another_gemma_version_is_refused(string caseName)
    {
        using var fixture = new FixtureCase("text_connector", caseName);
        var (transformer, pack) = Split(fixture, "gemma4-12b-ltx-v1", "tiny-gemma4-v1");
        var e = Assert.Throws<ModelConfigException>(() => EmbeddingsProcessor.LoadSplit(transformer, pack, Device.Cpu, DType.Float32));
        Assert.Contains("gemma_version", e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
